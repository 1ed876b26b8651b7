// Swarm worlds (simulator/SWARM.md): the draw is a pure function of the seed, walks every
// dimension across seeds, always gives a scenario the loader accepts, adds only the
// adversaries the attack scenarios say must hold, and runs the same world twice alike.
#include "spmc/sim/swarm.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>
#include <string>

#include "spmc/sim/swarm_adversaries.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::sim {
namespace {

bool has(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

TEST(Swarm, DrawIsAPureFunctionOfTheSeed) {
  const SwarmRanges ranges = swarm_ranges();
  for (const std::uint64_t seed : std::vector<std::uint64_t>{0, 1, 2, 77, 123456789, UINT64_MAX}) {
    const Scenario a = swarm_scenario(seed, ranges);
    EXPECT_EQ(a, swarm_scenario(seed, ranges)) << "seed " << seed;
    EXPECT_EQ(a.name, "swarm-" + std::to_string(seed));
  }
  EXPECT_NE(swarm_scenario(1, ranges), swarm_scenario(2, ranges));
}

TEST(Swarm, SameSeedRunsAByteIdenticalWorld) {
  const SwarmRanges ranges = swarm_ranges();
  for (std::uint64_t seed : {3ULL, 4ULL}) {
    WorldOptions options;
    options.capture_trace = true;
    World first(swarm_scenario(seed, ranges), seed, options);
    const Report r1 = first.run();
    World second(swarm_scenario(seed, ranges), seed, options);
    const Report r2 = second.run();
    EXPECT_EQ(first.captured_trace(), second.captured_trace()) << "seed " << seed;
    EXPECT_EQ(r1.trace_hash, r2.trace_hash);
    EXPECT_FALSE(first.captured_trace().empty());
  }
}

// Every drawn scenario goes through the same loader as a file, and comes back unchanged.
TEST(Swarm, EveryDrawnScenarioLoadsLikeAFile) {
  const SwarmRanges ranges = swarm_ranges();
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    const Scenario s = swarm_scenario(seed, ranges);
    const auto loaded = parse_scenario(scenario_to_json(s).dump(2), "swarm");
    ASSERT_TRUE(loaded.ok()) << "seed " << seed << ": " << loaded.error().detail;
    ASSERT_EQ(*loaded, s) << "seed " << seed;
  }
}

// Across 200 seeds each dimension takes many values, and each optional feature is both on
// and off somewhere: the swarm explores, it does not repeat one world.
TEST(Swarm, TwoHundredSeedsVaryEveryDimension) {
  const SwarmRanges ranges = swarm_ranges();
  std::map<std::string, std::set<std::string>> seen;
  std::set<std::string> configurations;
  const std::map<std::string, std::function<std::string(const Scenario&)>> dims = {
      {"profile", [](const Scenario& s) { return s.profile.name; }},
      {"phones", [](const Scenario& s) { return std::to_string(s.phones); }},
      {"regions", [](const Scenario& s) { return std::to_string(s.topology.regions); }},
      {"contacts.kind",
       [](const Scenario& s) { return std::string(contact_graph_kind_name(s.contacts.kind)); }},
      {"contacts.degree", [](const Scenario& s) { return std::to_string(s.contacts.degree); }},
      {"messages",
       [](const Scenario& s) { return std::to_string(s.workload.messages_per_phone_per_minute); }},
      {"groups.count", [](const Scenario& s) { return std::to_string(s.workload.groups.count); }},
      {"groups.changes",
       [](const Scenario& s) { return std::to_string(s.workload.groups.changes_per_hour > 0); }},
      {"u2u", [](const Scenario& s) { return std::to_string(s.workload.u2u_sessions); }},
      {"churn",
       [](const Scenario& s) { return std::to_string(s.churn.offline_per_phone_per_day); }},
      {"loss", [](const Scenario& s) { return std::to_string(s.faults.network.loss_ppm); }},
      {"duplication",
       [](const Scenario& s) { return std::to_string(s.faults.network.duplication_ppm); }},
      {"reorder", [](const Scenario& s) { return std::to_string(s.faults.network.reorder_ppm); }},
      {"spike", [](const Scenario& s) { return std::to_string(s.faults.network.spike_ppm); }},
      {"partitions",
       [](const Scenario& s) { return std::to_string(s.faults.partitions.per_hour); }},
      {"phone crashes",
       [](const Scenario& s) { return std::to_string(s.faults.crashes.phone_per_hour); }},
      {"server crashes",
       [](const Scenario& s) { return std::to_string(s.faults.crashes.server_per_hour); }},
      {"clock skew", [](const Scenario& s) { return std::to_string(s.faults.clock.max_skew_ms); }},
      {"access link loss",
       [](const Scenario& s) { return std::to_string(s.topology.access_link.loss_ppm); }},
      {"safety", [](const Scenario& s) { return std::to_string(s.phases.safety_ms); }},
      {"adversaries",
       [](const Scenario& s) {
         std::string all;
         for (const AdversarySpec& a : s.adversaries) {
           all += a.name + ",";
         }
         return all;
       }},
  };
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    const Scenario s = swarm_scenario(seed, ranges);
    for (const auto& [name, value] : dims) {
      seen[name].insert(value(s));
    }
    configurations.insert(swarm_configuration_key(s));
  }
  EXPECT_EQ(configurations.size(), 200U);
  EXPECT_EQ(seen["profile"].size(), all_profiles().size());
  EXPECT_EQ(seen["contacts.kind"].size(), 4U);
  EXPECT_EQ(seen["phones"].size(), ranges.phones.hi - ranges.phones.lo + 1);
  EXPECT_EQ(seen["regions"].size(), ranges.regions.hi - ranges.regions.lo + 1);
  EXPECT_EQ(seen["groups.changes"].size(), 2U);
  EXPECT_GE(seen["contacts.degree"].size(), 5U);
  EXPECT_GE(seen["messages"].size(), 20U);
  EXPECT_EQ(seen["groups.count"].size(), 4U);  // off, 1, 2, 3
  EXPECT_EQ(seen["u2u"].size(), 4U);           // off, 1, 2, 3
  EXPECT_GE(seen["adversaries"].size(), 16U);
  for (const char* feature :
       {"churn", "loss", "duplication", "reorder", "spike", "partitions", "phone crashes",
        "server crashes", "clock skew", "access link loss", "safety"}) {
    EXPECT_TRUE(seen[feature].contains("0") || std::string(feature) == "safety") << feature;
    EXPECT_GE(seen[feature].size(), 50U) << feature;
  }
}

