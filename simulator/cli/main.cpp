// spmc: the one command line for the SPMC reference implementation and simulator.
#include <cstdio>
#include <string>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "SPMC: reference implementation and deterministic simulator of the Secure and "
      "Privacy-preserving Mobile Chat protocol",
      "spmc"};
  app.require_subcommand(1);
  int exit_code = spmc::cli::kExitPass;
  spmc::cli::add_vectors_command(app, exit_code);
  spmc::cli::add_demo_command(app, exit_code);
  spmc::cli::add_sim_command(app, exit_code);
  spmc::cli::add_sweep_command(app, exit_code);
  spmc::cli::add_replay_command(app, exit_code);
  spmc::cli::add_shrink_command(app, exit_code);
  spmc::cli::add_requirements_command(app, exit_code);
  spmc::cli::add_names_command(app, exit_code);
  spmc::cli::add_docs_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return spmc::cli::kExitPass;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return spmc::cli::kExitPass;
  } catch (const CLI::ParseError& e) {
    // CLI11 throws CallForHelp from subcommands too; anything else is a usage error.
    std::fprintf(stderr, "spmc: error: %s (try 'spmc --help')\n", e.what());
    return spmc::cli::kExitUsage;
  }
  return exit_code;
}
