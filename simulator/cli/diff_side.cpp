#include "diff_side.hpp"

#include "args.hpp"
#include "spmc/profile.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::cli {

bool side_is_scenario_file(const std::string& arg) {
  const std::string suffix = ".json";
  return arg.size() > suffix.size() &&
         arg.compare(arg.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Result<sim::Scenario> resolve_diff_side(const std::string& arg, const sim::Scenario& base) {
  if (side_is_scenario_file(arg)) {
    return sim::load_scenario(arg);
  }
  if (const std::string unknown = unknown_choice("profile", arg, profile_names());
      !unknown.empty()) {
    return Error{ErrorCode::kBadValue, unknown + "; or a scenario file ending in .json"};
  }
  sim::Scenario scenario = base;
  scenario.profile = arg;
  return scenario;
}

std::vector<std::string> side_replay_args(const std::string& arg, const std::string& base_path,
                                          const sim::Scenario& base, std::uint64_t seed) {
  std::vector<std::string> out{"sim"};
  if (side_is_scenario_file(arg)) {
    out.push_back(arg);
  } else {
    if (!base_path.empty()) {
      out.push_back(base_path);
    }
    if (arg != base.profile) {
      out.insert(out.end(), {"--profile", arg});
    }
  }
  out.insert(out.end(), {"--seed", std::to_string(seed)});
  return out;
}

}  // namespace spmc::cli
