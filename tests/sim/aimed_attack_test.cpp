// Aimed adversaries (simulator/scenarios/SCHEMA.md, "Aimed adversaries"): the loader reads,
// writes back and refuses aimed entries; a plain name stays a plain string; every aimed attack
// scenario fails exactly what it declares on pinned seeds, and each shows what the fixed
// timing could not (simulator/scenarios/attacks/README.md, "Aimed variants").
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "spmc/sim/adversary.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::sim {
namespace {

const std::string kAttackDir = std::string(SPMC_SOURCE_DIR) + "/simulator/scenarios/attacks";

Scenario aimed(const std::string& name) {
  auto s = load_scenario(kAttackDir + "/aimed/" + name + ".json");
  SPMC_CHECK(s.ok());
  return *s;
}

Scenario fixed(const std::string& name) {
  auto s = load_scenario(kAttackDir + "/" + name + ".json");
  SPMC_CHECK(s.ok());
  return *s;
}

const InvariantResult& invariant(const Report& r, std::string_view name) {
  auto it = std::find_if(r.invariants.begin(), r.invariants.end(),
                         [name](const InvariantResult& i) { return i.name == name; });
  SPMC_CHECK(it != r.invariants.end());
  return *it;
}

// The report line that starts with `prefix` (empty when none).
std::string finding(const Report& r, std::string_view prefix) {
  for (const std::string& f : r.findings) {
    if (f.starts_with(prefix)) {
      return f;
    }
  }
  return "";
}

// "read N messages" of the common attack line.
std::uint64_t messages_read(const Report& r) {
  const std::string line = finding(r, "recorded ");
  const auto at = line.find("; read ");
  SPMC_CHECK(at != std::string::npos);
  return std::stoull(line.substr(at + 7));
}

std::string error_of(const std::string& json) {
  auto s = parse_scenario(json, "t.json");
  return s.ok() ? std::string("(accepted)") : s.error().detail;
}

TEST(AimedAdversaries, EveryAimedScenarioFailsExactlyWhatItDeclaresOnPinnedSeeds) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(kAttackDir + "/aimed")) {
    if (entry.path().extension() == ".json") {
      files.push_back(entry.path().stem().string());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 11U) << "five aimed attacks under both profiles, one hardened only";
  for (const std::string& name : files) {
    const Scenario s = aimed(name);
    ASSERT_TRUE(std::any_of(s.adversaries.begin(), s.adversaries.end(), [](const AdversarySpec& a) {
      return a.aimed();
    })) << name;
    for (std::uint64_t seed : {1, 2, 3}) {
      const Report r = World(s, seed).run();
      EXPECT_TRUE(r.pass) << name << " seed " << seed << ": " << r.verdict << "\n"
                          << render_text(r);
      EXPECT_NE(finding(r, "aimed ").find(" strike(s), first "), std::string::npos)
          << name << " seed " << seed << ": the aimed adversary must have struck";
    }
  }
}

// Before the U2U run (the fixed timing) hardened's U2U-010 detects the substitution; after
// both phones verified, a re-certification (as after a reinstall) makes each phone drop the
// verification and seal its next key share to the server's key: undetected in both profiles.
TEST(AimedAdversaries, KeySubstitutionAfterU2uOptInEscapesHardenedU2u) {
  const Report before = World(fixed("key_substitution_hardened"), 1).run();
  EXPECT_TRUE(invariant(before, "u2u_detects_mitm").held);
  for (const char* name : {"key_substitution_after_u2u", "key_substitution_after_u2u_hardened"}) {
    const Report after = World(aimed(name), 1).run();
    const InvariantResult& u2u = invariant(after, "u2u_detects_mitm");
    EXPECT_FALSE(u2u.held) << name;
    EXPECT_NE(u2u.detail.find("dropped the verification"), std::string::npos) << u2u.detail;
    EXPECT_FALSE(invariant(after, "adversary_reads_nothing").held) << name;
  }
}

// The forward-secrecy boundary: with b's key taken at the first instant of the safety phase
// nothing recorded before can be read (forward_secrecy holds), yet every later message sealed
// under a share to b is: no post-compromise security in either profile.
TEST(AimedAdversaries, CompromiseAtTheStartReadsOnlyWhatFollows) {
  for (const char* name : {"device_compromise_at_start", "device_compromise_at_start_hardened"}) {
    const Report r = World(aimed(name), 1).run();
    const InvariantResult& fs = invariant(r, "forward_secrecy");
    EXPECT_TRUE(fs.held) << name << ": " << fs.detail;
    EXPECT_GT(fs.checks, 0U);
    EXPECT_GT(messages_read(r), 0U) << name << ": the later messages must be read\n"
                                    << render_text(r);
  }
}

