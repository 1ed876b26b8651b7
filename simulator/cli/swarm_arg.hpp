#pragma once
// `--swarm` on sim, sweep and shrink (simulator/SWARM.md): the scenario is drawn from the
// seed instead of read from a file. The options that shape the draw are part of the world,
// so the replay line of a swarm run repeats them.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "spmc/sim/scenario.hpp"
#include "spmc/sim/swarm.hpp"

namespace spmc::cli {

struct SwarmArgs {
  bool swarm = false;
  std::uint32_t max_phones = sim::SwarmRanges{}.phones.hi;
  std::vector<std::string> profiles;  // --swarm-profile: draw among these only
};

// --swarm, --swarm-max-phones N, --swarm-profile NAME (repeatable); the last two need --swarm.
void add_swarm_options(CLI::App& cmd, SwarmArgs& args);

// The ranges the options describe, with the world's must-hold adversaries per profile.
sim::SwarmRanges swarm_ranges_of(const SwarmArgs& args);

// The scenario a command runs: drawn from `seed` under --swarm, else the file (or the
// built-in default); then --profile and the --set values (scenario_arg.hpp), on a drawn
// scenario too. --swarm with a file is a usage error; errors are printed (one line).
std::optional<sim::Scenario> scenario_for(const std::string& path, const std::string& profile,
                                          const std::vector<std::string>& sets,
                                          const SwarmArgs& args, std::uint64_t seed);

// The words after `sim` that rebuild this world: the file, or --swarm and the non-default
// swarm options; then --profile and the --set values; then --seed.
std::vector<std::string> world_replay_args(const std::string& path, const std::string& profile,
                                           const std::vector<std::string>& sets,
                                           const SwarmArgs& args, std::uint64_t seed);

}  // namespace spmc::cli
