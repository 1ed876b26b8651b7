#pragma once
// What BrokerProcess (mosquitto) and make_test_pki (openssl) share about the programs they
// run: finding one, starting it, and waiting for it to exit without waiting forever. Private to
// spmc_live.
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spmc::live::detail {

// `configured` when it names an executable file; when it is empty, the first executable
// `name` in a directory of PATH, then `fallback` (e.g. /usr/sbin, not on a user's PATH);
// nothing when none is found.
std::optional<std::filesystem::path> find_executable(std::string_view configured,
                                                     std::string_view name,
                                                     const std::filesystem::path& fallback);

// The null-terminated argument vector execv() takes, pointing into `words` (which must outlive
// it). Made before fork(): the child may not allocate.
std::vector<char*> argv_of(std::vector<std::string>& words);

// In a child just after fork(): stdin from `in` (unless -1), stdout and stderr into `out`, then
// `argv` (null-terminated, argv[0] the executable's path) replaces the process; exit status 127
// when it cannot. Only async-signal-safe calls, as a child of a threaded process must.
[[noreturn]] void exec_in_child(const std::vector<char*>& argv, int in, int out) noexcept;

// fork(), and in the child: die with the parent's thread (PR_SET_PDEATHSIG, so a test or run
// killed by its timeout leaves no child behind), then exec_in_child(argv, in, out). The
// child's pid, or -1 with errno set when fork() failed.
pid_t spawn_tied_child(const std::vector<char*>& argv, int in, int out);

// Reaps the child `pid` within timeout_ms: its wait status, or nothing when it is still
// running (the caller decides whether to kill it).
std::optional<int> wait_for_exit(pid_t pid, int timeout_ms);

}  // namespace spmc::live::detail
