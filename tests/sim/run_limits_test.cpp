// Bounded work (issue 23): a world stopped by its budget says so and judges nothing, a
// budget it does not reach leaves the trace byte-identical, and the resource estimate puts
// the shipped scenarios under the default memory limit and a million phones far above it.
#include <gtest/gtest.h>

#include "spmc/sim/estimate.hpp"
#include "spmc/sim/world.hpp"
#include "support/shipped_scenario.hpp"

namespace spmc::sim {
namespace {

using testing::shipped;

TEST(RunLimits, MaxEventsStopsTheWorldWithAStoppedVerdict) {
  WorldOptions options;
  options.stop.max_events = 3000;
  const Report r = World(shipped("default"), 1, options).run();
  EXPECT_TRUE(r.stopped);
  EXPECT_FALSE(r.pass);
  EXPECT_EQ(r.events, 3000U);
  EXPECT_TRUE(r.invariants.empty());
  EXPECT_EQ(r.verdict.rfind("STOPPED: event limit of 3000 reached after 3000 events", 0), 0U)
      << r.verdict;
  EXPECT_NE(render_json(r).find("\"verdict\":\"stopped\""), std::string::npos);
}

TEST(RunLimits, InterruptStopsTheWorldWithItsReason) {
  WorldOptions options;
  options.stop.interrupt = [] { return true; };
  options.stop_reason = "wall-clock limit of 1 s reached";
  const Report r = World(shipped("default"), 1, options).run();
  EXPECT_TRUE(r.stopped);
  EXPECT_EQ(r.verdict.rfind("STOPPED: wall-clock limit of 1 s reached after 0 events", 0), 0U)
      << r.verdict;
}

TEST(RunLimits, UnreachedBudgetKeepsTheTraceByteIdentical) {
  WorldOptions plain;
  plain.capture_trace = true;
  World a(shipped("default"), 7, plain);
  const Report ra = a.run();
  WorldOptions limited = plain;
  limited.stop.max_events = 1'000'000'000;
  limited.stop.interrupt = [] { return false; };
  limited.stop.check_every = 1;
  World b(shipped("default"), 7, limited);
  const Report rb = b.run();
  EXPECT_FALSE(rb.stopped);
  EXPECT_TRUE(rb.pass);
  EXPECT_EQ(ra.trace_hash, rb.trace_hash);
  EXPECT_EQ(a.captured_trace(), b.captured_trace());
}

TEST(ResourceEstimate, ShippedScenariosFitTheDefaultLimitAndAMillionPhonesDoNot) {
  for (const char* name : {"default", "large", "bench_10k", "heavy_churn"}) {
    const ResourceEstimate e = estimate_resources(shipped(name));
    EXPECT_LT(e.memory_bytes, 4096ULL << 20U) << name;
    EXPECT_GT(e.events, 0U) << name;
  }
  Scenario million;
  million.phones = 1'000'000;
  const ResourceEstimate e = estimate_resources(million);
  EXPECT_GT(e.memory_bytes, 32ULL << 30U);
  EXPECT_EQ(e.contact_pairs, 2'000'000U);  // small world of degree 4
}

TEST(ResourceEstimate, GrowsWithEveryCostlyParameter) {
  const Scenario base;
  const ResourceEstimate b = estimate_resources(base);
  Scenario more_phones = base;
  more_phones.phones *= 10;
  Scenario denser = base;
  denser.contacts.degree = 12;
  Scenario longer = base;
  longer.phases.safety_ms *= 100;
  Scenario groups = base;
  groups.workload.groups.count = 1000;
  for (const Scenario& s : {more_phones, denser, longer, groups}) {
    const ResourceEstimate e = estimate_resources(s);
    EXPECT_GT(e.events, b.events);
    EXPECT_GE(e.memory_bytes, b.memory_bytes);
  }
}

}  // namespace
}  // namespace spmc::sim
