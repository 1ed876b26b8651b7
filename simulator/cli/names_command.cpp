// `spmc names [--json]`: the names the simulator shares with the Python tools (phone
// events, the abstract model alphabet, invariants). models/names.json is this output,
// committed; CTest models.names fails when the two differ.
#include <cstdio>
#include <memory>
#include <string>

#include "commands.hpp"
#include "spmc/sim/names.hpp"

namespace spmc::cli {

void add_names_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "names", "print the phone-event, model-event and invariant names shared with models/");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "one JSON object, as committed in models/names.json");
  cmd->callback([json, &exit_code] {
    const nlohmann::json names = sim::names_json();
    if (*json) {
      std::fputs((names.dump(2) + "\n").c_str(), stdout);
    } else {
      for (const auto& [table, entries] : names.items()) {
        std::printf("%s: %s\n", table.c_str(), entries.dump().c_str());
      }
    }
    exit_code = kExitPass;
  });
}

}  // namespace spmc::cli
