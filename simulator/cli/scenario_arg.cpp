#include "scenario_arg.hpp"

#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "args.hpp"
#include "spmc/sim/profile_file.hpp"

namespace spmc::cli {

namespace {

using OrderedJson = nlohmann::ordered_json;

Error usage(const std::string& text) { return make_error(ErrorCode::kBadValue, text); }

bool is_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// Every field path --set may name: the scenario's fields (the writer's full output, with the
// fields it leaves out when empty) and, under "profile", the profile object's.
const std::vector<std::string>& settable_paths() {
  static const std::vector<std::string> kPaths = [] {
    sim::Scenario every;
    every.require_exercised = {"x"};
    every.locality = sim::LocalityConfig{};
    OrderedJson skeleton = sim::scenario_to_json_full(every);
    skeleton["profile"] = sim::profile_to_json(every.profile);
    skeleton["profile"]["base"] = every.profile.name;
    std::vector<std::string> out;
    const auto walk = [&out](const auto& self, const OrderedJson& node,
                             const std::string& prefix) -> void {
      for (const auto& [key, value] : node.items()) {
        const std::string path = prefix.empty() ? key : prefix + "." + key;
        out.push_back(path);
        if (value.is_object()) {
          self(self, value, path);
        }
      }
    };
    walk(walk, skeleton, "");
    return out;
  }();
  return kPaths;
}

struct Assignment {
  std::string arg;  // as given, for messages
  std::string path;
  OrderedJson value;
};

Result<Assignment> parse_assignment(const std::string& arg) {
  const auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0) {
    return usage("--set " + arg + ": expected path=value, e.g. faults.loss_ppm=300000");
  }
  Assignment a{arg, arg.substr(0, eq), {}};
  const auto& known = settable_paths();
  if (std::find(known.begin(), known.end(), a.path) == known.end()) {
    const std::string near = closest_name(a.path, known);
    return usage("--set " + arg + ": " + a.path + ": unknown field" +
                 (near.empty() ? "" : " (did you mean " + near + "?)") +
                 "; fields: simulator/scenarios/SCHEMA.md");
  }
  // A JSON value when the text is one (numbers, true, arrays, "quoted"), else the text itself,
  // so `--set contacts.kind=complete` needs no quotes.
  const std::string text = arg.substr(eq + 1);
  a.value = OrderedJson::parse(text, nullptr, false);
  if (a.value.is_discarded()) {
    a.value = text;
  }
  return a;
}

void assign(OrderedJson& doc, const Assignment& a) {
  OrderedJson* node = &doc;
  std::size_t start = 0;
  for (std::size_t dot = a.path.find('.'); dot != std::string::npos;
       start = dot + 1, dot = a.path.find('.', start)) {
    const std::string key = a.path.substr(start, dot - start);
    OrderedJson& child = (*node)[key];
    // A built-in named by a string becomes that built-in with changes (profile_file.hpp:
    // it is then named "<base>-custom" unless profile.name is set too).
    if (child.is_string() && node == &doc && key == "profile") {
      child = OrderedJson{{"base", child.get<std::string>()}};
    }
    if (!child.is_object()) {
      child = OrderedJson::object();
    }
    node = &child;
  }
  (*node)[a.path.substr(start)] = a.value;
}

// "<source>: <path>: <reason>" from the loader, blamed on the --set that wrote <path> (or
// a field inside it, or an object holding it), the last such one.
Error blame(const Error& e, const std::string& source, const std::vector<Assignment>& sets) {
  const std::string prefix = source + ": ";
  if (e.detail.rfind(prefix, 0) != 0) {
    return e;
  }
  const std::string rest = e.detail.substr(prefix.size());
  const std::string path = rest.substr(0, rest.find(": "));
  for (auto it = sets.rbegin(); it != sets.rend(); ++it) {
    const bool related = path == it->path || path.rfind(it->path + ".", 0) == 0 ||
                         it->path.rfind(path + ".", 0) == 0;
    if (related) {
      return usage("--set " + it->arg + ": " + rest);
    }
  }
  return usage(source + " with --set: " + rest);
}

// A built-in, else a file when `arg` looks like one; `extra` names further accepted words.
Result<Profile> profile_or_file(const std::string& arg, const std::vector<std::string>& extra) {
  if (const Profile* builtin = sim::builtin_profile(arg)) {
    return *builtin;
  }
  const bool looks_like_file =
      arg.find('/') != std::string::npos || arg.find(".json") != std::string::npos || is_file(arg);
  if (!looks_like_file) {
    std::vector<std::string> names;
    for (const Profile& p : sim::builtin_profiles()) {
      names.push_back(p.name);
    }
    names.insert(names.end(), extra.begin(), extra.end());
    return usage("--profile: " + unknown_choice("profile", arg, names) + "; or a profile file");
  }
  return sim::load_profile(arg);
}

}  // namespace

