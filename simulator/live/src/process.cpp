#include "spmc/live/process.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <utility>

#include "child_process.hpp"
#include "spmc/live/errors.hpp"

namespace spmc::live {

namespace {

int decode_status(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return WIFSIGNALED(status) ? -WTERMSIG(status) : -1;
}

}  // namespace

Result<ChildProcess> ChildProcess::start(std::vector<std::string> argv,
                                         const std::filesystem::path& output) {
  if (argv.empty() || ::access(argv[0].c_str(), X_OK) != 0) {
    return live_error(Fault::kLibrary,
                      "cannot run " + (argv.empty() ? std::string("(nothing)") : argv[0]));
  }
  // Everything the child needs is made before fork(): after it, only async-signal-safe calls.
  const std::vector<char*> words = detail::argv_of(argv);
  const int out = ::open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (out < 0 || in < 0) {
    const std::string reason = std::strerror(errno);
    if (out >= 0) {
      ::close(out);
    }
    if (in >= 0) {
      ::close(in);
    }
    return live_error(Fault::kLibrary, "cannot open " + output.string() + ": " + reason);
  }
  const pid_t pid = detail::spawn_tied_child(words, in, out);
  ::close(out);
  ::close(in);
  if (pid < 0) {
    return live_error(Fault::kLibrary, std::string("fork: ") + std::strerror(errno));
  }
  return ChildProcess(pid);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept : m_pid(std::exchange(other.m_pid, -1)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    kill();
    m_pid = std::exchange(other.m_pid, -1);
  }
  return *this;
}

ChildProcess::~ChildProcess() { kill(); }

std::optional<int> ChildProcess::exited() {
  if (m_pid <= 0) {
    return std::nullopt;
  }
  const auto status = detail::wait_for_exit(m_pid, 0);
  if (!status) {
    return std::nullopt;
  }
  m_pid = -1;
  return decode_status(*status);
}

int ChildProcess::stop(int timeout_ms) {
  if (m_pid <= 0) {
    return 0;
  }
  ::kill(m_pid, SIGTERM);
  if (const auto status = detail::wait_for_exit(m_pid, timeout_ms)) {
    m_pid = -1;
    return decode_status(*status);
  }
  kill();
  return -SIGKILL;
}

void ChildProcess::kill() {
  if (m_pid <= 0) {
    return;
  }
  ::kill(m_pid, SIGKILL);
  (void)detail::wait_for_exit(m_pid, 60000);  // SIGKILL cannot be ignored: it ends at once
  m_pid = -1;
}

}  // namespace spmc::live
