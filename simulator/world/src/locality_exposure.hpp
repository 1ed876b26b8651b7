#pragma once
// Report::locality of a world in countries (spec/locality.md LOC-013).
#include <optional>
#include <vector>

#include "spmc/sim/contact_graph.hpp"
#include "spmc/sim/scenario.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::sim {

// Nothing when the scenario has no "locality".
std::optional<LocalityExposure> locality_exposure(const Scenario& scenario,
                                                  const std::vector<ContactEdge>& edges);

}  // namespace spmc::sim
