#pragma once
// A program run as a child process and owned like a file: started with an argument vector (no
// shell), its output to a file, stopped with SIGTERM or killed with SIGKILL (a crash, as
// `kill -9` does it), and always reaped. The live run uses it for the chat server (`spmc
// server`), so that a server killed mid-run is a real process losing its memory. The child dies
// with the thread that started it (PR_SET_PDEATHSIG), so a run killed by a timeout leaves none.
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "spmc/result.hpp"

namespace spmc::live {

class ChildProcess {
 public:
  // Runs argv[0] (a path: nothing is looked up on PATH) with argv, stdin from /dev/null,
  // stdout and stderr appended to `output`; a failure to start is Fault::kLibrary.
  static Result<ChildProcess> start(std::vector<std::string> argv,
                                    const std::filesystem::path& output);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();  // kill() if still running

  bool running() const { return m_pid > 0; }
  pid_t pid() const { return m_pid; }
  // The exit status once it ended by itself (reaped by a poll): nothing while it runs.
  std::optional<int> exited();
  // SIGTERM, then waits up to timeout_ms; SIGKILL after that. The exit status, or -signal.
  int stop(int timeout_ms);
  // SIGKILL and reap: the child loses everything it had not written.
  void kill();

 private:
  explicit ChildProcess(pid_t pid) : m_pid(pid) {}
  pid_t m_pid = -1;
};

}  // namespace spmc::live
