#include "child_process.hpp"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace spmc::live::detail {
namespace {

bool executable_file(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::optional<std::filesystem::path> find_executable(std::string_view configured,
                                                     std::string_view name,
                                                     const std::filesystem::path& fallback) {
  if (!configured.empty()) {
    return executable_file(configured) ? std::optional<std::filesystem::path>(configured)
                                       : std::nullopt;
  }
  std::vector<std::filesystem::path> candidates;
  if (const char* path = std::getenv("PATH")) {  // NOLINT(concurrency-mt-unsafe)
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
      if (!dir.empty()) {
        candidates.emplace_back(std::filesystem::path(dir) / name);
      }
    }
  }
  if (!fallback.empty()) {
    candidates.push_back(fallback);
  }
  for (const auto& candidate : candidates) {
    if (executable_file(candidate)) {
      return candidate;
    }
  }
  return std::nullopt;
}

std::vector<char*> argv_of(std::vector<std::string>& words) {
  std::vector<char*> argv;
  argv.reserve(words.size() + 1);
  for (std::string& w : words) {
    argv.push_back(w.data());
  }
  argv.push_back(nullptr);
  return argv;
}

void exec_in_child(const std::vector<char*>& argv, int in, int out) noexcept {
  if (in >= 0) {
    ::dup2(in, STDIN_FILENO);
  }
  ::dup2(out, STDOUT_FILENO);
  ::dup2(out, STDERR_FILENO);
  ::execv(argv.front(), argv.data());
  ::_exit(127);
}

pid_t spawn_tied_child(const std::vector<char*>& argv, int in, int out) {
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // NOLINT(cppcoreguidelines-pro-type-vararg)
    if (::getppid() != parent) {
      ::_exit(126);  // the parent died before the tie was made
    }
    exec_in_child(argv, in, out);
  }
  return pid;
}

std::optional<int> wait_for_exit(pid_t pid, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      return status;
    }
    if (r < 0 && errno != EINTR) {
      return -1;  // not our child (any more): nothing left to wait for
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace spmc::live::detail
