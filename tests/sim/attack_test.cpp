// The adversaries (simulator/world/include/spmc/sim/adversary.hpp): every shipped attack scenario
// meets its declared expectation, each attack really changes what its invariant sees, and
// runs without adversaries carry none of their invariants.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "spmc/sim/adversary.hpp"
#include "spmc/sim/invariants.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::sim {
namespace {

const std::string kAttackDir = std::string(SPMC_SOURCE_DIR) + "/simulator/scenarios/attacks";

Scenario attack(const std::string& name) {
  auto s = load_scenario(kAttackDir + "/" + name + ".json");
  SPMC_CHECK(s.ok());
  return *s;
}

const InvariantResult* find(const Report& r, std::string_view name) {
  auto it = std::find_if(r.invariants.begin(), r.invariants.end(),
                         [name](const InvariantResult& i) { return i.name == name; });
  return it == r.invariants.end() ? nullptr : &*it;
}

std::vector<std::string> attack_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(kAttackDir)) {
    if (entry.path().extension() == ".json") {
      files.push_back(entry.path().stem().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(Attacks, EveryShippedScenarioFailsExactlyWhatItDeclaresOnPinnedSeeds) {
  const auto files = attack_files();
  ASSERT_EQ(files.size(), 16U) << "eight attacks, each under both profiles";
  for (const std::string& name : files) {
    for (std::uint64_t seed : {1, 2, 3}) {
      const Report r = World(attack(name), seed).run();
      EXPECT_TRUE(r.pass) << name << " seed " << seed << ": " << r.verdict << "\n"
                          << render_text(r);
    }
  }
}

// The simulated server forwards U2U messages unchanged; the full man in the middle of A-36
// (answering both hardened challenges itself) is not simulated, so hardened detects it.
TEST(Attacks, KeySubstitutionIsUndetectedUnderPaperAndDetectedUnderHardenedWhenU2uIsForwarded) {
  const Report paper = World(attack("key_substitution"), 1).run();
  ASSERT_NE(find(paper, "adversary_reads_nothing"), nullptr);
  EXPECT_FALSE(find(paper, "adversary_reads_nothing")->held);
  EXPECT_FALSE(find(paper, "u2u_detects_mitm")->held);
  const Report hardened = World(attack("key_substitution_hardened"), 1).run();
  EXPECT_FALSE(find(hardened, "adversary_reads_nothing")->held) << "no PKI defence in hardened";
  EXPECT_TRUE(find(hardened, "u2u_detects_mitm")->held)
      << find(hardened, "u2u_detects_mitm")->detail;
}

// A-36: a server that substitutes keys both ways reads h_I and h_R and every certificate,
// so it computes both phones' U2U-010 values and answers each challenge itself.
TEST(Attacks, FullManInTheMiddleDefeatsHardenedU2u) {
  const Report r = World(attack("u2u_mitm_hardened"), 1).run();
  EXPECT_TRUE(r.pass) << render_text(r);
  EXPECT_FALSE(find(r, "u2u_detects_mitm")->held);
  EXPECT_FALSE(find(r, "adversary_reads_nothing")->held);
  const bool rewrote = std::any_of(r.findings.begin(), r.findings.end(), [](const std::string& f) {
    return f.find("U2U responses rewritten 2") != std::string::npos;
  });
  EXPECT_TRUE(rewrote) << "both authentication responses must have been answered by the server";
}

TEST(Attacks, WithoutTheAttackTheSameWorldKeepsItsSecrets) {
  // The same scenario with a passive adversary in place of the substituting server: the
  // attacker's knowledge engine then opens nothing, so the violation above is the attack's.
  Scenario s = attack("key_substitution");
  s.adversaries = {"curious_server"};
  s.expected_violations.clear();
  const Report r = World(s, 1).run();
  EXPECT_TRUE(r.pass) << render_text(r);
  EXPECT_TRUE(find(r, "adversary_reads_nothing")->held);
}

// Proves: SRV-010, SRV-011, PH-012
// A server that never acts on an acknowledgement (it sees Ack{0} for each) loses nothing:
// every item is pushed again at each login and the phone drops the duplicates by message id.
// Only the server's own duty fails: its store never empties. The opt-in acked_items_deleted
// stays clean, with nothing to judge, since no acknowledgement ever reached the server: the
// two checks tell a wire attack from a server bug.
TEST(Attacks, ServerThatDropsAcksStillDeliversExactlyOnceButNeverEmptiesItsStore) {
  WorldOptions options;
  options.invariants = {InvariantName::kAckedItemsDeleted};
  const Report r = World(attack("server_drops_acks"), 1, options).run();
  EXPECT_TRUE(r.pass) << render_text(r);
  EXPECT_TRUE(find(r, "exactly_once_delivery")->held);
  EXPECT_TRUE(find(r, "no_replay_accepted")->held);
  EXPECT_FALSE(find(r, "offline_store_empty_at_quiescence")->held);
  EXPECT_TRUE(find(r, "acked_items_deleted")->held);
  EXPECT_EQ(find(r, "acked_items_deleted")->checks, 0U);
  EXPECT_GT(r.deliveries, 0U);
  EXPECT_EQ(r.deliveries, r.deliveries_expected);
  const bool dropped = std::any_of(r.findings.begin(), r.findings.end(), [](const std::string& f) {
    return f.starts_with("acknowledgements dropped: ") &&
           f.find("acknowledgements dropped: 0;") == std::string::npos;
  });
  EXPECT_TRUE(dropped) << "the attack must have rewritten acknowledgements";
}

// Proves: A-07, KS-020
TEST(Attacks, ForgedKeyShareIsAcceptedByPaperAndRefusedByHardened) {
  EXPECT_FALSE(find(World(attack("forged_key_share"), 2).run(), "no_forged_accepted")->held);
  const Report hardened = World(attack("forged_key_share_hardened"), 2).run();
  EXPECT_TRUE(find(hardened, "no_forged_accepted")->held);
  EXPECT_NE(hardened.rejects.count("keyshare_reject:bad_signature"), 0U);
}

// Proves: A-10
TEST(Attacks, RemovedMemberReadsLaterGroupMessagesOnlyWithoutRekey) {
  EXPECT_FALSE(
      find(World(attack("removed_member"), 1).run(), "removed_member_reads_nothing")->held);
  EXPECT_TRUE(
      find(World(attack("removed_member_hardened"), 1).run(), "removed_member_reads_nothing")
          ->held);
}

// Proves: A-02
TEST(Attacks, DeviceCompromiseOpensPastMessagesInBothProfiles) {
  for (const char* name : {"device_compromise", "device_compromise_hardened"}) {
    const Report r = World(attack(name), 1).run();
    const InvariantResult* fs = find(r, "forward_secrecy");
    ASSERT_NE(fs, nullptr);
    EXPECT_FALSE(fs->held) << name;
  }
}

TEST(Attacks, RunsWithoutAdversariesHaveNoAttackInvariantsOrFindings) {
  Scenario s = attack("replay");
  s.adversaries.clear();
  const Report r = World(s, 1).run();
  EXPECT_TRUE(r.findings.empty());
  for (const char* name : {"adversary_reads_nothing", "u2u_detects_mitm", "forward_secrecy",
                           "removed_member_reads_nothing", "no_pii_at_rest"}) {
    EXPECT_EQ(find(r, name), nullptr) << name;
  }
}

TEST(Attacks, SameSeedGivesTheSameTraceUnderAttack) {
  WorldOptions o;
  o.capture_trace = true;
  World a(attack("key_substitution"), 4, o);
  World b(attack("key_substitution"), 4, o);
  const Report ra = a.run();
  const Report rb = b.run();
  EXPECT_EQ(ra.trace_hash, rb.trace_hash);
  EXPECT_EQ(a.captured_trace(), b.captured_trace());
  EXPECT_EQ(ra.findings, rb.findings);
}

TEST(Attacks, UnknownAdversaryNameIsRejectedWithTheKnownOnes) {
  auto s = parse_scenario(R"({"adversaries": ["observer", "evil_twin"]})", "t.json");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().detail.find("t.json: adversaries[1]: unknown adversary 'evil_twin'"),
            std::string::npos)
      << s.error().detail;
  EXPECT_NE(s.error().detail.find("server_substitutes_keys"), std::string::npos);
}

}  // namespace
}  // namespace spmc::sim
