// The discrete-event engine: ordering by (time, sequence), cancellation, run limits.
#include "spmc/sim/event_queue.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace spmc::sim {
namespace {

TEST(EventQueue, SameTimeEventsRunInSchedulingOrder) {
  EventQueue queue;
  std::string order;
  // Scheduled out of time order, with ties at t = 5 in the order c, a, b.
  queue.schedule_at(9, [&] { order += 'z'; });
  queue.schedule_at(5, [&] { order += 'c'; });
  queue.schedule_at(5, [&] { order += 'a'; });
  queue.schedule_at(1, [&] { order += '1'; });
  queue.schedule_at(5, [&] { order += 'b'; });
  const RunResult result = queue.run_until_quiescent(100);
  EXPECT_EQ(order, "1cabz");
  EXPECT_EQ(result.events, 5u);
  EXPECT_TRUE(result.quiescent);
  EXPECT_EQ(queue.now(), 9u);
}

TEST(EventQueue, EventsScheduledForNowRunAfterEarlierTies) {
  EventQueue queue;
  std::string order;
  queue.schedule_at(3, [&] {
    order += 'a';
    queue.schedule_after(0, [&] { order += 'c'; });  // same instant, later sequence
  });
  queue.schedule_at(3, [&] { order += 'b'; });
  queue.run_until_quiescent(10);
  EXPECT_EQ(order, "abc");
}

TEST(EventQueue, CancelledEventNeverRunsAndCancelIsIdempotent) {
  EventQueue queue;
  int ran = 0;
  const EventId a = queue.schedule_at(2, [&] { ran += 1; });
  const EventId b = queue.schedule_at(2, [&] { ran += 10; });
  EXPECT_EQ(queue.pending(), 2u);
  EXPECT_TRUE(queue.cancel(a));
  EXPECT_FALSE(queue.cancel(a));
  EXPECT_EQ(queue.pending(), 1u);
  // A new event may reuse a's slot; the stale id must not cancel it.
  const EventId c = queue.schedule_at(2, [&] { ran += 100; });
  EXPECT_FALSE(queue.cancel(a));
  queue.run_until_quiescent(10);
  EXPECT_EQ(ran, 110);
  EXPECT_FALSE(queue.cancel(b));  // already ran
  EXPECT_FALSE(queue.cancel(c));
  EXPECT_EQ(queue.stats().cancelled, 1u);
  EXPECT_EQ(queue.stats().executed, 2u);
}

TEST(EventQueue, RunUntilStopsAtTheBoundAndAdvancesTime) {
  EventQueue queue;
  std::vector<TimeUs> seen;
  for (TimeUs t : {10, 20, 30}) {
    queue.schedule_at(t, [&, t] { seen.push_back(t); });
  }
  RunResult r = queue.run_until(20);
  EXPECT_EQ(r.events, 2u);
  EXPECT_FALSE(r.quiescent);
  EXPECT_EQ(queue.now(), 20u);
  r = queue.run_until(25);
  EXPECT_EQ(r.events, 0u);
  EXPECT_EQ(queue.now(), 25u);
  EXPECT_EQ(queue.next_time(), std::optional<TimeUs>(30));
  r = queue.run_until(100);
  EXPECT_TRUE(r.quiescent);
  EXPECT_EQ(seen, (std::vector<TimeUs>{10, 20, 30}));
  EXPECT_EQ(queue.now(), 100u);
}

TEST(EventQueue, RunUntilQuiescentHonoursTheEventLimit) {
  EventQueue queue;
  int count = 0;
  std::function<void()> forever = [&] {
    ++count;
    queue.schedule_after(1, forever);
  };
  queue.schedule_at(0, forever);
  const RunResult r = queue.run_until_quiescent(1000);
  EXPECT_EQ(r.events, 1000u);
  EXPECT_FALSE(r.quiescent);
  EXPECT_EQ(count, 1000);
  EXPECT_EQ(queue.now(), 999u);
}

TEST(EventQueue, EventsPerSecondFromCallerMeasuredWallTime) {
  EXPECT_EQ(events_per_second(7'000'000, 1'000'000'000), 7'000'000u);
  EXPECT_EQ(events_per_second(5, 0), 0u);
}

}  // namespace
}  // namespace spmc::sim
