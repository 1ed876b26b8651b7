#pragma once
// The scenario named on a command line, or the compiled-in default; errors are printed
// (file, field and reason in one line) and give nothing.
#include <cstdio>
#include <optional>
#include <string>

#include "spmc/sim/scenario.hpp"

namespace spmc::cli {

inline std::optional<sim::Scenario> load_scenario_arg(const std::string& path) {
  auto loaded = path.empty() ? sim::parse_scenario(sim::default_scenario_json(), "default.json")
                             : sim::load_scenario(path);
  if (!loaded.ok()) {
    std::fprintf(stderr, "spmc: error: %s\n", loaded.error().detail.c_str());
    return std::nullopt;
  }
  return *loaded;
}

}  // namespace spmc::cli
