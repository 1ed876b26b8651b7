// Where a world's contact pairs' messages travel (LOC-013): each pair's two countries, the
// application path of the scenario's deployment between them (spmc_sim_locality), and the
// same two judgements as the study's tables, counted over the pairs that actually talk.
#include "locality_exposure.hpp"

#include <algorithm>

#include "spmc/check.hpp"
#include "spmc/locality/report.hpp"

namespace spmc::sim {

std::optional<LocalityExposure> locality_exposure(const Scenario& scenario,
                                                  const std::vector<ContactEdge>& edges) {
  const auto placement = country_placement(scenario);
  if (!placement) {
    return std::nullopt;
  }
  const locality::Topology& topology = locality::builtin_topology();
  // The loader checked the deployment against this topology (country_placement's contract).
  const auto deployment =
      locality::parse_deployment(scenario.locality->deployment, topology, "locality");
  SPMC_CHECK(deployment.ok());
  const auto& countries = placement->phone_countries;
  LocalityExposure out;
  out.deployment = locality::deployment_name(*deployment, topology);
  std::vector<std::uint64_t> accessible(topology.groups().size(), 0);
  for (const auto& [a, b] : edges) {
    const std::size_t from = countries[a % countries.size()];
    const std::size_t to = countries[b % countries.size()];
    const auto path = locality::application_path(topology, *deployment, from, to);
    ++out.pairs;
    const std::string& region = topology.countries()[from].region;
    if (topology.countries()[to].region == region) {
      ++out.same_region;
      const bool leaves =
          std::any_of(path.countries.begin(), path.countries.end(),
                      [&](std::size_t c) { return topology.countries()[c].region != region; });
      out.leaving += leaves ? 1 : 0;
    }
    for (std::size_t g = 0; g < accessible.size(); ++g) {
      const bool on_path = std::any_of(path.countries.begin(), path.countries.end(),
                                       [&](std::size_t c) { return topology.member(g, c); });
      accessible[g] += on_path ? 1 : 0;
    }
  }
  for (std::size_t g = 0; g < accessible.size(); ++g) {
    out.accessible.emplace_back(topology.groups()[g].name, accessible[g]);
  }
  return out;
}

}  // namespace spmc::sim
