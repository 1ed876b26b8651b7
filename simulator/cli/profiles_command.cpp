// `spmc profiles [PROFILE...] [--show PROFILE] [--json]`: the built-in profiles (or the ones
// named) side by side with the rows where they differ marked, and every scheme a profile file
// may name; --show prints one profile as a complete file to copy and edit (PRO-008).
#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.hpp"
#include "scenario_arg.hpp"
#include "spmc/schemes/catalog.hpp"
#include "spmc/sim/profile_file.hpp"

namespace spmc::cli {

namespace {

using OrderedJson = nlohmann::ordered_json;

struct ProfilesArgs {
  std::vector<std::string> names;
  std::string show;
  bool json = false;
};

// One profile's fields ("key_share", "limits.max_forward") and values, in schema order.
std::vector<std::pair<std::string, std::string>> flatten(const OrderedJson& profile) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, value] : profile.items()) {
    if (key == "name" || key == "description") {
      continue;
    }
    if (value.is_object()) {
      for (const auto& [sub, v] : value.items()) {
        out.emplace_back(key + "." + sub, v.dump());
      }
    } else {
      out.emplace_back(key, value.get<std::string>());
    }
  }
  return out;
}

// One row per field, one value per profile (every profile_to_json has the same fields).
std::vector<std::pair<std::string, std::vector<std::string>>> rows(
    const std::vector<OrderedJson>& columns) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const OrderedJson& column : columns) {
    const auto fields = flatten(column);
    out.resize(fields.size());
    for (std::size_t i = 0; i < fields.size(); ++i) {
      out[i].first = fields[i].first;
      out[i].second.push_back(fields[i].second);
    }
  }
  return out;
}

bool differs(const std::vector<std::string>& values) {
  for (const std::string& v : values) {
    if (v != values.front()) {
      return true;
    }
  }
  return false;
}

template <typename Choices>
OrderedJson choice_list(const Choices& choices) {
  OrderedJson out = OrderedJson::array();
  for (const auto& c : choices) {
    out.push_back({{"name", c.name}, {"summary", c.summary}});
  }
  return out;
}

OrderedJson scheme_catalog() {
  OrderedJson out = OrderedJson::object();
  out["suite"] = choice_list(schemes::suite_choices());
  out["key_share"] = choice_list(schemes::key_share_choices());
  out["group"] = choice_list(schemes::group_choices());
  out["u2u"] = choice_list(schemes::u2u_choices());
  out["pin_kdf"] = choice_list(schemes::pin_kdf_choices());
  return out;
}

void print_text(const std::vector<Profile>& profiles, const std::vector<OrderedJson>& columns) {
  const auto table = rows(columns);
  std::size_t width = 5;
  for (const auto& [field, values] : table) {
    width = std::max(width, field.size());
  }
  // Columns padded to 30 but the last, so no line ends in blanks.
  const auto cells = [](const auto& values, auto text) {
    for (std::size_t i = 0; i < values.size(); ++i) {
      std::printf(i + 1 < values.size() ? "  %-30s" : "  %s", text(values[i]).c_str());
    }
    std::printf("\n");
  };
  std::printf("  %-*s", static_cast<int>(width), "field");
  cells(profiles, [](const Profile& p) { return p.name; });
  for (const auto& [field, values] : table) {
    std::printf("%c %-*s", differs(values) ? '*' : ' ', static_cast<int>(width), field.c_str());
    cells(values, [](const std::string& v) { return v; });
  }
  std::printf("(* differs)\n\n");
  for (const Profile& p : profiles) {
    std::printf("%s: %s\n", p.name.c_str(), p.description.c_str());
  }
  std::printf("\nSchemes a profile file may name:\n");
  const OrderedJson catalog = scheme_catalog();  // items() does not keep a temporary alive
  for (const auto& [part, choices] : catalog.items()) {
    for (const auto& c : choices) {
      std::printf("  %-9s %-29s %s\n", part.c_str(), c["name"].get<std::string>().c_str(),
                  c["summary"].get<std::string>().c_str());
    }
  }
  std::printf(
      "\nA profile of your own: spmc profiles --show paper > mine.json, edit it (give it a new "
      "name), then spmc sim --profile mine.json; simulator/profiles/README.md has the format.\n");
}

int run_profiles(const ProfilesArgs& a) {
  if (!a.show.empty()) {
    auto p = resolve_profile_arg(a.show);
    if (!p.ok()) {
      std::fprintf(stderr, "spmc: error: %s\n", p.error().detail.c_str());
      return kExitUsage;
    }
    std::printf("%s\n", sim::profile_to_json(*p).dump(2).c_str());
    return kExitPass;
  }
  std::vector<Profile> profiles;
  if (a.names.empty()) {
    const auto all = sim::builtin_profiles();
    profiles.assign(all.begin(), all.end());
  }
  for (const std::string& name : a.names) {
    auto p = resolve_profile_arg(name);
    if (!p.ok()) {
      std::fprintf(stderr, "spmc: error: %s\n", p.error().detail.c_str());
      return kExitUsage;
    }
    profiles.push_back(std::move(*p));
  }
  std::vector<OrderedJson> columns;
  columns.reserve(profiles.size());
  for (const Profile& p : profiles) {
    columns.push_back(sim::profile_to_json(p));
  }
  if (a.json) {
    OrderedJson differing = OrderedJson::array();
    for (const auto& [field, values] : rows(columns)) {
      if (differs(values)) {
        differing.push_back(field);
      }
    }
    OrderedJson j;
    j["profiles"] = columns;
    j["differences"] = differing;
    j["schemes"] = scheme_catalog();
    std::printf("%s\n", j.dump().c_str());
  } else {
    print_text(profiles, columns);
  }
  return kExitPass;
}

}  // namespace

void add_profiles_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ProfilesArgs>();
  auto* cmd = app.add_subcommand(
      "profiles", "List the protocol profiles side by side, and the schemes a profile may name");
  cmd->add_option("profile", args->names,
                  "Profiles to compare: built-in names or profile files; default: every built-in");
  cmd->add_option("--show", args->show,
                  "Print this profile (a name or a file) as a complete profile file");
  cmd->add_flag("--json", args->json,
                "Print one JSON object: the profiles, the fields that differ, the schemes");
  cmd->callback([args, &exit_code] { exit_code = run_profiles(*args); });
}

}  // namespace spmc::cli
