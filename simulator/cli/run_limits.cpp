#include "run_limits.hpp"

#include <cstdio>
#include <limits>

#include "spmc/sim/estimate.hpp"

namespace spmc::cli {
namespace {

// Digits only (no sign, no space, no suffix), no overflow, within [lo, hi].
std::optional<std::uint64_t> parse_count(const std::string& option, const std::string& text,
                                         std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t value = 0;
  bool ok = !text.empty();
  for (const char c : text) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (c < '0' || c > '9' || value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
      ok = false;
      break;
    }
    value = value * 10 + digit;
  }
  if (!ok || value < lo || value > hi) {
    std::fprintf(stderr, "spmc: error: %s: expected an integer in [%llu, %llu], got '%s'\n",
                 option.c_str(), static_cast<unsigned long long>(lo),
                 static_cast<unsigned long long>(hi), text.c_str());
    return std::nullopt;
  }
  return value;
}

// Estimates above these are printed before a run (a user waiting on a silent terminal for
// minutes should know why).
constexpr std::uint64_t kAnnounceBytes = 512ULL << 20U;
constexpr std::uint64_t kAnnounceSeconds = 10;

}  // namespace

void add_run_limit_options(CLI::App& cmd, RunLimitArgs& args) {
  args.max_memory_option =
      cmd.add_option("--max-memory", args.max_memory,
                     "Refuse a scenario whose estimated memory is above MIB mebibytes (default " +
                         std::to_string(kDefaultMaxMemoryMib) + ")")
          ->type_name("MIB");
  args.max_events_option =
      cmd.add_option("--max-events", args.max_events,
                     "Stop after N simulated events in all (verdict STOPPED, exit 2)")
          ->type_name("N");
  args.max_wall_option =
      cmd.add_option("--max-wall", args.max_wall,
                     "Stop after SECONDS of wall-clock time (verdict STOPPED, exit 2)")
          ->type_name("SECONDS");
  cmd.add_flag("--estimate", args.estimate,
               "Print the estimated memory and time of the scenario and run nothing");
}

std::optional<RunLimits> parse_run_limits(const RunLimitArgs& args) {
  RunLimits limits;
  limits.estimate_only = args.estimate;
  // 2^44 MiB is 16 EiB: any larger figure would overflow the byte count.
  constexpr std::uint64_t kMaxMib = 1ULL << 44U;
  const auto given = [](const CLI::Option* o) { return o != nullptr && o->count() > 0; };
  if (given(args.max_memory_option)) {
    const auto mib = parse_count("--max-memory", args.max_memory, 1, kMaxMib);
    if (!mib) {
      return std::nullopt;
    }
    limits.max_memory_bytes = *mib << 20U;
  }
  if (given(args.max_events_option)) {
    const auto n =
        parse_count("--max-events", args.max_events, 1, std::numeric_limits<std::uint64_t>::max());
    if (!n) {
      return std::nullopt;
    }
    limits.max_events = *n;
  }
  if (given(args.max_wall_option)) {
    // A year: beyond it a deadline means nothing, and the time point must not overflow.
    const auto s = parse_count("--max-wall", args.max_wall, 1, 366ULL * 24 * 3600);
    if (!s) {
      return std::nullopt;
    }
    limits.max_wall_s = *s;
  }
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
