#pragma once
// Reading a file named by a user, with a bound. A path can name something that never ends
// (/dev/zero, /dev/urandom), blocks on open (a FIFO with no writer) or is far larger than
// anything the reader means to hold; each becomes a one-line error instead of a hang or an
// out-of-memory death.
#include <cstddef>
#include <string>

#include "spmc/result.hpp"

namespace spmc::sim {

// Scenario files are a few KiB; 1 MiB leaves room for long adversary and invariant lists.
inline constexpr std::size_t kMaxScenarioBytes = 1U << 20U;

// The whole content of the regular file at `path` if it holds at most `max_bytes`. Errors
// read "<path>: (file): <reason>": not found, not a regular file (the kind is named; it is
// refused before it is opened, since opening a FIFO blocks), or larger than `max_bytes`
// (counted while reading, not taken from stat, so a file growing under the reader or a
// /proc file that stat calls empty is still bounded).
Result<std::string> read_bounded_file(const std::string& path, std::size_t max_bytes);

}  // namespace spmc::sim
