#pragma once
// Test helper: a scenario shipped in simulator/scenarios/, by name without ".json".
#include <string>

#include "spmc/check.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::sim::testing {

inline Scenario shipped(const std::string& name) {
  auto s = load_scenario(std::string(SPMC_SOURCE_DIR) + "/simulator/scenarios/" + name + ".json");
  SPMC_CHECK(s.ok());
  return *s;
}

}  // namespace spmc::sim::testing
