#pragma once
// The simulated network's shape: regions, each with a core router and access routers;
// cores are meshed. Endpoints (phones and the server) are not graph vertices: each one
// attaches to a router through its own access link. Routes between routers are the
// lowest-latency paths (Boost dijkstra_shortest_paths), cached per (source, destination).
#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "spmc/locality/report.hpp"
#include "spmc/sim/event_queue.hpp"
#include "spmc/sim/random.hpp"

namespace spmc::sim {

// Endpoint ids: the server is 0, phone i (0-based) is i + 1.
using NodeId = std::uint32_t;
inline constexpr NodeId kServerNode = 0;
inline constexpr NodeId phone_node(std::uint32_t phone_index) { return phone_index + 1; }
inline constexpr std::uint32_t phone_index(NodeId node) { return node - 1; }

using RouterId = std::uint32_t;
enum class RouterKind { kCore, kAccess };

// One link's behaviour. Loss, duplication and reordering apply only while the network's
// faults are on; latency and jitter always apply.
struct LinkParams {
  TimeUs latency_us = 0;
  TimeUs jitter_us = 0;  // an extra uniform delay in [0, jitter_us] per packet
  std::uint32_t loss_ppm = 0;
  std::uint32_t duplication_ppm = 0;
  std::uint32_t reorder_ppm = 0;  // probability of an extra delay in [0, reorder_delay_max_us]
  TimeUs reorder_delay_max_us = 0;
  friend bool operator==(const LinkParams&, const LinkParams&) = default;
};

// A route between two routers: the links crossed in order (indices into links()).
struct Route {
  std::vector<std::uint32_t> links;
  TimeUs latency_us = 0;
};

class Topology {
 public:
  using Graph =
      boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                            boost::property<boost::edge_weight_t, TimeUs,
                                            boost::property<boost::edge_index_t, std::uint32_t>>>;

  RouterId add_router(RouterKind kind, std::uint32_t region);
  // Returns the link index. Links are undirected.
  std::uint32_t add_link(RouterId a, RouterId b, const LinkParams& params);
  // Attaches an endpoint to a router over its own access link (re-attaching replaces it).
  void attach(NodeId node, RouterId router, const LinkParams& access);
  // A deployment of several servers (spec/locality.md LOC-012): the server endpoint is one
  // logical service with a site at several routers, each reached over the server's access
  // link; `phone` talks to the site at `site`, its home. Without a home, the server's router.
  void set_home(NodeId phone, RouterId site);
  RouterId home_of(NodeId phone) const;

  std::size_t router_count() const { return m_router_kinds.size(); }
  RouterKind router_kind(RouterId router) const { return m_router_kinds.at(router); }
  std::uint32_t router_region(RouterId router) const { return m_router_regions.at(router); }
  const std::vector<LinkParams>& links() const { return m_links; }
  bool attached(NodeId node) const;
  RouterId router_of(NodeId node) const;
  const LinkParams& access_link(NodeId node) const;
  std::size_t endpoint_count() const { return m_endpoints.size(); }

  // Lowest-latency route; both routers must be connected (programmer error otherwise).
  const Route& route(RouterId from, RouterId to) const;
  // The links a packet crosses from one endpoint to another, access links included, in
  // order; the access links are returned as pointers into this topology. A packet between a
  // phone and the server goes through the phone's home site. `requester`: a packet the server
  // sends to a phone because another phone asked (a relayed message, a contact's push) leaves
  // from the requester's home site and is relayed to the recipient's home site (the server's
  // link out of the first site, the route between the sites, the link into and out of the
  // second) before it takes the recipient's home-to-phone route.
  std::vector<const LinkParams*> path(NodeId from, NodeId to,
                                      std::optional<NodeId> requester = std::nullopt) const;

 private:
  struct Endpoint {
    bool attached = false;
    RouterId router = 0;
    LinkParams access;
    std::optional<RouterId> home;  // phones of a multi-server deployment
  };
  void append_route(RouterId from, RouterId to, std::vector<const LinkParams*>& out) const;
  Route compute_route(RouterId from, RouterId to) const;

  Graph m_graph;
  std::vector<RouterKind> m_router_kinds;
  std::vector<std::uint32_t> m_router_regions;
  std::vector<LinkParams> m_links;
  std::vector<Endpoint> m_endpoints;  // indexed by NodeId
  mutable std::map<std::pair<RouterId, RouterId>, Route> m_routes;
};

// Parameters of the generated world network (scenario "topology" section).
struct TopologyConfig {
  std::uint32_t regions = 2;
  std::uint32_t access_per_region = 2;
  LinkParams core_link{20'000, 2'000};    // between regions' cores
  LinkParams region_link{5'000, 500};     // core to access router
  LinkParams access_link{15'000, 5'000};  // endpoint to access router
  std::uint32_t server_region = 0;
  friend bool operator==(const TopologyConfig&, const TopologyConfig&) = default;
};

// A world whose phones live in countries (scenario "locality", spec/locality.md LOC-012): one
// router per country of the built-in country topology (spmc/locality/topology.hpp), its links
// with their LOC-002 latencies (jitter, loss and the other fault rates as core_link's), and
// phone i on the router of phone_countries[i % size] over access_link, homed on the site of
// the server that serves its country under `deployment` (LOC-005), each site over
// region_link. Under `direct` a phone's home is its own country and the sites' link has no
// latency, so a message between two online phones takes their network path. Draws nothing
// from a random stream.
struct CountryPlacement {
  locality::Deployment deployment;           // over the built-in country topology
  std::vector<std::size_t> phone_countries;  // not empty
};
Topology generate_country_topology(const TopologyConfig& config, const CountryPlacement& placement,
                                   std::uint32_t phones);

// Regions get one core each (cores fully meshed; core latency grows with the distance
// between region numbers so routes are not all ties); each phone attaches to an access
// router chosen uniformly by `rng`; the server to the core of server_region.
Topology generate_topology(const TopologyConfig& config, std::uint32_t phones, Prng& rng);

}  // namespace spmc::sim
