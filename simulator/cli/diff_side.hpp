#pragma once
// What one side of `spmc diff A B` names, and the one place a side's argument becomes the
// scenario its worlds run: a built-in profile or a profile file (the --scenario world under
// that profile), or a scenario file (that world as written, the --scenario world set aside).
// The --set values apply to both sides, after the profile, as on `spmc sim`.
#include <cstdint>
#include <string>
#include <vector>

#include "spmc/result.hpp"
#include "spmc/sim/scenario.hpp"

namespace spmc::cli {

// A side that names a scenario file replaces the --scenario world instead of changing it.
// A JSON file is a profile file when its object has a field only profiles have (base, suite,
// key_share, group, u2u, pin_kdf, limits, description), else a scenario file.
bool side_is_scenario_file(const std::string& arg);

// The scenario side `arg` runs in place of the --scenario file `base_path` ("" for the
// built-in default), with `sets` applied. The error is one line without the side's label:
// "--profile: unknown profile 'x' (...)" or the loader's "<file>: <field>: <reason>".
Result<sim::Scenario> resolve_diff_side(const std::string& arg, const std::string& base_path,
                                        const std::vector<std::string>& sets);

// `spmc sim` arguments replaying `seed` of that side. A profile side names --profile only
// when it is not already the scenario's own, so the common replay (the side the file was
// written for) runs as `spmc sim FILE --seed N`.
std::vector<std::string> side_replay_args(const std::string& arg, const std::string& base_path,
                                          const sim::Scenario& base,
                                          const std::vector<std::string>& sets, std::uint64_t seed);

}  // namespace spmc::cli
