#pragma once
// The scenario named on a command line, or the compiled-in default; errors are printed
// (file, field and reason in one line) and give nothing.
#include <cstdio>
#include <optional>
#include <string>

#include "spmc/server.hpp"
#include "spmc/sim/world.hpp"

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

// --inject-bug NAME: none, server_keeps_delivered or server_forgets_unacked; an unknown
// name is printed and gives nothing.
inline std::optional<server::ServerBug> parse_bug_arg(const std::string& name) {
  if (name == "none") {
    return server::ServerBug::kNone;
  }
  if (name == "server_keeps_delivered") {
    return server::ServerBug::kKeepsDelivered;
  }
  if (name == "server_forgets_unacked") {
    return server::ServerBug::kForgetsUnackedOnReconnect;
  }
  std::fprintf(stderr, "spmc: error: --inject-bug: unknown bug '%s'\n", name.c_str());
  return std::nullopt;
}

}  // namespace spmc::cli
