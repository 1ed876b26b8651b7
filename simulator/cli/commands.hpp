#pragma once
// Each subcommand registers its options and a callback that sets the exit code:
// 0 pass, 1 a property failed, 2 bad usage or bad input; replay adds 3 and 4.
#include <CLI/CLI.hpp>
#include <string>

namespace spmc::cli {

inline constexpr int kExitPass = 0;
inline constexpr int kExitFail = 1;
inline constexpr int kExitUsage = 2;
// spmc replay: the trace's events differ from this build's run of the world it names.
inline constexpr int kExitReplayDiverged = 3;
// spmc replay: the file was damaged after it was written (truncated, CRLF, edited bytes).
inline constexpr int kExitReplayDamaged = 4;

void add_vectors_command(CLI::App& app, int& exit_code);
void add_demo_command(CLI::App& app, int& exit_code);
void add_sim_command(CLI::App& app, int& exit_code);
void add_sweep_command(CLI::App& app, int& exit_code);
void add_replay_command(CLI::App& app, int& exit_code);
void add_shrink_command(CLI::App& app, int& exit_code);
void add_requirements_command(CLI::App& app, int& exit_code);
void add_names_command(CLI::App& app, int& exit_code);
void add_profiles_command(CLI::App& app, int& exit_code);
void add_docs_command(CLI::App& app, int& exit_code);
void add_diff_command(CLI::App& app, int& exit_code);
void add_chart_command(CLI::App& app, int& exit_code);
void add_locality_command(CLI::App& app, int& exit_code);
void add_server_command(CLI::App& app, int& exit_code);
void add_live_command(CLI::App& app, int& exit_code);

// `spmc --version` (version.cpp) and the exit-status paragraph of `spmc --help`.
std::string version_text();
std::string exit_codes_text();

// The shipped vector files: <data_dir()>/vectors (invocation.hpp), unless --dir overrides.
std::string default_vector_dir();

}  // namespace spmc::cli
