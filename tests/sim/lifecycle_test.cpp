// The scenario's `lifecycle` (SCHEMA.md): duration keys that expire mid-conversation, reinstalls
// and clock jumps as world events, each in the trace, and the invariants that judge a reinstall.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>

#include "spmc/sim/scenario.hpp"
#include "spmc/sim/world.hpp"
#include "support/report_text.hpp"
#include "support/shipped_scenario.hpp"

namespace spmc::sim {
namespace {

using testing::failures;
using testing::shipped;

std::string error_of(std::string_view json) {
  const Result<Scenario> result = parse_scenario(json, "t.json");
  return result.ok() ? "(parsed)" : result.error().detail;
}

const InvariantResult* find_invariant(const Report& r, std::string_view name) {
  auto it = std::find_if(r.invariants.begin(), r.invariants.end(),
                         [name](const InvariantResult& i) { return i.name == name; });
  return it == r.invariants.end() ? nullptr : &*it;
}

std::size_t count_events(const std::string& trace, std::string_view kind) {
  const std::string needle = "\"ev\":\"" + std::string(kind) + "\"";
  std::size_t n = 0;
  for (std::size_t at = trace.find(needle); at != std::string::npos;
       at = trace.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

constexpr const char* kReinstallInvariants[] = {"reinstall_revokes_old_certificates",
                                                "reinstall_loses_nothing",
                                                "reinstall_old_keys_read_nothing"};

// A small world where every lifecycle event happens within a minute.
Scenario lifecycle_world() {
  const Result<Scenario> s = parse_scenario(R"({
    "name": "lifecycle", "phones": 12,
    "workload": {"messages_per_phone_per_minute": 6,
                 "groups": {"count": 2, "size_min": 3, "size_max": 5, "changes_per_hour": 240}},
    "churn": {"offline_per_phone_per_day": 1440, "mean_offline_ms": 20000},
    "lifecycle": {"key_lifetime_ms": 15000, "reinstalls_per_hour": 240,
                  "clock_jumps_per_hour": 240, "clock_jump_max_ms": 20000},
    "faults": {"loss_ppm": 10000, "clock": {"max_skew_ms": 1000, "max_drift_ppm": 100}},
    "phases": {"safety_ms": 60000}
  })",
                                            "lifecycle.json");
  SPMC_CHECK(s.ok());
  return *s;
}

TEST(Lifecycle, ScenarioObjectRoundTripsAndIsLeftOutAtItsDefaults) {
  const Result<Scenario> parsed = parse_scenario(
      R"({"lifecycle": {"key_lifetime_ms": 20000, "reinstalls_per_hour": 3,
                        "clock_jumps_per_hour": 4, "clock_jump_max_ms": 5000}})",
      "t.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_EQ(parsed->lifecycle, (LifecycleConfig{20000, 3, 4, 5000}));
  const auto written = scenario_to_json(*parsed);
  ASSERT_TRUE(written.contains("lifecycle"));
  const Result<Scenario> again = parse_scenario(written.dump(), "again");
  ASSERT_TRUE(again.ok()) << again.error().detail;
  EXPECT_EQ(*again, *parsed);
  // Every scenario written before the object existed keeps its trace header byte for byte.
  EXPECT_FALSE(scenario_to_json(Scenario{}).contains("lifecycle"));
  EXPECT_TRUE(scenario_to_json_full(Scenario{}).contains("lifecycle"));
}

TEST(Lifecycle, ScenarioErrorsNameTheFieldAndItsRange) {
  EXPECT_EQ(error_of(R"({"lifecycle": {"key_lifetime_ms": -1}})"),
            "t.json: lifecycle.key_lifetime_ms: must be an integer in [0, 2592000000]");
  EXPECT_EQ(error_of(R"({"lifecycle": {"reinstalls_per_hour": 3601}})"),
            "t.json: lifecycle.reinstalls_per_hour: must be an integer in [0, 3600]");
  EXPECT_EQ(error_of(R"({"lifecycle": {"clock_jumps_per_hour": 1000001}})"),
            "t.json: lifecycle.clock_jumps_per_hour: must be an integer in [0, 1000000]");
  EXPECT_EQ(error_of(R"({"lifecycle": {"clock_jump_max_ms": "1s"}})"),
            "t.json: lifecycle.clock_jump_max_ms: must be an integer in [0, 2592000000]");
  EXPECT_EQ(error_of(R"({"lifecycle": {"clock_jumps_per_hour": 5}})"),
            "t.json: lifecycle.clock_jump_max_ms: must be >= 1 when "
            "lifecycle.clock_jumps_per_hour > 0");
  EXPECT_EQ(error_of(R"({"lifecycle": {"reinstalls": 1}})"),
            "t.json: lifecycle.reinstalls: unknown field");
  EXPECT_EQ(error_of(R"({"lifecycle": []})"), "t.json: lifecycle: must be an object");
}

// Proves: KS-014 KS-017 KS-013 PH-021 STO-005 KS-019 PH-006 PRO-005 GRP-011 A-33
// Keys expire and are replaced mid-conversation, users reinstall and clocks jump, each shown in
// the trace, and every invariant holds: a message written before its key's end is still owed,
// one sealed to a reinstalled user's old installation is owed an attempt, not an opening.
TEST(Lifecycle, EveryEventShowsInTheTraceAndTheInvariantsHold) {
  WorldOptions options;
  options.capture_trace = true;
  for (std::uint64_t seed : {1ULL, 2ULL}) {
    World world(lifecycle_world(), seed, options);
    const Report r = world.run();
    EXPECT_TRUE(r.pass) << "seed " << seed << "\n" << failures(r);
    const std::string& trace = world.captured_trace();
    EXPECT_GT(count_events(trace, "rekey"), 0U) << "seed " << seed;
    EXPECT_GT(count_events(trace, "reinstall"), 0U) << "seed " << seed;
    EXPECT_EQ(count_events(trace, "reinstall"), count_events(trace, "ph_reinstall"));
    EXPECT_GT(count_events(trace, "clock_jump"), 0U) << "seed " << seed;
    for (const char* name : kReinstallInvariants) {
      const InvariantResult* i = find_invariant(r, name);
      ASSERT_NE(i, nullptr) << name;
      EXPECT_TRUE(i->held) << name << ": " << i->detail;
      EXPECT_GT(i->checks, 0U) << name << " seed " << seed;
    }
  }
}

// A world without the object judges nothing new: its report lists the same invariants.
TEST(Lifecycle, WorldsWithoutReinstallsDoNotJudgeThem) {
  World world(shipped("lossy"), 1);
  const Report r = world.run();
  for (const char* name : kReinstallInvariants) {
    EXPECT_EQ(find_invariant(r, name), nullptr) << name;
  }
}

// Proves: STO-005
// A server that drops what it pushed once but never saw acknowledged, at the next login, loses
// what waited for a user who reinstalls (its new installation logs in): caught by name.
TEST(Lifecycle, ServerThatForgetsWhatAReinstalledUserWasOwedIsCaught) {
  WorldOptions options;
  options.server_bug = server::ServerBug::kForgetsUnackedOnReconnect;
  World world(lifecycle_world(), 2, options);
  const Report r = world.run();
  EXPECT_FALSE(r.pass);
  const InvariantResult* kept = find_invariant(r, "reinstall_loses_nothing");
  ASSERT_NE(kept, nullptr);
  EXPECT_FALSE(kept->held);
}

}  // namespace
}  // namespace spmc::sim