TEST(Swarm, RangesBindTheDraw) {
  SwarmRanges ranges = swarm_ranges();
  ranges.phones = {5, 7};
  ranges.safety_ms = {9'000, 9'000};
  ranges.feature_on_ppm = 0;  // every optional feature off
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    const Scenario s = swarm_scenario(seed, ranges);
    EXPECT_GE(s.phones, 5U);
    EXPECT_LE(s.phones, 7U);
    EXPECT_EQ(s.phases.safety_ms, 9'000U);
    EXPECT_EQ(s.workload.groups.count, 0U);
    EXPECT_EQ(s.faults.network.loss_ppm, 0U);
    EXPECT_EQ(s.faults.crashes.server_per_hour, 0U);
    EXPECT_TRUE(s.adversaries.empty());
  }
}

// What the swarm may add is what the attack scenarios declare holds: under a profile, an
// adversary is listed exactly when an attack file of that profile runs it with no expected
// violation.
TEST(Swarm, MustHoldAdversariesAreThoseTheAttackScenariosSayHold) {
  const std::string dir = std::string(SPMC_SOURCE_DIR) + "/simulator/scenarios/attacks";
  std::map<std::string, std::set<std::string>> holds;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") {
      continue;
    }
    const auto s = load_scenario(entry.path().string());
    ASSERT_TRUE(s.ok()) << entry.path();
    if (s->expected_violations.empty()) {
      for (const AdversarySpec& a : s->adversaries) {
        holds[s->profile.name].insert(a.name);
      }
    }
  }
  for (const Profile* p : all_profiles()) {
    const auto listed = must_hold_adversaries(p->name);
    EXPECT_EQ(std::set<std::string>(listed.begin(), listed.end()), holds[std::string(p->name)])
        << p->name;
  }
}

TEST(Swarm, AdversariesOnlyJoinWorldsTheyHoldIn) {
  const SwarmRanges ranges = swarm_ranges();
  std::set<std::string> added;
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    const Scenario s = swarm_scenario(seed, ranges);
    const auto allowed = must_hold_adversaries(s.profile.name);
    std::vector<std::string> drawn;
    for (const AdversarySpec& a : s.adversaries) {
      EXPECT_FALSE(a.aimed()) << "the swarm draws plain entries";
      EXPECT_TRUE(has(allowed, a.name)) << "seed " << seed << ": " << a.name;
      added.insert(s.profile.name + "/" + a.name);
      drawn.push_back(a.name);
    }
    if (has(drawn, "removed_member")) {
      EXPECT_GT(s.workload.groups.count, 0U) << seed;
      EXPECT_FALSE(has(drawn, "observer") || has(drawn, "curious_server")) << seed;
    }
    if (has(drawn, "network_attacker")) {
      EXPECT_EQ(s.faults.crashes.server_per_hour, 0U) << seed;
    }
    if (s.profile.name == "paper") {
      EXPECT_EQ(s.workload.groups.changes_per_hour, 0U) << seed;  // A-30 by design
    }
  }
  std::size_t listed = 0;
  for (const Profile* p : all_profiles()) {
    listed += must_hold_adversaries(p->name).size();
  }
  EXPECT_EQ(added.size(), listed);  // each of them somewhere in 1000 seeds
}

// A short swarm: every world passes (the 1000-seed run is in SWARM.md).
TEST(Swarm, FirstThirtySeedsPass) {
  const SwarmRanges ranges = swarm_ranges();
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    World world(swarm_scenario(seed, ranges), seed);
    const Report r = world.run();
    EXPECT_TRUE(r.pass) << "seed " << seed << ": " << r.verdict;
  }
}

}  // namespace
}  // namespace spmc::sim
