#pragma once
// The budget of a run (`spmc sim` and `spmc sweep`): --max-memory refuses a scenario whose
// estimated memory is above it before anything runs, --max-events and --max-wall stop a run
// that has started (verdict STOPPED, exit kExitUsage), --estimate prints the estimate and
// runs nothing.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "commands.hpp"
#include "spmc/sim/event_queue.hpp"
#include "spmc/sim/scenario.hpp"

namespace spmc::cli {

// A scenario whose estimate is above this is refused unless --max-memory raises it: the
// shipped scenarios need at most a few hundred MiB, a default box has a few GiB.
inline constexpr std::uint64_t kDefaultMaxMemoryMib = 4096;

// As typed; an option given as "" must be an error, not "not given", so each keeps its
// CLI11 option to ask.
// Checked as they are parsed (args.hpp: digits only, within each option's range).
struct RunLimitArgs {
  std::uint64_t max_memory_mib = kDefaultMaxMemoryMib;
  std::uint64_t max_events = 0;  // 0: none
  std::uint64_t max_wall_s = 0;  // 0: none
  bool estimate = false;
};

struct RunLimits {
  std::uint64_t max_memory_bytes = kDefaultMaxMemoryMib << 20U;
  std::uint64_t max_events = 0;  // 0: none
  std::uint64_t max_wall_s = 0;  // 0: none
  bool estimate_only = false;
};

void add_run_limit_options(CLI::App& cmd, RunLimitArgs& args);
// Strict: digits only, in range; a bad value is printed (one line) and gives nothing.
RunLimits run_limits(const RunLimitArgs& args);

// The estimate against --max-memory: prints it on stderr for big runs (stdout with
// --estimate). Gives an exit code when the command must end here (refused: kExitUsage;
// --estimate: kExitPass), nothing when the run may go ahead. `per_seed`: a sweep of several
// seeds (the figures are for each).
std::optional<int> check_estimate(const sim::Scenario& scenario, const std::string& source,
                                  const RunLimits& limits, bool per_seed);

// A wall-clock deadline, read outside the world (StopCondition::interrupt), so that it can
// end a run but never change one that finishes.
class WallDeadline {
 public:
  explicit WallDeadline(std::uint64_t seconds);
  bool passed() const;
  bool armed() const { return m_armed; }

 private:
  bool m_armed;
  std::chrono::steady_clock::time_point m_end;
};

// The world's stop condition for `remaining_events` (0: none) and the deadline.
sim::StopCondition stop_condition(std::uint64_t remaining_events, const WallDeadline& deadline);
std::string wall_stop_reason(std::uint64_t seconds);

}  // namespace spmc::cli
