#pragma once
// Each subcommand registers its options and a callback that sets the exit code:
// 0 pass, 1 a property failed, 2 bad usage or bad input.
#include <CLI/CLI.hpp>
#include <string>

namespace spmc::cli {

inline constexpr int kExitPass = 0;
inline constexpr int kExitFail = 1;
inline constexpr int kExitUsage = 2;

void add_vectors_command(CLI::App& app, int& exit_code);
void add_demo_command(CLI::App& app, int& exit_code);
void add_sim_command(CLI::App& app, int& exit_code);
void add_sweep_command(CLI::App& app, int& exit_code);
void add_replay_command(CLI::App& app, int& exit_code);
void add_shrink_command(CLI::App& app, int& exit_code);
void add_requirements_command(CLI::App& app, int& exit_code);
void add_names_command(CLI::App& app, int& exit_code);
void add_docs_command(CLI::App& app, int& exit_code);

// spec/vectors under the source tree, unless overridden on the command line.
std::string default_vector_dir();

}  // namespace spmc::cli
