#include "spmc/sim/topology.hpp"

#include <algorithm>
#include <boost/graph/dijkstra_shortest_paths.hpp>

#include "spmc/check.hpp"
#include "spmc/locality/topology.hpp"

namespace spmc::sim {

RouterId Topology::add_router(RouterKind kind, std::uint32_t region) {
  const auto vertex = boost::add_vertex(m_graph);
  m_router_kinds.push_back(kind);
  m_router_regions.push_back(region);
  m_routes.clear();
  return static_cast<RouterId>(vertex);
}

std::uint32_t Topology::add_link(RouterId a, RouterId b, const LinkParams& params) {
  SPMC_CHECK(a < router_count() && b < router_count() && a != b);
  const auto index = static_cast<std::uint32_t>(m_links.size());
  boost::add_edge(a, b, Graph::edge_property_type(params.latency_us, index), m_graph);
  m_links.push_back(params);
  m_routes.clear();
  return index;
}

void Topology::attach(NodeId node, RouterId router, const LinkParams& access) {
  SPMC_CHECK(router < router_count());
  if (m_endpoints.size() <= node) {
    m_endpoints.resize(static_cast<std::size_t>(node) + 1);
  }
  m_endpoints[node] = Endpoint{true, router, access, std::nullopt};
}

void Topology::set_home(NodeId phone, RouterId site) {
  SPMC_CHECK(phone != kServerNode && attached(phone) && site < router_count());
  m_endpoints[phone].home = site;
}

RouterId Topology::home_of(NodeId phone) const {
  SPMC_CHECK(attached(phone));
  return m_endpoints[phone].home.value_or(router_of(kServerNode));
}

bool Topology::attached(NodeId node) const {
  return node < m_endpoints.size() && m_endpoints[node].attached;
}

RouterId Topology::router_of(NodeId node) const {
  SPMC_CHECK(attached(node));
  return m_endpoints[node].router;
}

const LinkParams& Topology::access_link(NodeId node) const {
  SPMC_CHECK(attached(node));
  return m_endpoints[node].access;
}

Route Topology::compute_route(RouterId from, RouterId to) const {
  const std::size_t n = router_count();
  std::vector<Graph::vertex_descriptor> predecessor(n);
  std::vector<TimeUs> distance(n);
  boost::dijkstra_shortest_paths(m_graph, from,
                                 boost::predecessor_map(predecessor.data())
                                     .distance_map(distance.data())
                                     .distance_inf(UINT64_MAX));
  SPMC_CHECK(distance[to] != UINT64_MAX);
  Route route;
  route.latency_us = distance[to];
  const auto edge_index = boost::get(boost::edge_index, m_graph);
  const auto weight = boost::get(boost::edge_weight, m_graph);
  for (RouterId at = to; at != from;) {
    const RouterId prev = static_cast<RouterId>(predecessor[at]);
    // Among parallel links, the one dijkstra relaxed: the lowest weight, then lowest index.
    std::uint32_t best = UINT32_MAX;
    TimeUs best_weight = UINT64_MAX;
    for (auto [it, end] = boost::out_edges(prev, m_graph); it != end; ++it) {
      if (boost::target(*it, m_graph) != at) {
        continue;
      }
      const TimeUs w = boost::get(weight, *it);
      const std::uint32_t i = boost::get(edge_index, *it);
      if (w < best_weight || (w == best_weight && i < best)) {
        best = i;
        best_weight = w;
      }
    }
    SPMC_CHECK(best != UINT32_MAX);
    route.links.push_back(best);
    at = prev;
  }
  std::reverse(route.links.begin(), route.links.end());
  return route;
}

const Route& Topology::route(RouterId from, RouterId to) const {
  SPMC_CHECK(from < router_count() && to < router_count());
  const auto key = std::make_pair(from, to);
  auto it = m_routes.find(key);
  if (it == m_routes.end()) {
    it = m_routes.emplace(key, compute_route(from, to)).first;
  }
  return it->second;
}

void Topology::append_route(RouterId from, RouterId to, std::vector<const LinkParams*>& out) const {
  for (const std::uint32_t link : route(from, to).links) {
    out.push_back(&m_links[link]);
  }
}

std::vector<const LinkParams*> Topology::path(NodeId from, NodeId to,
                                              std::optional<NodeId> requester) const {
  std::vector<const LinkParams*> out;
  out.push_back(&access_link(from));
  if (from == kServerNode && to != kServerNode) {
    const RouterId home = home_of(to);
    if (requester && *requester != to && attached(*requester) && home_of(*requester) != home) {
      // Server-to-server relay: out of the requester's site into the recipient's.
      append_route(home_of(*requester), home, out);
      out.push_back(&access_link(kServerNode));
      out.push_back(&access_link(kServerNode));
    }
    append_route(home, router_of(to), out);
  } else if (to == kServerNode && from != kServerNode) {
    append_route(router_of(from), home_of(from), out);
  } else {
    append_route(router_of(from), router_of(to), out);
  }
  out.push_back(&access_link(to));
  return out;
}

Topology generate_topology(const TopologyConfig& config, std::uint32_t phones, Prng& rng) {
  SPMC_CHECK(config.regions >= 1 && config.access_per_region >= 1);
  SPMC_CHECK(config.server_region < config.regions);
  Topology topology;
  std::vector<RouterId> cores;
  for (std::uint32_t region = 0; region < config.regions; ++region) {
    cores.push_back(topology.add_router(RouterKind::kCore, region));
  }
  for (std::uint32_t a = 0; a < config.regions; ++a) {
    for (std::uint32_t b = a + 1; b < config.regions; ++b) {
      LinkParams link = config.core_link;
      link.latency_us *= (b - a);
      topology.add_link(cores[a], cores[b], link);
    }
  }
  std::vector<RouterId> access;
  for (std::uint32_t region = 0; region < config.regions; ++region) {
    for (std::uint32_t i = 0; i < config.access_per_region; ++i) {
      const RouterId router = topology.add_router(RouterKind::kAccess, region);
      topology.add_link(cores[region], router, config.region_link);
      access.push_back(router);
    }
  }
  topology.attach(kServerNode, cores[config.server_region], config.region_link);
  for (std::uint32_t phone = 0; phone < phones; ++phone) {
    topology.attach(phone_node(phone), access[rng.uniform(access.size())], config.access_link);
  }
  return topology;
}

Topology generate_country_topology(const TopologyConfig& config, const CountryPlacement& placement,
                                   std::uint32_t phones) {
  const locality::Topology& countries = locality::builtin_topology();
  SPMC_CHECK(!placement.phone_countries.empty());
  Topology topology;
  // Router i is country i; its "region" is the country index, so every router is a core.
  for (std::size_t c = 0; c < countries.countries().size(); ++c) {
    topology.add_router(RouterKind::kCore, static_cast<std::uint32_t>(c));
  }
  for (const locality::Link& link : countries.links()) {
    LinkParams params = config.core_link;
    params.latency_us = link.latency_us;
    topology.add_link(static_cast<RouterId>(link.a), static_cast<RouterId>(link.b), params);
  }
  const bool direct = placement.deployment.kind == locality::DeploymentKind::kDirect;
  const auto home = [&](std::size_t country) -> RouterId {
    SPMC_CHECK(country < countries.countries().size());
    if (direct) {
      return static_cast<RouterId>(country);
    }
    const std::vector<locality::CountryIndex> servers =
        locality::home_servers(countries, placement.deployment, country);
    SPMC_CHECK(servers.size() == 1);
    return static_cast<RouterId>(servers.front());
  };
  // The server endpoint's own router matters only for a phone without a home: there is none.
  topology.attach(kServerNode, home(placement.phone_countries.front()),
                  direct ? LinkParams{} : config.region_link);
  for (std::uint32_t phone = 0; phone < phones; ++phone) {
    const std::size_t country = placement.phone_countries[phone % placement.phone_countries.size()];
    topology.attach(phone_node(phone), static_cast<RouterId>(country), config.access_link);
    topology.set_home(phone_node(phone), home(country));
  }
  return topology;
}

}  // namespace spmc::sim
