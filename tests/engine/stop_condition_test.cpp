// A StopCondition ends a run where the user's budget says, and changes nothing about a run
// it does not stop (issue 23: --max-events / --max-wall keep completed traces identical).
#include <gtest/gtest.h>

#include <vector>

#include "spmc/sim/event_queue.hpp"

namespace spmc::sim {
namespace {

// A chain of events, one per millisecond, each recording its time.
void schedule_chain(EventQueue& q, std::vector<TimeUs>& seen, int left) {
  if (left == 0) {
    return;
  }
  q.schedule_after(kUsPerMs, [&q, &seen, left] {
    seen.push_back(q.now());
    schedule_chain(q, seen, left - 1);
  });
}

TEST(StopCondition, MaxEventsStopsRunUntilAtTheBudget) {
  EventQueue q;
  std::vector<TimeUs> seen;
  schedule_chain(q, seen, 100);
  StopCondition stop;
  stop.max_events = 10;
  q.set_stop_condition(stop);
  const RunResult r = q.run_until(kUsPerSecond);
  EXPECT_TRUE(r.stopped);
  EXPECT_EQ(r.events, 10U);
  EXPECT_TRUE(q.stopped());
  EXPECT_EQ(q.now(), 10 * kUsPerMs);                // time stays where the last event left it
  EXPECT_EQ(q.run_until(kUsPerSecond).events, 0U);  // stopped stays stopped
  EXPECT_EQ(q.run_until_quiescent(1000).events, 0U);
}

TEST(StopCondition, InterruptIsAskedEveryCheckEveryEvents) {
  EventQueue q;
  std::vector<TimeUs> seen;
  schedule_chain(q, seen, 100);
  int asked = 0;
  StopCondition stop;
  stop.interrupt = [&asked] { return ++asked == 3; };
  stop.check_every = 8;
  q.set_stop_condition(stop);
  const RunResult r = q.run_until_quiescent(1000);
  EXPECT_TRUE(r.stopped);
  EXPECT_EQ(asked, 3);
  EXPECT_EQ(r.events, 16U);  // asked at 0, 8 and 16 events
}

TEST(StopCondition, UnreachedLimitsLeaveTheRunIdentical) {
  std::vector<TimeUs> plain;
  std::vector<TimeUs> limited;
  EventQueue a;
  schedule_chain(a, plain, 50);
  const RunResult ra = a.run_until(kUsPerSecond);
  EventQueue b;
  schedule_chain(b, limited, 50);
  StopCondition stop;
  stop.max_events = 51;
  stop.interrupt = [] { return false; };
  stop.check_every = 1;
  b.set_stop_condition(stop);
  const RunResult rb = b.run_until(kUsPerSecond);
  EXPECT_FALSE(rb.stopped);
  EXPECT_EQ(ra.events, rb.events);
  EXPECT_EQ(plain, limited);
  EXPECT_EQ(a.now(), b.now());
}

}  // namespace
}  // namespace spmc::sim
