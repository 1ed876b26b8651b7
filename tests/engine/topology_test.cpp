// Topology routes and contact graphs.
#include "spmc/sim/topology.hpp"

#include <gtest/gtest.h>

#include <map>

#include "spmc/crypto.hpp"
#include "spmc/sim/contact_graph.hpp"

namespace spmc::sim {
namespace {

TEST(Topology, RoutesTakeTheLowestLatencyPath) {
  // a - b direct is slow (100); a - c - b is faster (10 + 20).
  Topology t;
  const RouterId a = t.add_router(RouterKind::kCore, 0);
  const RouterId b = t.add_router(RouterKind::kCore, 1);
  const RouterId c = t.add_router(RouterKind::kCore, 2);
  const std::uint32_t slow = t.add_link(a, b, LinkParams{100});
  const std::uint32_t ac = t.add_link(a, c, LinkParams{10});
  const std::uint32_t cb = t.add_link(c, b, LinkParams{20});
  const Route& route = t.route(a, b);
  EXPECT_EQ(route.latency_us, 30u);
  EXPECT_EQ(route.links, (std::vector<std::uint32_t>{ac, cb}));
  EXPECT_EQ(&t.route(a, b), &route);  // cached
  EXPECT_TRUE(t.route(a, a).links.empty());
  (void)slow;
  t.attach(kServerNode, a, LinkParams{1});
  t.attach(phone_node(0), b, LinkParams{2});
  const auto path = t.path(phone_node(0), kServerNode);
  ASSERT_EQ(path.size(), 4u);  // access, c-b, a-c, access
  EXPECT_EQ(path.front()->latency_us, 2u);
  EXPECT_EQ(path[1]->latency_us, 20u);
  EXPECT_EQ(path.back()->latency_us, 1u);
}

TEST(Topology, GeneratedWorldAttachesEveryPhoneToAnAccessRouter) {
  TopologyConfig config;
  config.regions = 3;
  config.access_per_region = 2;
  config.server_region = 1;
  Prng rng(4);
  const Topology t = generate_topology(config, 50, rng);
  EXPECT_EQ(t.router_count(), 3u + 6u);
  EXPECT_EQ(t.router_kind(t.router_of(kServerNode)), RouterKind::kCore);
  EXPECT_EQ(t.router_region(t.router_of(kServerNode)), 1u);
  std::map<RouterId, int> per_router;
  for (std::uint32_t i = 0; i < 50; ++i) {
    ASSERT_TRUE(t.attached(phone_node(i)));
    EXPECT_EQ(t.router_kind(t.router_of(phone_node(i))), RouterKind::kAccess);
    ++per_router[t.router_of(phone_node(i))];
    // Every phone reaches the server.
    EXPECT_GE(t.path(phone_node(i), kServerNode).size(), 3u);
  }
  EXPECT_GT(per_router.size(), 3u);
}

std::string edges_hash(const std::vector<ContactEdge>& edges) {
  Bytes b;
  for (const auto& [x, y] : edges) {
    for (int s = 24; s >= 0; s -= 8) {
      b.push_back(static_cast<std::uint8_t>(x >> s));
    }
    for (int s = 24; s >= 0; s -= 8) {
      b.push_back(static_cast<std::uint8_t>(y >> s));
    }
  }
  return to_hex(crypto::sha256(b));
}

std::vector<ContactEdge> contacts(ContactGraphKind kind, std::uint32_t n, std::uint64_t seed) {
  Prng rng(seed);
  ContactGraphConfig config;
  config.kind = kind;
  return generate_contacts(n, config, rng);
}

TEST(ContactGraph, OutputIsCanonical) {
  for (const auto kind : {ContactGraphKind::kSmallWorld, ContactGraphKind::kErdosRenyi,
                          ContactGraphKind::kPreferential, ContactGraphKind::kComplete}) {
    const auto edges = contacts(kind, 40, 3);
    ASSERT_FALSE(edges.empty());
    for (std::size_t i = 0; i < edges.size(); ++i) {
      ASSERT_LT(edges[i].first, edges[i].second);
      ASSERT_LT(edges[i].second, 40u);
      if (i > 0) {
        ASSERT_LT(edges[i - 1], edges[i]);
      }
    }
  }
}

TEST(ContactGraph, EdgeCountsFollowTheParameters) {
  EXPECT_EQ(contacts(ContactGraphKind::kErdosRenyi, 100, 1).size(), 200u);  // n * 4 / 2
  EXPECT_EQ(contacts(ContactGraphKind::kPreferential, 100, 1).size(), 3u + 97u * 2u);
  EXPECT_EQ(contacts(ContactGraphKind::kComplete, 10, 1).size(), 45u);
  EXPECT_LE(contacts(ContactGraphKind::kSmallWorld, 100, 1).size(), 200u);
  EXPECT_TRUE(contacts(ContactGraphKind::kSmallWorld, 1, 1).empty());
  // Tiny worlds: rewiring is impossible when the ring is already complete (must not hang).
  EXPECT_EQ(contacts(ContactGraphKind::kSmallWorld, 5, 1).size(), 10u);
  EXPECT_EQ(contacts(ContactGraphKind::kErdosRenyi, 3, 1).size(), 3u);
}

TEST(ContactGraph, PinnedEdgesForSeed) {
  // Pinned hashes of the canonical edge lists: a change means the draws or a Boost
  // generator changed, and every recorded seed would replay a different world.
  EXPECT_EQ(edges_hash(contacts(ContactGraphKind::kSmallWorld, 50, 7)),
            "c1a7c57466fb0ee740f5780545e9f0dfa9f9ae99505224eef1a4121849c9cf88");
  EXPECT_EQ(edges_hash(contacts(ContactGraphKind::kErdosRenyi, 50, 7)),
            "1f686c8517ad6b839edcc3eee1238d9ee7b60db56bb030df7e1c802747c3719a");
  EXPECT_EQ(edges_hash(contacts(ContactGraphKind::kPreferential, 50, 7)),
            "8f82c8e5406494de6efd2bd4965fa49d7448920bb45494401b15f4a8b3148890");
  EXPECT_NE(edges_hash(contacts(ContactGraphKind::kSmallWorld, 50, 8)),
            edges_hash(contacts(ContactGraphKind::kSmallWorld, 50, 7)));
}

TEST(ContactGraph, PreferentialAttachmentGrowsHubs) {
  const auto edges = contacts(ContactGraphKind::kPreferential, 2000, 9);
  std::vector<int> degree(2000);
  for (const auto& [a, b] : edges) {
    ++degree[a];
    ++degree[b];
  }
  // Mean degree is about 4; a scale-free graph has hubs far above it.
  EXPECT_GT(*std::max_element(degree.begin(), degree.end()), 40);
}

}  // namespace
}  // namespace spmc::sim
