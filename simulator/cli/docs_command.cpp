// `spmc docs defaults|synopsis` (hidden, for maintainers): text the documentation embeds,
// printed from the code so that it cannot drift. simulator/scenarios/SCHEMA.md holds the
// defaults table and README.md the command synopsis between "generated" markers; CTest
// docs.generated fails when either differs from this output (tools/docs_sync.py rewrites
// them with --write).
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "commands.hpp"
#include "invocation.hpp"
#include "spmc/check.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::cli {
namespace {

using OrderedJson = nlohmann::ordered_json;

// One row per leaf field, in schema order: the value an omitted field takes, and the value
// the built-in default.json (what `spmc sim` runs with no scenario) gives it.
void default_rows(const OrderedJson& omitted, const OrderedJson& builtin, const std::string& path,
                  std::string& out) {
  for (const auto& [key, value] : omitted.items()) {
    const std::string field = path.empty() ? key : path + "." + key;
    if (value.is_object()) {
      default_rows(value, builtin.at(key), field, out);
      continue;
    }
    const std::string in_default = builtin.at(key).dump();
    out += "| `" + field + "` | `" + value.dump() + "` | " +
           (in_default == value.dump() ? "same" : "`" + in_default + "`") + " |\n";
  }
}

std::string defaults_table() {
  const auto builtin = sim::parse_scenario(sim::default_scenario_json(), "default.json");
  SPMC_CHECK(builtin.ok());
  std::string out =
      "| field | when omitted | in `default.json` |\n"
      "| --- | --- | --- |\n";
  default_rows(sim::scenario_to_json_full(sim::Scenario{}), sim::scenario_to_json_full(*builtin),
               "", out);
  return out;
}

// "[--seed N]", "[--json]", "[SCENARIO]": how the option is typed.
std::string usage_of(const CLI::Option& opt) {
  if (opt.get_positional()) {
    std::string name = opt.get_name(true);
    for (char& c : name) {
      c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    return name;
  }
  const std::string name = opt.get_name();
  return opt.get_expected_min() == 0 ? name : name + " " + opt.get_type_name();
}

// Words of `text` after `first`, broken before column kWidth, continuation lines indented.
constexpr std::size_t kWidth = 96;
std::string wrap(std::string first, const std::string& text, std::size_t indent) {
  std::string out;
  std::string line = std::move(first);
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find(' ', at);
    end = end == std::string::npos ? text.size() : end;
    const std::string word = text.substr(at, end - at);
    at = end + 1;
    if (line.size() + 1 + word.size() > kWidth && line.size() > indent) {
      out += line + "\n";
      line = std::string(indent, ' ');
    } else if (!line.empty() && line.back() != ' ') {
      line += ' ';
    }
    line += word;
  }
  return out + line + "\n";
}

// A default that is a path into the data directory (the vector files, the scenarios) is
// shown relative to it: the text is checked in and must not depend on where spmc was built
// or installed.
std::string shown_default(const CLI::Option& opt) {
  std::string text = opt.get_default_str();
  const std::string data = data_dir();
  if (!data.empty() && text.rfind(data, 0) == 0) {
    text = "<data dir>" + text.substr(data.size());
  }
  return text;
}

void synopsis_of(CLI::App& cmd, const std::string& prefix, std::string& out) {
  const std::string path = prefix + " " + cmd.get_name();
  const auto subs = cmd.get_subcommands([](CLI::App* sub) { return !sub->get_group().empty(); });
  const auto options =
      cmd.get_options([](const CLI::Option* o) { return o->get_name() != "--help"; });
  if (!options.empty() || subs.empty()) {
    std::string usage;
    for (const CLI::Option* o : options) {
      usage += (usage.empty() ? "[" : " [") + usage_of(*o) + "]";
    }
    out += wrap(path, usage, 8);
    out += wrap("    ", cmd.get_description(), 4);
    for (const CLI::Option* o : options) {
      std::string row = "      " + usage_of(*o);
      row.resize(std::max<std::size_t>(row.size() + 1, 30), ' ');
      std::string text = o->get_description();
      if (!o->get_default_str().empty()) {
        text += " (default " + shown_default(*o) + ")";
      }
      out += wrap(row, text, 30);
    }
  }
  for (CLI::App* sub : subs) {
    synopsis_of(*sub, path, out);
  }
}

std::string synopsis(CLI::App& app) {
  std::string out;
  for (CLI::App* sub : app.get_subcommands([](CLI::App* s) { return !s->get_group().empty(); })) {
    synopsis_of(*sub, "spmc", out);
  }
  return out;
}

}  // namespace

void add_docs_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("docs", "print the generated parts of SCHEMA.md and README.md");
  cmd->group("");  // hidden: a maintainer's tool, not part of the synopsis it prints
  cmd->require_subcommand(1);
  cmd->add_subcommand("defaults", "the scenario defaults table of SCHEMA.md")
      ->callback([&exit_code] {
        std::fputs(defaults_table().c_str(), stdout);
        exit_code = kExitPass;
      });
  cmd->add_subcommand("synopsis", "the command synopsis of README.md")
      ->callback([&app, &exit_code] {
        std::fputs(synopsis(app).c_str(), stdout);
        exit_code = kExitPass;
      });
}

}  // namespace spmc::cli