// Proves: A-07, KS-020
// A share forged to a phone while it is offline waits in the offline store like a real one:
// paper accepts it at reconnection (and then refuses a's real messages as expired), hardened
// refuses it (bad_signature).
TEST(AimedAdversaries, ForgedShareToAnOfflineRecipientIsAcceptedByPaperOnly) {
  const Report paper = World(aimed("forged_key_share_offline"), 1).run();
  EXPECT_FALSE(invariant(paper, "no_forged_accepted").held);
  const Report hardened = World(aimed("forged_key_share_offline_hardened"), 1).run();
  EXPECT_TRUE(invariant(hardened, "no_forged_accepted").held);
  EXPECT_NE(hardened.rejects.count("keyshare_reject:bad_signature"), 0U);
  EXPECT_NE(finding(paper, "aimed server_forges_key_share (offline_recipient, at 60000 ms)"), "");
}

// Proves: KS-010, RAT-006
// The very first key share pushed again right after it was relayed (racing the original),
// and the newest items to whichever phone is offline every 10 s: nothing is accepted twice.
TEST(AimedAdversaries, ReplaysAimedAtTheKeyExchangeAndAtOfflinePhonesAreRefused) {
  for (const char* name : {"replay_after_key_share", "replay_after_key_share_hardened",
                           "replay_to_offline_recipient", "replay_to_offline_recipient_hardened"}) {
    const Report r = World(aimed(name), 2).run();
    EXPECT_TRUE(invariant(r, "no_replay_accepted").held) << name;
    EXPECT_TRUE(invariant(r, "exactly_once_delivery").held) << name;
    EXPECT_EQ(finding(r, "aimed server_replays").find("never struck"), std::string::npos) << name;
  }
  const Report first = World(aimed("replay_after_key_share"), 2).run();
  EXPECT_NE(finding(first,
                    "aimed server_replays (its default target, after key_share #1): 1 "
                    "strike(s)")
                .find("(1 key shares) pushed again"),
            std::string::npos)
      << finding(first, "aimed ");
}

// Proves: GRP-010
// A member removed right after another membership change (two rekeys in flight, members
// added back by the workload) reads nothing it should not under hardened.
TEST(AimedAdversaries, RemovalRightAfterAnotherGroupChangeHoldsUnderHardened) {
  const Report r = World(aimed("removed_member_after_group_change_hardened"), 4).run();
  EXPECT_TRUE(invariant(r, "removed_member_reads_nothing").held)
      << invariant(r, "removed_member_reads_nothing").detail;
  EXPECT_NE(finding(r, "aimed removed_member (newest_member, after group_change #1)"), "");
}

TEST(AimedAdversaries, SameSeedGivesTheSameTraceAndAStrikeEventOnlyWhenAimed) {
  WorldOptions o;
  o.capture_trace = true;
  World a(aimed("device_compromise_at_start"), 5, o);
  World b(aimed("device_compromise_at_start"), 5, o);
  EXPECT_EQ(a.run().trace_hash, b.run().trace_hash);
  EXPECT_EQ(a.captured_trace(), b.captured_trace());
  EXPECT_NE(a.captured_trace().find("\"ev\":\"adv_strike\""), std::string::npos);
  World plain(fixed("device_compromise"), 5, o);
  (void)plain.run();
  EXPECT_EQ(plain.captured_trace().find("adv_strike"), std::string::npos);
}

TEST(AimedAdversaries, PlainNamesAreWrittenBackAsStringsAndAimedEntriesRoundTrip) {
  const Scenario s = aimed("replay_after_key_share");
  const auto json = scenario_to_json(s);
  ASSERT_EQ(json["adversaries"].size(), 2U);
  EXPECT_TRUE(json["adversaries"][0].is_object());
  EXPECT_EQ(json["adversaries"][1], "network_attacker");
  auto back = parse_scenario(json.dump(), "dump.json");
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_EQ(*back, s);
  for (const char* text :
       {R"({"phones": 6, "adversaries": [{"name": "device_compromise", "target": {"phones": [5]},
            "when": {"after": "rekey", "n": 3}}]})",
        R"({"adversaries": [{"name": "server_mitm", "target": {"role": "random_pair"}}]})",
        R"({"adversaries": [{"name": "server_replays", "when": {"every_ms": 5000}}]})",
        R"({"adversaries": [{"name": "removed_member", "when": {"at_ms": 45000}}]})"}) {
    auto parsed = parse_scenario(text, "t.json");
    ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
    auto again = parse_scenario(scenario_to_json(*parsed).dump(), "t.json");
    ASSERT_TRUE(again.ok()) << again.error().detail;
    EXPECT_EQ(*again, *parsed) << text;
  }
}

