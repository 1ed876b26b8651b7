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

// The swarm draws among the built-ins only: its must-hold adversaries are known per built-in.
std::vector<std::string> builtin_names() {
  std::vector<std::string> out;
  for (const Profile* p : all_profiles()) {
    out.push_back(p->name);
  }
  return out;
}

}  // namespace

void add_swarm_options(CLI::App& cmd, SwarmArgs& args) {
  auto* swarm = cmd.add_flag("--swarm", args.swarm,
                             "Draw the whole scenario from the seed (simulator/SWARM.md) instead "
                             "of reading a file");
  add_u32_option(cmd, "--swarm-max-phones", args.max_phones, 2, kSwarmMaxPhonesLimit,
                 "With --swarm: draw at most this many phones")
      ->needs(swarm);
  add_choice_option(cmd, "--swarm-profile", args.profiles, "profile", builtin_names(),
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

std::optional<sim::Scenario> scenario_for(const std::string& path, const std::string& profile,
                                          const std::vector<std::string>& sets,
                                          const SwarmArgs& args, std::uint64_t seed) {
  if (!args.swarm) {
    return load_scenario_arg(path, profile, sets);
  }
  if (!path.empty()) {
    std::fprintf(stderr,
                 "spmc: error: %s: --swarm draws the scenario from the seed; give no scenario "
                 "file (spmc sim --swarm --seed N --print-scenario writes one)\n",
                 path.c_str());
    return std::nullopt;
  }
  sim::Scenario drawn = sim::swarm_scenario(seed, swarm_ranges_of(args));
  if (profile.empty() && sets.empty()) {
    return drawn;
  }
  auto changed = apply_world_overrides(std::move(drawn), "--swarm --seed " + std::to_string(seed),
                                       profile, sets);
  if (!changed.ok()) {
    std::fprintf(stderr, "spmc: error: %s\n", changed.error().detail.c_str());
    return std::nullopt;
  }
  return std::move(*changed);
}

std::vector<std::string> world_replay_args(const std::string& path, const std::string& profile,
                                           const std::vector<std::string>& sets,
                                           const SwarmArgs& args, std::uint64_t seed) {
  std::vector<std::string> out;
  if (args.swarm) {
    out.emplace_back("--swarm");
    if (args.max_phones != SwarmArgs{}.max_phones) {
      out.insert(out.end(), {"--swarm-max-phones", std::to_string(args.max_phones)});
    }
    for (const std::string& p : args.profiles) {
      out.insert(out.end(), {"--swarm-profile", p});
    }
  }
  const auto world = world_args(args.swarm ? "" : path, profile, sets);
  out.insert(out.end(), world.begin(), world.end());
  out.insert(out.end(), {"--seed", std::to_string(seed)});
  return out;
}

}  // namespace spmc::cli
