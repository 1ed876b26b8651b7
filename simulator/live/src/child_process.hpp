#pragma once
// What BrokerProcess (mosquitto) and make_test_pki (openssl) share about the programs they
// run: finding one, and waiting for one to exit without waiting forever. Private to spmc_live.
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string_view>

namespace spmc::live::detail {

// `configured` when it names an executable file; when it is empty, the first executable
// `name` in a directory of PATH, then `fallback` (e.g. /usr/sbin, not on a user's PATH);
// nothing when none is found.
std::optional<std::filesystem::path> find_executable(std::string_view configured,
                                                     std::string_view name,
                                                     const std::filesystem::path& fallback);

// Reaps the child `pid` within timeout_ms: its wait status, or nothing when it is still
// running (the caller decides whether to kill it).
std::optional<int> wait_for_exit(pid_t pid, int timeout_ms);

}  // namespace spmc::live::detail
