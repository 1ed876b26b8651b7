#pragma once
// The scenario named on a command line, or the compiled-in default; errors are printed
// (file, field and reason in one line) and give nothing.
#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spmc/check.hpp"
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

// The values of --inject-bug.
inline constexpr std::array<std::pair<std::string_view, server::ServerBug>, 3> kBugNames = {{
    {"none", server::ServerBug::kNone},
    {"server_keeps_delivered", server::ServerBug::kKeepsDelivered},
    {"server_forgets_unacked", server::ServerBug::kForgetsUnackedOnReconnect},
}};

inline std::vector<std::string> bug_names() {
  std::vector<std::string> out;
  out.reserve(kBugNames.size());
  for (const auto& [name, bug] : kBugNames) {
    out.emplace_back(name);
  }
  return out;
}

// --inject-bug NAME, already checked against bug_names() when the command line was parsed
// (add_choice_option), so an unknown name here is a programming error.
inline server::ServerBug bug_by_name(const std::string& name) {
  const auto* it = std::find_if(kBugNames.begin(), kBugNames.end(),
                                [&name](const auto& entry) { return entry.first == name; });
  SPMC_CHECK(it != kBugNames.end());
  return it->second;
}

}  // namespace spmc::cli
