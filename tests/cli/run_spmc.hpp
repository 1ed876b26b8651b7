#pragma once
// Runs the built `spmc` as a user would (through /bin/sh, from a scratch directory) and
// collects its exit code, stdout and stderr. Every test gets its own scratch directory,
// removed in TearDown, which gtest runs also when the test failed.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "support/text_file.hpp"

namespace spmc::cli_test {

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

using spmc::testing::read_text;
using spmc::testing::shell_quote;
using spmc::testing::write_text;

// A path no one can create a file under, root included (CI may run tests as root, for whom
// a read-only directory is no obstacle): /dev/null is not a directory.
inline const char* kUnwritableDir = "/dev/null/x";

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "spmc-cli-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_dir = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    // A test may have made a subdirectory read-only; give write access back to remove it.
    for (const auto& entry : std::filesystem::recursive_directory_iterator(m_dir, ec)) {
      if (entry.is_directory(ec)) {
        std::filesystem::permissions(entry.path(), std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::add, ec);
      }
    }
    std::filesystem::remove_all(m_dir, ec);
  }

  const std::filesystem::path& dir() const { return m_dir; }

  // `spmc ARGS` run in dir() (or `cwd`); stdout goes to `stdout_to` when given.
  Outcome spmc(const std::vector<std::string>& args, const std::string& stdout_to = "",
               const std::string& env = "", const std::string& program = SPMC_CLI) const {
    return shell(env + " " + shell_quote(program) + " " + join(args), stdout_to);
  }

  // Any shell command line, run in dir().
  Outcome shell(const std::string& line, const std::string& stdout_to = "") const {
    const auto out = m_dir / ".run-out";
    const auto err = m_dir / ".run-err";
    const std::string command = "cd " + shell_quote(m_dir.string()) + " && (" + line + ") >" +
                                shell_quote(stdout_to.empty() ? out.string() : stdout_to) + " 2>" +
                                shell_quote(err.string());
    const int status = std::system(command.c_str());  // NOLINT(cert-env33-c): the test's point
    Outcome r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = stdout_to.empty() ? read_text(out) : "";
    r.err = read_text(err);
    std::filesystem::remove(out);
    std::filesystem::remove(err);
    return r;
  }

  // The names in dir() other than the test's own, to prove no temporary was left behind.
  std::vector<std::string> listing(const std::filesystem::path& where) const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(where)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  static std::string join(const std::vector<std::string>& args) {
    std::string out;
    for (const std::string& a : args) {
      out += " " + shell_quote(a);
    }
    return out;
  }

  std::filesystem::path m_dir;
};

}  // namespace spmc::cli_test
