#include "spmc/sim/contact_graph.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/erdos_renyi_generator.hpp>
#include <boost/graph/small_world_generator.hpp>
#include <set>

#include "spmc/check.hpp"

// Portability of the Boost generators with our Prng: small_world_iterator draws through
// boost::random::uniform_01 (one IEEE multiply, no libm) and uniform_int (integers only);
// erdos_renyi_iterator's (n, m) form uses uniform_int only. Neither touches std::
// distributions, so their output depends only on our draws and the Boost version
// (ContactGraph.PinnedEdgesForSeed catches a Boost change). plod_iterator calls pow() and
// sorted_erdos_renyi_iterator a geometric distribution built on log(), whose last bits
// may differ between libm builds, so preferential attachment is written by hand below.

namespace spmc::sim {
namespace {

using BoostGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

std::vector<ContactEdge> small_world(std::uint32_t n, const ContactGraphConfig& config, Prng& rng) {
  // Boost needs an even k < n for a ring lattice without self-loops.
  std::uint32_t k = std::min(config.degree, n - 1);
  k -= k % 2;
  if (k == 0) {
    return {};
  }
  using Iterator = boost::small_world_iterator<Prng, BoostGraph>;
  // With k + 1 >= n the ring is already complete and Boost's rewiring loop, which looks
  // for a vertex outside the neighbourhood, would never end.
  const double probability = k + 1 >= n ? 0.0 : static_cast<double>(config.rewire_ppm) / kPpmOne;
  std::vector<ContactEdge> edges;
  for (Iterator it(rng, n, k, probability, false), end; it != end; ++it) {
    edges.emplace_back(static_cast<std::uint32_t>(it->first),
                       static_cast<std::uint32_t>(it->second));
  }
  return edges;
}

std::vector<ContactEdge> erdos_renyi(std::uint32_t n, const ContactGraphConfig& config, Prng& rng) {
  const std::uint64_t possible = std::uint64_t{n} * (n - 1) / 2;
  const std::uint64_t wanted =
      std::min<std::uint64_t>(std::uint64_t{n} * config.degree / 2, possible);
  using Iterator = boost::erdos_renyi_iterator<Prng, BoostGraph>;
  // Ask Boost for an unbounded stream of pairs and keep drawing until `wanted` distinct
  // edges exist, so the edge count is exact.
  std::set<ContactEdge> distinct;  // ordered: iteration never depends on hashing
  Iterator it(rng, n, static_cast<boost::graph_traits<BoostGraph>::edges_size_type>(UINT64_MAX),
              false);
  while (distinct.size() < wanted) {
    ContactEdge e(static_cast<std::uint32_t>(it->first), static_cast<std::uint32_t>(it->second));
    ++it;
    if (e.first > e.second) {
      std::swap(e.first, e.second);
    }
    distinct.insert(e);
  }
  return {distinct.begin(), distinct.end()};
}

// Barabasi-Albert: phones join in order; each joins with m = degree / 2 edges to distinct
// earlier phones chosen with probability proportional to their degree (a uniform pick
// from the list of all edge endpoints so far). The first m + 1 phones form a clique.
std::vector<ContactEdge> preferential(std::uint32_t n, const ContactGraphConfig& config,
                                      Prng& rng) {
  const std::uint32_t m = std::max<std::uint32_t>(1, config.degree / 2);
  std::vector<ContactEdge> edges;
  std::vector<std::uint32_t> endpoints;
  const std::uint32_t seed_size = std::min(n, m + 1);
  for (std::uint32_t a = 0; a < seed_size; ++a) {
    for (std::uint32_t b = a + 1; b < seed_size; ++b) {
      edges.emplace_back(a, b);
      endpoints.push_back(a);
      endpoints.push_back(b);
    }
  }
  std::vector<std::uint32_t> chosen;
  for (std::uint32_t v = seed_size; v < n; ++v) {
    chosen.clear();
    while (chosen.size() < m) {
      const std::uint32_t u = endpoints[rng.uniform(endpoints.size())];
      if (std::find(chosen.begin(), chosen.end(), u) == chosen.end()) {
        chosen.push_back(u);
      }
    }
    for (const std::uint32_t u : chosen) {
      edges.emplace_back(u, v);
      endpoints.push_back(u);
      endpoints.push_back(v);
    }
  }
  return edges;
}

std::vector<ContactEdge> complete(std::uint32_t n) {
  std::vector<ContactEdge> edges;
  for (std::uint32_t a = 0; a < n; ++a) {
    for (std::uint32_t b = a + 1; b < n; ++b) {
      edges.emplace_back(a, b);
    }
  }
  return edges;
}

}  // namespace

std::string_view contact_graph_kind_name(ContactGraphKind kind) {
  switch (kind) {
    case ContactGraphKind::kSmallWorld:
      return "small_world";
    case ContactGraphKind::kErdosRenyi:
      return "erdos_renyi";
    case ContactGraphKind::kPreferential:
      return "preferential";
    case ContactGraphKind::kComplete:
      return "complete";
  }
  SPMC_CHECK(false);
  return "";
}

void canonicalize_contacts(std::vector<ContactEdge>& edges) {
  for (ContactEdge& e : edges) {
    if (e.first > e.second) {
      std::swap(e.first, e.second);
    }
  }
  std::erase_if(edges, [](const ContactEdge& e) { return e.first == e.second; });
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
}

std::vector<ContactEdge> generate_contacts(std::uint32_t phones, const ContactGraphConfig& config,
                                           Prng& rng) {
  if (phones < 2) {
    return {};
  }
  std::vector<ContactEdge> edges;
  switch (config.kind) {
    case ContactGraphKind::kSmallWorld:
      edges = small_world(phones, config, rng);
      break;
    case ContactGraphKind::kErdosRenyi:
      edges = erdos_renyi(phones, config, rng);
      break;
    case ContactGraphKind::kPreferential:
      edges = preferential(phones, config, rng);
      break;
    case ContactGraphKind::kComplete:
      edges = complete(phones);
      break;
  }
  canonicalize_contacts(edges);
  return edges;
}

}  // namespace spmc::sim