Result<Profile> resolve_profile_arg(const std::string& arg) { return profile_or_file(arg, {}); }

Result<std::vector<Profile>> resolve_profiles_arg(const std::string& arg) {
  if (arg == "all") {
    const auto all = sim::builtin_profiles();
    return std::vector<Profile>(all.begin(), all.end());
  }
  SPMC_TRY(Profile p, profile_or_file(arg, {"all"}));
  return std::vector<Profile>{std::move(p)};
}

Result<sim::Scenario> resolve_world(const std::string& path, const std::string& profile,
                                    const std::vector<std::string>& sets) {
  const std::string source = path.empty() ? "default.json" : path;
  SPMC_TRY(sim::Scenario s, path.empty() ? sim::parse_scenario(sim::default_scenario_json(), source)
                                         : sim::load_scenario(path));
  return apply_world_overrides(std::move(s), source, profile, sets);
}

Result<sim::Scenario> apply_world_overrides(sim::Scenario s, const std::string& source,
                                            const std::string& profile,
                                            const std::vector<std::string>& sets) {
  if (!profile.empty()) {
    SPMC_TRY(s.profile, resolve_profile_arg(profile));
  }
  if (sets.empty()) {
    return s;
  }
  std::vector<Assignment> parsed;
  for (const std::string& arg : sets) {
    SPMC_TRY(Assignment a, parse_assignment(arg));
    parsed.push_back(std::move(a));
  }
  OrderedJson doc = sim::scenario_to_json(s);
  for (const Assignment& a : parsed) {
    assign(doc, a);
  }
  auto merged = sim::parse_scenario(doc.dump(), source);
  if (!merged.ok()) {
    return blame(merged.error(), source, parsed);
  }
  return merged;
}

std::optional<sim::Scenario> load_scenario_arg(const std::string& path, const std::string& profile,
                                               const std::vector<std::string>& sets) {
  auto loaded = resolve_world(path, profile, sets);
  if (!loaded.ok()) {
    std::fprintf(stderr, "spmc: error: %s\n", loaded.error().detail.c_str());
    return std::nullopt;
  }
  return std::move(*loaded);
}

std::vector<std::string> world_args(const std::string& path, const std::string& profile,
                                    const std::vector<std::string>& sets) {
  std::vector<std::string> out;
  if (!path.empty()) {
    out.push_back(path);
  }
  if (!profile.empty()) {
    out.insert(out.end(), {"--profile", profile});
  }
  for (const std::string& s : sets) {
    out.insert(out.end(), {"--set", s});
  }
  return out;
}

void add_profile_option(CLI::App& cmd, std::string& profile) {
  cmd.add_option("--profile", profile,
                 "Protocol profile: a built-in name (spmc profiles) or a profile file "
                 "(simulator/profiles/README.md); default: the scenario's")
      ->type_name("NAME|FILE");
}

void add_set_option(CLI::App& cmd, std::vector<std::string>& sets) {
  cmd.add_option("--set", sets,
                 "Override one scenario field, PATH=VALUE (repeatable; after --profile), e.g. "
                 "faults.loss_ppm=300000 or profile.key_share=signed")
      ->type_name("PATH=VALUE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

}  // namespace spmc::cli
