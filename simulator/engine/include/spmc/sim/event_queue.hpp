#pragma once
// The discrete-event engine: virtual time in integer microseconds, events ordered by
// (time, sequence number). The sequence number is assigned at scheduling, so two
// events at the same instant run in the order they were scheduled, never in an order
// that depends on pointers or hashing.
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace spmc::sim {

using TimeUs = std::uint64_t;
inline constexpr TimeUs kUsPerMs = 1000;
inline constexpr TimeUs kUsPerSecond = 1'000'000;

// Names one scheduled event; stays valid (and cancel() a no-op) after the event ran.
struct EventId {
  std::uint64_t sequence = 0;
  std::uint32_t slot = 0;
  friend bool operator==(const EventId&, const EventId&) = default;
};

struct EventQueueStats {
  std::uint64_t scheduled = 0;
  std::uint64_t executed = 0;
  std::uint64_t cancelled = 0;
  std::uint64_t max_pending = 0;
};

struct RunResult {
  std::uint64_t events = 0;  // events executed by this call
  bool quiescent = false;    // the queue was empty when the call returned
  bool stopped = false;      // a StopCondition ended the call early
};

// A budget from outside the simulated world (a user's --max-events or --max-wall). It only
// decides where a run ends, never what runs: a run it does not stop executes exactly the
// same events in the same order, so its trace is byte-identical to a run without one.
struct StopCondition {
  std::uint64_t max_events = 0;  // events executed in total; 0: no limit
  // Asked once every `check_every` events (not per event: it may read a wall clock, which
  // is slow and must stay out of the world); true stops the run.
  std::function<bool()> interrupt;
  std::uint64_t check_every = 4096;
};

class EventQueue {
 public:
  using Action = std::function<void()>;

  TimeUs now() const { return m_now; }
  // `at` must not be in the past (programmer error).
  EventId schedule_at(TimeUs at, Action action);
  EventId schedule_after(TimeUs delay, Action action) {
    return schedule_at(m_now + delay, std::move(action));
  }
  // True if the event was pending and will now never run.
  bool cancel(EventId id);

  // Runs the earliest pending event; false if there was none.
  bool step();
  // Runs every event with time <= end (including ones they schedule), then sets now = end.
  RunResult run_until(TimeUs end);
  // Runs until no event is pending or max_events have run, whichever comes first.
  RunResult run_until_quiescent(std::uint64_t max_events);

  // Once stopped, run_until and run_until_quiescent return at once without running events.
  void set_stop_condition(StopCondition stop) { m_stop = std::move(stop); }
  bool stopped() const { return m_stopped; }

  std::size_t pending() const { return m_pending; }
  std::optional<TimeUs> next_time();
  const EventQueueStats& stats() const { return m_stats; }

 private:
  struct HeapEntry {
    TimeUs time;
    std::uint64_t sequence;
    std::uint32_t slot;
  };
  struct Slot {
    std::uint64_t sequence = 0;  // 0: free
    Action action;
  };
  static bool later(const HeapEntry& a, const HeapEntry& b);
  void drop_cancelled_top();
  std::uint32_t take_slot();
  bool stop_reached();

  TimeUs m_now = 0;
  std::uint64_t m_next_sequence = 1;
  std::size_t m_pending = 0;
  std::vector<HeapEntry> m_heap;
  std::vector<Slot> m_slots;
  std::vector<std::uint32_t> m_free_slots;
  EventQueueStats m_stats;
  StopCondition m_stop;
  bool m_stopped = false;
};

// Events per second of wall time: the caller measures wall time (the engine never reads
// a wall clock, so nothing wall-clock can reach a trace).
inline std::uint64_t events_per_second(std::uint64_t events, std::uint64_t wall_ns) {
  return wall_ns == 0 ? 0 : events * 1'000'000'000ULL / wall_ns;
}

}  // namespace spmc::sim
