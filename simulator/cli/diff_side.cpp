#include "diff_side.hpp"

#include <array>
#include <nlohmann/json.hpp>

#include "scenario_arg.hpp"
#include "spmc/sim/bounded_file.hpp"
#include "spmc/sim/profile_file.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::cli {

bool side_is_scenario_file(const std::string& arg) {
  if (sim::builtin_profile(arg) != nullptr) {
    return false;
  }
  auto text = sim::read_bounded_file(arg, sim::kMaxScenarioBytes);
  if (!text.ok()) {  // the loader's error names the file either way
    return arg.size() > 5 && arg.compare(arg.size() - 5, 5, ".json") == 0;
  }
  const auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (!doc.is_object()) {
    return true;  // the scenario loader says what is wrong with it
  }
  static constexpr std::array<const char*, 8> kProfileOnly = {
      "base", "suite", "key_share", "group", "u2u", "pin_kdf", "limits", "description"};
  for (const char* key : kProfileOnly) {
    if (doc.contains(key)) {
      return false;
    }
  }
  return true;
}

Result<sim::Scenario> resolve_diff_side(const std::string& arg, const std::string& base_path,
                                        const std::vector<std::string>& sets) {
  if (side_is_scenario_file(arg)) {
    return resolve_world(arg, "", sets);
  }
  auto side = resolve_world(base_path, arg, sets);
  // The side is no --profile option: "A: unknown profile 'x' (...); or a profile file".
  if (const std::string option = "--profile: ";
      !side.ok() && side.error().detail.rfind(option, 0) == 0) {
    return make_error(side.code(),
                      side.error().detail.substr(option.size()) + " or a scenario file");
  }
  return side;
}

std::vector<std::string> side_replay_args(const std::string& arg, const std::string& base_path,
                                          const sim::Scenario& base,
                                          const std::vector<std::string>& sets,
                                          std::uint64_t seed) {
  std::vector<std::string> out{"sim"};
  std::vector<std::string> world;
  if (side_is_scenario_file(arg)) {
    world = world_args(arg, "", sets);
  } else {
    const Profile* builtin = sim::builtin_profile(arg);
    const bool own = builtin != nullptr && *builtin == base.profile;
    world = world_args(base_path, own ? "" : arg, sets);
  }
  out.insert(out.end(), world.begin(), world.end());
  out.insert(out.end(), {"--seed", std::to_string(seed)});
  return out;
}

}  // namespace spmc::cli
