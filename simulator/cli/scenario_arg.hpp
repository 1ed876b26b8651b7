#pragma once
// The world a command runs: the scenario named on the command line (or the compiled-in
// default), then `--profile NAME|FILE`, then each `--set path=value` in order, validated as
// one scenario file would be. Errors are printed (source, field and reason in one line) and
// give nothing.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spmc/check.hpp"
#include "spmc/phone.hpp"
#include "spmc/profile.hpp"
#include "spmc/result.hpp"
#include "spmc/server.hpp"
#include "spmc/sim/world.hpp"

namespace CLI {
class App;
}

namespace spmc::cli {

// A built-in profile's name, else a profile file (simulator/profiles/README.md). A name wins
// over a file of the same name in the working directory; write ./paper for the file.
Result<Profile> resolve_profile_arg(const std::string& arg);
// The same, or every built-in for "all".
Result<std::vector<Profile>> resolve_profiles_arg(const std::string& arg);

// The scenario of `path` ("" for the built-in default) with `profile` ("" for the scenario's
// own) and the `sets` ("path=value") applied.
Result<sim::Scenario> resolve_world(const std::string& path, const std::string& profile,
                                    const std::vector<std::string>& sets);
// `s` (read from `source`) with `profile` and `sets` applied, as resolve_world does.
Result<sim::Scenario> apply_world_overrides(sim::Scenario s, const std::string& source,
                                            const std::string& profile,
                                            const std::vector<std::string>& sets);
// resolve_world, printing the error.
std::optional<sim::Scenario> load_scenario_arg(const std::string& path,
                                               const std::string& profile = "",
                                               const std::vector<std::string>& sets = {});

// The command-line words that give the same world again, for replay lines:
// [path] [--profile P] [--set X=Y]...
std::vector<std::string> world_args(const std::string& path, const std::string& profile,
                                    const std::vector<std::string>& sets);

// --profile and --set (repeatable) on a command that runs worlds.
void add_profile_option(CLI::App& cmd, std::string& profile);
void add_set_option(CLI::App& cmd, std::vector<std::string>& sets);

// The values of --inject-bug: a broken server or a broken phone (the world's PhoneConfig).
struct InjectedBug {
  server::ServerBug server = server::ServerBug::kNone;
  phone::PhoneBug phone = phone::PhoneBug::kNone;
};
struct BugName {
  std::string_view name;
  InjectedBug bug;
};
inline constexpr std::array<BugName, 5> kBugNames = {{
    {"none", {}},
    {"server_keeps_delivered", {server::ServerBug::kKeepsDelivered, phone::PhoneBug::kNone}},
    {"server_forgets_unacked",
     {server::ServerBug::kForgetsUnackedOnReconnect, phone::PhoneBug::kNone}},
    {"phone_acks_before_persist",
     {server::ServerBug::kNone, phone::PhoneBug::kReleasesBeforePersist}},
    {"phone_skips_persist", {server::ServerBug::kNone, phone::PhoneBug::kSkipsPersistOnSend}},
}};

// Every name, or (server_only) those that break the server, for `spmc server`.
inline std::vector<std::string> bug_names(bool server_only = false) {
  std::vector<std::string> out;
  out.reserve(kBugNames.size());
  for (const auto& [name, bug] : kBugNames) {
    if (!server_only || bug.phone == phone::PhoneBug::kNone) {
      out.emplace_back(name);
    }
  }
  return out;
}

// --inject-bug NAME, already checked against bug_names() when the command line was parsed
// (add_choice_option), so an unknown name here is a programming error.
inline InjectedBug bug_by_name(const std::string& name) {
  const auto* it = std::find_if(kBugNames.begin(), kBugNames.end(),
                                [&name](const BugName& entry) { return entry.name == name; });
  SPMC_CHECK(it != kBugNames.end());
  return it->bug;
}

}  // namespace spmc::cli
