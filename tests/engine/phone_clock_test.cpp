// Phone clocks: offset and drift over virtual time.
#include "spmc/sim/phone_clock.hpp"

#include <gtest/gtest.h>

namespace spmc::sim {
namespace {

TEST(PhoneClock, PerfectClockReadsEpochPlusVirtualTime) {
  EventQueue queue;
  const PhoneClock clock(queue, ClockModel{});
  EXPECT_EQ(clock.now_ms(), kDefaultEpochMs);
  queue.run_until(2'500'999);
  EXPECT_EQ(clock.now_ms(), kDefaultEpochMs + 2500);
}

TEST(PhoneClock, OffsetAndDriftShiftTheReading) {
  // +100 ppm over 1000 s gains 100 ms; the offset adds -3 s.
  EXPECT_EQ(local_time_us(1'000'000'000, ClockModel{-3'000'000, 100}, 0),
            1'000'000'000u - 3'000'000u + 100'000u);
  // -250 ppm over 1 s loses 250 us; floor division keeps sub-unit remainders monotone.
  EXPECT_EQ(local_time_us(1'000'000, ClockModel{0, -250}, 10'000), 10'000u + 1'000'000u - 250u);
  EXPECT_EQ(local_time_us(1, ClockModel{0, -1}, 10), 10u);  // 1 - 1e-6 floors to 0 extra
  EXPECT_EQ(local_time_us(5, ClockModel{-100, 0}, 0), 0u);  // clamped, never negative
}

TEST(PhoneClock, DriftingClockIsMonotoneInVirtualTime) {
  const ClockModel model{12'345, -777};
  std::uint64_t previous = 0;
  for (TimeUs v = 0; v < 5'000'000; v += 997) {
    const std::uint64_t now = local_time_us(v, model, 0);
    ASSERT_GE(now, previous);
    previous = now;
  }
}

TEST(PhoneClock, StepChangesTheOffset) {
  EventQueue queue;
  PhoneClock clock(queue, ClockModel{}, 0);
  clock.set_offset(60'000'000);
  EXPECT_EQ(clock.now_ms(), 60'000u);
}

}  // namespace
}  // namespace spmc::sim
