#pragma once
// Runs the built `spmc` (SPMC_CLI, set by tests/CMakeLists.txt) with exact arguments (no
// shell, so "" and " 5" arrive as given) and collects its exit code, stdout and stderr.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support/text_file.hpp"

namespace spmc::cli_input_test {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A file in the test's temporary directory, named after the test so concurrent CTest runs of
// different tests never share one.
inline std::string temp_path(const std::string& name) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return ::testing::TempDir() + "spmc_cli_" + info->test_suite_name() + "_" + info->name() + "_" +
         std::to_string(getpid()) + "_" + name;
}

inline std::string write_temp(const std::string& name, const std::string& bytes) {
  std::string path = temp_path(name);
  spmc::testing::write_text(path, bytes);
  return path;
}

inline RunResult run_spmc(const std::vector<std::string>& args) {
  std::vector<std::string> argv_text = {SPMC_CLI};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(argv_text.size() + 1);
  for (std::string& a : argv_text) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  const std::string out_path = temp_path("stdout");
  const std::string err_path = temp_path("stderr");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  RunResult result;
  pid_t pid = 0;
  // environ: <unistd.h> declares it (g++ and clang++ define _GNU_SOURCE).
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    ADD_FAILURE() << "cannot start " << SPMC_CLI;
    return result;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = spmc::testing::read_text(out_path);
  result.err = spmc::testing::read_text(err_path);
  unlink(out_path.c_str());
  unlink(err_path.c_str());
  return result;
}

// The usage-error contract: exit 2 and exactly one line on stderr that starts with `prefix`
// and contains `reason`.
inline ::testing::AssertionResult is_usage_error(const RunResult& r, const std::string& prefix,
                                                 const std::string& reason) {
  const bool one_line =
      !r.err.empty() && r.err.back() == '\n' && std::count(r.err.begin(), r.err.end(), '\n') == 1;
  if (r.exit_code == 2 && one_line && r.err.rfind(prefix, 0) == 0 &&
      r.err.find(reason) != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "exit " << r.exit_code << ", stderr: " << r.err << "wanted exit 2 and one line "
         << "starting '" << prefix << "' containing '" << reason << "'";
}

}  // namespace spmc::cli_input_test
