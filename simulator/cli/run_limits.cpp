#include "run_limits.hpp"

#include <cstdio>

#include "args.hpp"
#include "spmc/sim/estimate.hpp"

namespace spmc::cli {
namespace {

// Estimates above these are printed before a run (a user waiting on a silent terminal for
// minutes should know why).
constexpr std::uint64_t kAnnounceBytes = 512ULL << 20U;
constexpr std::uint64_t kAnnounceSeconds = 10;

}  // namespace

// 2^44 MiB is 16 EiB: any larger figure would overflow the byte count.
constexpr std::uint64_t kMaxMib = 1ULL << 44U;
// A year: beyond it a deadline means nothing, and the time point must not overflow.
constexpr std::uint64_t kMaxWallSeconds = 366ULL * 24 * 3600;

void add_run_limit_options(CLI::App& cmd, RunLimitArgs& args) {
  add_u64_option(cmd, "--max-memory", args.max_memory_mib, 1, kMaxMib,
                 "Refuse a scenario whose estimated memory is above MIB mebibytes")
      ->type_name("MIB");
  add_u64_option(cmd, "--max-events", args.max_events, 1, kU64Max,
                 "Stop after N simulated events in all (verdict STOPPED, exit 2)")
      ->type_name("N")
      ->default_str("none");
  add_u64_option(cmd, "--max-wall", args.max_wall_s, 1, kMaxWallSeconds,
                 "Stop after SECONDS of wall-clock time (verdict STOPPED, exit 2)")
      ->type_name("SECONDS")
      ->default_str("none");
  cmd.add_flag("--estimate", args.estimate,
               "Print the estimated memory and time of the scenario and run nothing");
}

RunLimits run_limits(const RunLimitArgs& args) {
  RunLimits limits;
  limits.estimate_only = args.estimate;
  limits.max_memory_bytes = args.max_memory_mib << 20U;
  limits.max_events = args.max_events;
  limits.max_wall_s = args.max_wall_s;
  return limits;
}

std::optional<int> check_estimate(const sim::Scenario& scenario, const std::string& source,
                                  const RunLimits& limits, bool per_seed) {
  const sim::ResourceEstimate e = sim::estimate_resources(scenario);
  const std::string what = source.empty() ? std::string("the default scenario") : source;
  const std::string per_run = per_seed ? " per seed" : "";
  if (e.memory_bytes > limits.max_memory_bytes) {
    const std::uint64_t need_mib = (e.memory_bytes >> 20U) + 1;
    std::fprintf(stderr,
                 "spmc: error: %s: needs an estimated %s%s, above the memory limit of %s; "
                 "raise it with --max-memory %llu or make the scenario smaller\n",
                 what.c_str(), sim::describe_estimate(e, scenario.phones).c_str(), per_run.c_str(),
                 sim::format_bytes(limits.max_memory_bytes).c_str(),
                 static_cast<unsigned long long>(need_mib));
    return kExitUsage;
  }
  if (limits.estimate_only) {
    std::printf("estimate: %s: %s%s (memory limit %s)\n", what.c_str(),
                sim::describe_estimate(e, scenario.phones).c_str(), per_run.c_str(),
                sim::format_bytes(limits.max_memory_bytes).c_str());
    return kExitPass;
  }
  if (e.memory_bytes >= kAnnounceBytes || e.wall_seconds >= kAnnounceSeconds) {
    std::fprintf(stderr, "spmc: %s: estimated %s%s; --max-wall and --max-events bound it\n",
                 what.c_str(), sim::describe_estimate(e, scenario.phones).c_str(), per_run.c_str());
  }
  return std::nullopt;
}

WallDeadline::WallDeadline(std::uint64_t seconds)
    : m_armed(seconds != 0),
      m_end(std::chrono::steady_clock::now() +
            std::chrono::seconds(static_cast<std::chrono::seconds::rep>(seconds))) {}

bool WallDeadline::passed() const { return m_armed && std::chrono::steady_clock::now() >= m_end; }

sim::StopCondition stop_condition(std::uint64_t remaining_events, const WallDeadline& deadline) {
  sim::StopCondition stop;
  stop.max_events = remaining_events;
  if (deadline.armed()) {
    stop.interrupt = [&deadline] { return deadline.passed(); };
  }
  return stop;
}

std::string wall_stop_reason(std::uint64_t seconds) {
  return "wall-clock limit of " + std::to_string(seconds) + " s reached";
}

}  // namespace spmc::cli