TEST(AimedAdversaries, BadAimsAreOneLineErrorsNamingTheField) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"adversaries": [{"name": "removed_member", "target": {"role": "organiser"}}]})",
       "t.json: adversaries[0].target.role: 'removed_member' cannot be aimed at role 'organiser' "
       "(one of: newest_member, offline_recipient, random_pair)"},
      {R"({"adversaries": [{"name": "device_compromise", "target": {"role": "boss"}}]})",
       "t.json: adversaries[0].target.role: unknown role 'boss' (one of: organiser, "
       "newest_member, offline_recipient, u2u_pair, random_pair)"},
      {R"({"phones": 6, "adversaries": [{"name": "device_compromise", "target": {"phones": [6]}}]})",
       "t.json: adversaries[0].target.phones[0]: must be < phones (6)"},
      {R"({"adversaries": [{"name": "server_substitutes_keys", "target": {"phones": [1]}}]})",
       "t.json: adversaries[0].target.phones: 'server_substitutes_keys' takes a pair [a, b] (a "
       "sends to b)"},
      {R"({"adversaries": [{"name": "server_mitm", "target": {"phones": [2, 2]}}]})",
       "t.json: adversaries[0].target.phones: the two phones must differ"},
      {R"({"adversaries": [{"name": "device_compromise", "when": {"at_ms": 40000, "after": "rekey"}}]})",
       "t.json: adversaries[0].when: give exactly one of at_ms, after, every_ms"},
      {R"({"adversaries": [{"name": "device_compromise", "when": {"at_ms": 1000}}]})",
       "t.json: adversaries[0].when.at_ms: must be in the safety phase, [30000, 90000) ms of "
       "virtual time"},
      {R"({"adversaries": [{"name": "device_compromise", "when": {"every_ms": 1000}}]})",
       "t.json: adversaries[0].when.every_ms: 'device_compromise' cannot take every_ms"},
      {R"({"adversaries": [{"name": "server_replays", "when": {"after": "tuesday"}}]})",
       "t.json: adversaries[0].when.after: unknown event 'tuesday' (one of: key_share, "
       "group_change, rekey, u2u_verified)"},
      {R"({"adversaries": [{"name": "server_replays", "when": {"at_ms": 40000, "n": 2}}]})",
       "t.json: adversaries[0].when.n: only with after"},
      {R"({"adversaries": [{"name": "server_replays", "when": {"after": "rekey", "n": 0}}]})",
       "t.json: adversaries[0].when.n: must be an integer in [1, 1000000]"},
      {R"({"adversaries": [{"name": "observer", "target": {"phones": [0]}}]})",
       "t.json: adversaries[0].target: 'observer' takes no target (it acts on every phone or the "
       "server)"},
      {R"({"adversaries": [{"name": "device_compromise"}]})",
       "t.json: adversaries[0]: an object needs target or when (else write the plain name)"},
      {R"({"adversaries": [{"name": "device_compromise", "target": {}, "when": {"at_ms": 40000}}]})",
       "t.json: adversaries[0].target: give exactly one of phones, role"},
      {R"({"adversaries": [{"name": "device_compromise", "aim": 1}]})",
       "t.json: adversaries[0].aim: unknown field"},
      {R"({"adversaries": [{"target": {"role": "organiser"}}]})",
       "t.json: adversaries[0].name: must be a string (an adversary name)"},
      {R"({"adversaries": [{"name": "evil_twin", "when": {"at_ms": 40000}}]})",
       "t.json: adversaries[0]: unknown adversary 'evil_twin'"},
      {R"({"adversaries": ["server_replays", {"name": "server_replays", "when": {"at_ms": 40000}}]})",
       "t.json: adversaries[1]: 'server_replays' is listed twice (an aimed adversary appears "
       "once)"},
      {R"({"adversaries": [3]})",
       "t.json: adversaries[0]: must be a string (an adversary name) or an object"},
  };
  for (const auto& [json, want] : cases) {
    const std::string got = error_of(json);
    EXPECT_TRUE(got.starts_with(want)) << json << "\n  got:  " << got << "\n  want: " << want;
    EXPECT_EQ(got.find('\n'), std::string::npos) << got;
  }
  // The same name twice stays allowed when none is aimed (as before aiming existed).
  EXPECT_EQ(error_of(R"({"adversaries": ["observer", "observer"]})"), "(accepted)");
}

}  // namespace
}  // namespace spmc::sim
