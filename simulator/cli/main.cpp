// spmc: the one command line for the SPMC reference implementation and simulator.
#include <cstdio>
#include <string>
#include <vector>

#include "args.hpp"
#include "commands.hpp"
#include "invocation.hpp"
#include "output_file.hpp"

namespace {

int parse_and_run(CLI::App& app, int argc, char** argv, const int& exit_code) {
  try {
    // CLI11 reports a mistyped command as "A subcommand is required" or as an unexpected
    // argument; name it and suggest the closest instead.
    const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    if (const std::string unknown = spmc::cli::unknown_subcommand(app, args); !unknown.empty()) {
      throw CLI::ValidationError(unknown);
    }
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return spmc::cli::kExitPass;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return spmc::cli::kExitPass;
  } catch (const CLI::CallForVersion& e) {
    std::fputs(e.what(), stdout);
    return spmc::cli::kExitPass;
  } catch (const CLI::ParseError& e) {
    // CLI11 throws CallForHelp from subcommands too; anything else is a usage error.
    std::fprintf(stderr, "spmc: error: %s (try 'spmc --help')\n", e.what());
    return spmc::cli::kExitUsage;
  }
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  spmc::cli::buffer_stdout();
  if (argc > 0) {
    spmc::cli::set_program_path(argv[0]);
  }
  CLI::App app{
      "SPMC: reference implementation and deterministic simulator of the Secure and "
      "Privacy-preserving Mobile Chat protocol",
      "spmc"};
  app.require_subcommand(1);
  app.set_version_flag("--version", spmc::cli::version_text());
  app.footer(spmc::cli::exit_codes_text());
  int exit_code = spmc::cli::kExitPass;
  spmc::cli::add_vectors_command(app, exit_code);
  spmc::cli::add_demo_command(app, exit_code);
  spmc::cli::add_sim_command(app, exit_code);
  spmc::cli::add_sweep_command(app, exit_code);
  spmc::cli::add_replay_command(app, exit_code);
  spmc::cli::add_shrink_command(app, exit_code);
  spmc::cli::add_requirements_command(app, exit_code);
  spmc::cli::add_names_command(app, exit_code);
  spmc::cli::add_profiles_command(app, exit_code);
  spmc::cli::add_diff_command(app, exit_code);
  spmc::cli::add_chart_command(app, exit_code);
  spmc::cli::add_locality_command(app, exit_code);
  spmc::cli::add_server_command(app, exit_code);
  spmc::cli::add_live_command(app, exit_code);
  spmc::cli::add_docs_command(app, exit_code);
  const int code = parse_and_run(app, argc, argv, exit_code);
  // Whatever the verdict, output that never reached stdout (a full disk, a closed pipe) is a
  // failure of the run: a PASS nobody could read is not a pass.
  if (auto error = spmc::cli::finish_stdout()) {
    spmc::cli::print_output_error(*error);
    return spmc::cli::kExitUsage;
  }
  return code;
}
