#pragma once
// Runs the built `spmc` command line from a test, as a user would from a shell: its exit
// code, stdout and stderr. Files live in a TempDir that is removed when the test ends,
// also when an assertion fails first (the destructor runs on every way out).
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"
#include "support/text_file.hpp"

namespace spmc::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// `args` are passed to spmc each as one word (single-quoted for the shell).
inline CommandResult run_spmc(const TempDir& dir, const std::vector<std::string>& args) {
  std::string command = shell_quote(SPMC_BINARY_DIR "/simulator/spmc");
  for (const std::string& arg : args) {
    command += " " + shell_quote(arg);
  }
  const std::string out = dir.file("stdout");
  const std::string err = dir.file("stderr");
  command += " >'" + out + "' 2>'" + err + "' </dev/null";
  const int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_text(out);
  result.err = read_text(err);
  return result;
}

}  // namespace spmc::testing
