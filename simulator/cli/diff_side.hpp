#pragma once
// What one side of `spmc diff A B` names, and the one place a side's argument becomes the
// scenario its worlds run: a built-in profile (the --scenario world under that profile) or
// a scenario file ending in .json (that world as written, the --scenario world set aside).
#include <cstdint>
#include <string>
#include <vector>

#include "spmc/result.hpp"
#include "spmc/sim/scenario.hpp"

namespace spmc::cli {

// A side that names a scenario file replaces the --scenario world instead of changing it.
bool side_is_scenario_file(const std::string& arg);

// The scenario side `arg` runs in place of `base` (a --scenario file or the built-in
// default). The error is one line without the side's label: "unknown profile 'x' (...)" or
// the scenario loader's "<file>: <field>: <reason>".
Result<sim::Scenario> resolve_diff_side(const std::string& arg, const sim::Scenario& base);

// `spmc sim` arguments replaying `seed` of that side: `base_path` is the --scenario file as
// typed ("" for the built-in default). A profile side names --profile only when it is not
// already the scenario's own, so the common replay (the side the file was written for) runs
// as `spmc sim FILE --seed N`.
std::vector<std::string> side_replay_args(const std::string& arg, const std::string& base_path,
                                          const sim::Scenario& base, std::uint64_t seed);

}  // namespace spmc::cli
