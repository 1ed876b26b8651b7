// Deployments and the application paths they give (LOC-005, LOC-006).
#include <algorithm>
#include <map>
#include <string>

#include "spmc/locality/report.hpp"

namespace spmc::locality {

namespace {

const char* const kDeploymentWords = "central:CC, regional, federated or direct";

// Appends `leg` to `path`, whose last country is the leg's first.
void append_leg(std::vector<CountryIndex>& path, const Path& leg) {
  SPMC_CHECK(!leg.countries.empty());
  if (path.empty()) {
    path = leg.countries;
    return;
  }
  SPMC_CHECK(path.back() == leg.countries.front());
  path.insert(path.end(), leg.countries.begin() + 1, leg.countries.end());
}

}  // namespace

Result<Deployment> parse_deployment(std::string_view text, const Topology& topology,
                                    std::string_view source) {
  const auto fail = [&](const std::string& reason) {
    return Error{ErrorCode::kBadValue, std::string(source) + ": " + reason};
  };
  Deployment d;
  if (text == "regional") {
    d.kind = DeploymentKind::kRegional;
    d.regional = regional_servers(topology);
    return d;
  }
  if (text == "federated") {
    d.kind = DeploymentKind::kFederated;
    return d;
  }
  if (text == "direct") {
    d.kind = DeploymentKind::kDirect;
    return d;
  }
  constexpr std::string_view kCentral = "central:";
  if (text.substr(0, kCentral.size()) == kCentral) {
    const std::string_view code = text.substr(kCentral.size());
    const auto country = topology.find(code);
    if (!country) {
      return fail("unknown country '" + std::string(code) + "' (a code of the topology, e.g. " +
                  topology.countries()[topology.study().front()].code + ")");
    }
    d.kind = DeploymentKind::kCentral;
    d.central = *country;
    return d;
  }
  return fail("unknown deployment '" + std::string(text) + "' (one of: " + kDeploymentWords + ")");
}

std::string deployment_name(const Deployment& deployment, const Topology& topology) {
  switch (deployment.kind) {
    case DeploymentKind::kCentral:
      return "central:" + topology.countries()[deployment.central].code;
    case DeploymentKind::kRegional:
      return "regional";
    case DeploymentKind::kFederated:
      return "federated";
    case DeploymentKind::kDirect:
      return "direct";
  }
  return "";
}

std::vector<std::pair<std::string, CountryIndex>> regional_servers(const Topology& topology) {
  std::map<std::string, std::vector<CountryIndex>> by_region;
  for (const CountryIndex c : topology.study()) {
    by_region[topology.countries()[c].region].push_back(c);
  }
  std::vector<std::pair<std::string, CountryIndex>> out;
  for (const auto& [region, members] : by_region) {
    CountryIndex best = members.front();
    std::uint64_t best_cost = UINT64_MAX;
    for (const CountryIndex candidate : members) {
      std::uint64_t cost = 0;
      for (const CountryIndex m : members) {
        cost += topology.path(candidate, m).latency_us + topology.path(m, candidate).latency_us;
      }
      if (cost < best_cost || (cost == best_cost && topology.countries()[candidate].code <
                                                        topology.countries()[best].code)) {
        best = candidate;
        best_cost = cost;
      }
    }
    out.emplace_back(region, best);
  }
  return out;
}

std::vector<CountryIndex> home_servers(const Topology& topology, const Deployment& deployment,
                                       CountryIndex user) {
  switch (deployment.kind) {
    case DeploymentKind::kCentral:
      return {deployment.central};
    case DeploymentKind::kRegional: {
      const std::string& region = topology.countries()[user].region;
      for (const auto& [name, server] : deployment.regional) {
        if (name == region) {
          return {server};
        }
      }
      // A transit-only country's region may have no study country and so no server: its
      // users are homed on the regional server nearest to them (ties: the smaller code).
      CountryIndex best = deployment.regional.front().second;
      for (const auto& [name, server] : deployment.regional) {
        const std::uint64_t l = topology.path(user, server).latency_us;
        const std::uint64_t lb = topology.path(user, best).latency_us;
        if (l < lb ||
            (l == lb && topology.countries()[server].code < topology.countries()[best].code)) {
          best = server;
        }
      }
      return {best};
    }
    case DeploymentKind::kFederated:
      return {user};
    case DeploymentKind::kDirect:
      return {};
  }
  return {};
}

ApplicationPath application_path(const Topology& topology, const Deployment& deployment,
                                 CountryIndex from, CountryIndex to) {
  // The sender's server, then (when it differs) the recipient's: server-to-server relay for
  // regional and federated deployments; a central deployment has one server for both.
  std::vector<CountryIndex> waypoints{from};
  const auto add_server = [&](CountryIndex server, ApplicationPath& out) {
    if (out.servers.empty() || out.servers.back() != server) {
      out.servers.push_back(server);
      waypoints.push_back(server);
    }
  };
  ApplicationPath out;
  for (const CountryIndex s : home_servers(topology, deployment, from)) {
    add_server(s, out);
  }
  for (const CountryIndex s : home_servers(topology, deployment, to)) {
    add_server(s, out);
  }
  waypoints.push_back(to);
  for (std::size_t i = 0; i + 1 < waypoints.size(); ++i) {
    const Path& leg = topology.path(waypoints[i], waypoints[i + 1]);
    append_leg(out.countries, leg);
    out.latency_us += leg.latency_us;
  }
  return out;
}

}  // namespace spmc::locality
