// Worlds that lost messages the server had accepted, pinned to the seeds that showed it
// (ambiguity A-40; PH-004, PH-010, PH-013, PH-014, SRV-014). Each must now pass: every
// accepted message delivered exactly once, the offline store empty, quiescence reached.
#include <gtest/gtest.h>

#include "spmc/sim/world.hpp"
#include "support/report_text.hpp"

namespace spmc::sim {
namespace {

Scenario load(const std::string& relative) {
  auto s = load_scenario(std::string(SPMC_SOURCE_DIR) + "/simulator/scenarios/" + relative);
  SPMC_CHECK(s.ok());
  return *s;
}

using testing::failures;

void expect_passes(const std::string& relative, std::uint64_t seed) {
  World world(load(relative), seed);
  const Report r = world.run();
  EXPECT_TRUE(r.pass) << relative << " --seed " << seed << "\n" << failures(r);
  // Every owed delivery happened (exactly_once_delivery says so one by one); a removed
  // member may also read what lagging members still sent it, which nobody owed it.
  EXPECT_GE(r.deliveries, r.deliveries_expected) << relative << " --seed " << seed;
  EXPECT_GT(r.deliveries, 0U) << relative << " --seed " << seed;
}

// Phones offline about once a minute: the two sides disagreed about being contacts after a
// lost answer to AcceptContact, and the peer's key share and message bounced (unknown_user).
TEST(LossRegression, ChurnLossSeedOneDeliversEverything) {
  expect_passes("regressions/churn_loss.json", 1);
}

// A server crash right after acknowledging a Login left the phone waiting forever.
TEST(LossRegression, ServerCrashStormPinnedSeedsDeliverEverything) {
  for (std::uint64_t seed : {1ULL, 2ULL, 5ULL}) {
    expect_passes("regressions/server_crash_storm.json", seed);
  }
}

// A late first frame of an abandoned session took over the server's connection; the phone
// took the server's retransmissions on it as signs of life and never reconnected.
TEST(LossRegression, DefaultScenarioSeeds834And1839DeliverEverything) {
  for (std::uint64_t seed : {834ULL, 1839ULL}) {
    expect_passes("default.json", seed);
  }
}

// The named worlds of heavy churn, crash storms and both, under both profiles.
TEST(LossRegression, HeavyChurnAndCrashStormWorldsPassPinnedSeeds) {
  for (const char* name : {"heavy_churn.json", "crash_storm.json", "churn_crash_storm.json",
                           "churn_crash_storm_hardened.json"}) {
    for (std::uint64_t seed : {1ULL, 2ULL}) {
      expect_passes(name, seed);
    }
  }
}

// Members offline or crashed while their groups are created, changed and rekeyed: a member
// several rekeys behind, a message that overtook its share, a re-added member's words
// (GRP-012, PH-014). Under `paper` the newcomer's refusal is the declared finding.
TEST(LossRegression, GroupChurnWorldsPassPinnedSeeds) {
  for (std::uint64_t seed : {1ULL, 3ULL, 4ULL, 8ULL, 12ULL, 15ULL, 478ULL}) {
    expect_passes("group_churn_hardened.json", seed);
  }
  for (std::uint64_t seed : {1ULL, 2ULL}) {
    World world(load("group_churn.json"), seed);
    const Report r = world.run();
    EXPECT_TRUE(r.pass) << "group_churn.json --seed " << seed << "\n" << failures(r);
  }
}

}  // namespace
}  // namespace spmc::sim
