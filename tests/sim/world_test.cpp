// The whole world under faults: pinned seeds pass, runs are byte-for-byte deterministic,
// and deliberately broken servers are caught by the named invariant.
#include "spmc/sim/world.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "spmc/bytes.hpp"
#include "spmc/crypto.hpp"
#include "spmc/sim/invariants.hpp"
#include "support/report_text.hpp"
#include "support/shipped_scenario.hpp"

namespace spmc::sim {
namespace {

using testing::shipped;

const InvariantResult& invariant(const Report& r, std::string_view name) {
  auto it = std::find_if(r.invariants.begin(), r.invariants.end(),
                         [name](const InvariantResult& i) { return i.name == name; });
  SPMC_CHECK(it != r.invariants.end());
  return *it;
}

using testing::failures;

// Seeds pinned per scenario; each line records the scenario's fault mix.
TEST(World, PinnedSeedsPassUnderFaults) {
  for (const char* name : {"default", "lossy", "partition", "churn"}) {
    for (std::uint64_t seed : {1ULL, 2ULL, 3ULL}) {
      World world(shipped(name), seed);
      const Report r = world.run();
      EXPECT_TRUE(r.pass) << name << " seed " << seed << "\n" << failures(r);
      EXPECT_GT(r.deliveries, 0U) << name << " seed " << seed;
      EXPECT_EQ(r.deliveries_expected, r.deliveries) << name << " seed " << seed;
    }
  }
}

TEST(World, SameSeedGivesByteIdenticalTrace) {
  WorldOptions options;
  options.capture_trace = true;
  World a(shipped("lossy"), 7, options);
  World b(shipped("lossy"), 7, options);
  const Report ra = a.run();
  const Report rb = b.run();
  EXPECT_EQ(ra.trace_hash, rb.trace_hash);
  EXPECT_FALSE(a.captured_trace().empty());
  EXPECT_EQ(a.captured_trace(), b.captured_trace());
}

TEST(World, DifferentSeedsGiveDifferentTraces) {
  World a(shipped("lossy"), 7);
  World b(shipped("lossy"), 8);
  EXPECT_NE(a.run().trace_hash, b.run().trace_hash);
}

TEST(World, ServerThatKeepsDeliveredMessagesIsCaught) {
  WorldOptions options;
  options.server_bug = server::ServerBug::kKeepsDelivered;
  World world(shipped("default"), 1, options);
  const Report r = world.run();
  EXPECT_FALSE(r.pass);
  EXPECT_FALSE(invariant(r, "offline_store_empty_at_quiescence").held);
  EXPECT_TRUE(invariant(r, "exactly_once_delivery").held);
}

TEST(World, ServerThatForgetsUnacknowledgedMessagesIsCaught) {
  WorldOptions options;
  options.server_bug = server::ServerBug::kForgetsUnackedOnReconnect;
  World world(shipped("churn"), 1, options);
  const Report r = world.run();
  EXPECT_FALSE(r.pass);
  EXPECT_FALSE(invariant(r, "exactly_once_delivery").held);
}

// Proves: SRV-011
// The opt-in invariant judges each acknowledged item on its own (the quiescence check only
// sees the store at the end); it is absent unless asked for, so existing reports stay as
// they were.
TEST(World, AckedItemsDeletedIsJudgedOnlyWhenAskedAndCatchesAServerThatKeepsThem) {
  WorldOptions capture;
  capture.capture_trace = true;
  World plain_world(shipped("default"), 1, capture);
  const Report plain = plain_world.run();
  EXPECT_TRUE(
      std::none_of(plain.invariants.begin(), plain.invariants.end(),
                   [](const InvariantResult& i) { return i.name == "acked_items_deleted"; }));
  WorldOptions options = capture;
  options.invariants = {InvariantName::kAckedItemsDeleted};
  World honest_world(shipped("default"), 1, options);
  const Report honest = honest_world.run();
  EXPECT_TRUE(honest.pass) << failures(honest);
  EXPECT_TRUE(invariant(honest, "acked_items_deleted").held);
  EXPECT_GT(invariant(honest, "acked_items_deleted").checks, 0U);
  // Judging must not change the run: only the header line (which names the invariant, for
  // spmc replay) differs.
  const auto body = [](const std::string& trace) { return trace.substr(trace.find('\n')); };
  EXPECT_EQ(body(honest_world.captured_trace()), body(plain_world.captured_trace()));
  EXPECT_NE(honest_world.captured_trace().substr(0, 200).find("acked_items_deleted"),
            std::string::npos);
  options.server_bug = server::ServerBug::kKeepsDelivered;
  const Report broken = World(shipped("default"), 1, options).run();
  EXPECT_FALSE(broken.pass);
  EXPECT_FALSE(invariant(broken, "acked_items_deleted").held);
  EXPECT_NE(invariant(broken, "acked_items_deleted").detail.find("never deleted"),
            std::string::npos);
}

std::vector<nlohmann::json> violation_lines(const std::string& trace) {
  std::vector<nlohmann::json> out;
  std::istringstream in(trace);
  for (std::string line; std::getline(in, line);) {
    auto e = nlohmann::json::parse(line);
    if (e["ev"] == "inv_violation") {
      out.push_back(std::move(e));
    }
  }
  return out;
}

// A failing run's trace names each violated invariant (for charts and readers), with the
// time of the first failure where a check made as events happen saw it; the report's hash
// covers those lines; a passing run's trace has none.
TEST(World, TraceRecordsEachViolatedInvariantAndWhenItFirstFailed) {
  WorldOptions options;
  options.capture_trace = true;
  World passing(shipped("default"), 1, options);
  const Report ok = passing.run();
  ASSERT_TRUE(ok.pass);
  EXPECT_TRUE(violation_lines(passing.captured_trace()).empty());

  World forged(load_scenario(std::string(SPMC_SOURCE_DIR) +
                             "/simulator/scenarios/attacks/forged_key_share.json")
                   .value(),
               1, options);
  const Report r = forged.run();
  const auto lines = violation_lines(forged.captured_trace());
  const auto failed = std::count_if(r.invariants.begin(), r.invariants.end(),
                                    [](const InvariantResult& i) { return !i.held; });
  ASSERT_EQ(static_cast<std::ptrdiff_t>(lines.size()), failed);
  ASSERT_GT(failed, 0);
  bool timed = false;
  for (const auto& e : lines) {
    const InvariantResult& i = invariant(r, e["invariant"].get<std::string>());
    EXPECT_FALSE(i.held);
    EXPECT_EQ(e["expected"].get<bool>(), i.expected_violation);
    EXPECT_EQ(e["detail"].get<std::string>(), i.detail);
    EXPECT_EQ(e.contains("first_at"), i.first_violation_us.has_value());
    if (e.contains("first_at")) {
      timed = true;
      EXPECT_LT(e["first_at"].get<TimeUs>(), e["t"].get<TimeUs>());
    }
  }
  EXPECT_TRUE(timed) << "no_forged_accepted is judged as deliveries happen";
  EXPECT_EQ(r.trace_hash, to_hex(crypto::sha256(bytes_of(forged.captured_trace()))));
}

TEST(World, DeclaredViolationsMakeTheRunPassOnlyWhenExactlyThoseFail) {
  WorldOptions options;
  options.server_bug = server::ServerBug::kKeepsDelivered;
  Scenario s = shipped("default");
  s.expected_violations = {"offline_store_empty_at_quiescence"};
  World world(s, 1, options);
  EXPECT_TRUE(world.run().pass);
  s.expected_violations = {"offline_store_empty_at_quiescence", "no_key_reuse"};
  World other(s, 1, options);
  EXPECT_FALSE(other.run().pass);
}

}  // namespace
}  // namespace spmc::sim
