#include "swarm_arg.hpp"

#include <algorithm>
#include <cstdio>

#include "args.hpp"
#include "scenario_arg.hpp"
#include "spmc/sim/swarm_adversaries.hpp"

namespace spmc::cli {

namespace {

// Worlds of a thousand phones still run in seconds; beyond that a swarm is no longer a
// sweep of many small worlds (SWARM.md).
constexpr std::uint32_t kSwarmMaxPhonesLimit = 1000;

}  // namespace

void add_swarm_options(CLI::App& cmd, SwarmArgs& args) {
  auto* swarm = cmd.add_flag("--swarm", args.swarm,
                             "Draw the whole scenario from the seed (simulator/SWARM.md) instead "
                             "of reading a file");
  add_u32_option(cmd, "--swarm-max-phones", args.max_phones, 2, kSwarmMaxPhonesLimit,
                 "With --swarm: draw at most this many phones")
      ->needs(swarm);
  add_choice_option(cmd, "--swarm-profile", args.profiles, "profile", profile_names(),
                    "With --swarm: draw the profile among these only (repeatable)")
      ->needs(swarm);
}

sim::SwarmRanges swarm_ranges_of(const SwarmArgs& args) {
  std::vector<const Profile*> profiles;
  for (const Profile* p : all_profiles()) {  // all_profiles() order, whatever the typed order
    if (std::find(args.profiles.begin(), args.profiles.end(), p->name) != args.profiles.end()) {
      profiles.push_back(p);
    }
  }
  sim::SwarmRanges ranges = sim::swarm_ranges(profiles);
  ranges.phones.hi = args.max_phones;
  ranges.phones.lo = std::min(ranges.phones.lo, ranges.phones.hi);
  return ranges;
}

std::optional<sim::Scenario> scenario_for(const std::string& path, const SwarmArgs& args,
                                          std::uint64_t seed) {
  if (!args.swarm) {
    return load_scenario_arg(path);
  }
  if (!path.empty()) {
    std::fprintf(stderr,
                 "spmc: error: %s: --swarm draws the scenario from the seed; give no scenario "
                 "file (spmc sim --swarm --seed N --print-scenario writes one)\n",
                 path.c_str());
    return std::nullopt;
  }
  return sim::swarm_scenario(seed, swarm_ranges_of(args));
}

std::vector<std::string> world_replay_args(const std::string& path, const SwarmArgs& args,
                                           std::uint64_t seed) {
  std::vector<std::string> out;
  if (args.swarm) {
    out.emplace_back("--swarm");
    if (args.max_phones != SwarmArgs{}.max_phones) {
      out.insert(out.end(), {"--swarm-max-phones", std::to_string(args.max_phones)});
    }
    for (const std::string& p : args.profiles) {
      out.insert(out.end(), {"--swarm-profile", p});
    }
  } else if (!path.empty()) {
    out.push_back(path);
  }
  out.insert(out.end(), {"--seed", std::to_string(seed)});
  return out;
}

}  // namespace spmc::cli
