#pragma once
// How this program was started, for what it prints and reads: the replay commands it prints
// must paste into a shell as they are, and its data files (vectors, scenarios) are found
// next to the program, installed or built, never through a path compiled in from a source
// tree that may have moved.
#include <string>
#include <string_view>
#include <vector>

namespace spmc::cli {

// main() records argv[0]: a replay line names the program as the user ran it when that was
// a path (build/default/simulator/spmc works from the current directory), else "spmc".
void set_program_path(std::string_view argv0);

// `text` as one shell word: unchanged when it holds only safe characters, else in single
// quotes (a quote inside becomes '\'').
std::string shell_quote(std::string_view text);

// "<program> arg1 arg2 ...", each argument quoted as needed.
std::string shell_command(const std::vector<std::string>& args);
// "spmc arg1 arg2 ...": the same command naming the program by its installed name, for files
// (report pages) whose bytes must not depend on where the binary was run from.
std::string portable_command(const std::vector<std::string>& args);

// The data directory: $SPMC_DATA_DIR when set, else <program's directory>/../share/spmc
// (bin/spmc next to share/spmc when installed; the build tree links the same layout to the
// source tree's spec/vectors and simulator/scenarios).
std::string data_dir();

}  // namespace spmc::cli
