// PRO-008: profiles as data. The built-in files are the reference compositions; a file round
// trips; a designer's variant is a file (or a scenario's inline object) that runs a world;
// every mistake is one line naming the source, the field and the reason.
#include "spmc/sim/profile_file.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "spmc/schemes/catalog.hpp"
#include "spmc/schemes/group_policy.hpp"
#include "spmc/schemes/key_share_scheme.hpp"
#include "spmc/schemes/pin_kdf.hpp"
#include "spmc/schemes/u2u_scheme.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::sim {
namespace {

std::string error_of(std::string_view json) {
  const Result<Profile> result = parse_profile(json, "p.json");
  if (result.ok()) {
    return "(parsed)";
  }
  EXPECT_EQ(result.code(), ErrorCode::kBadValue);
  EXPECT_EQ(result.error().detail.find('\n'), std::string::npos);
  return result.error().detail;
}

// Proves: PRO-008
TEST(ProfileFile, BuiltinFilesAreTheReferenceCompositionsInOrder) {
  const auto builtins = builtin_profiles();
  ASSERT_EQ(builtins.size(), all_profiles().size());
  for (std::size_t i = 0; i < builtins.size(); ++i) {
    EXPECT_EQ(builtins[i], *all_profiles()[i]) << builtins[i].name;
    EXPECT_EQ(builtin_profile(builtins[i].name), &builtins[i]);
  }
  EXPECT_EQ(builtins[0].name, "paper");
  EXPECT_EQ(builtin_profile("mixed"), nullptr);
}

// Proves: PRO-008
TEST(ProfileFile, EveryProfileRoundTripsThroughItsFile) {
  Profile variant = paper_profile();
  variant.name = "variant";
  variant.description = "u2u bound, more skipped keys";
  variant.u2u = &u2u::bound_u2u();
  variant.limits.max_skipped_keys = 5000;
  for (const Profile& p : {paper_profile(), hardened_profile(), variant}) {
    const std::string text = profile_to_json(p).dump(2);
    const auto back = parse_profile(text, "round.json");
    ASSERT_TRUE(back.ok()) << back.error().detail;
    EXPECT_EQ(*back, p) << text;
  }
}

TEST(ProfileFile, CatalogNamesAreTheSchemesOwnNames) {
  for (const auto& c : schemes::key_share_choices()) {
    EXPECT_EQ(c.name, c.value->name());
  }
  for (const auto& c : schemes::group_choices()) {
    EXPECT_EQ(c.name, c.value->name());
  }
  for (const auto& c : schemes::u2u_choices()) {
    EXPECT_EQ(c.name, c.value->name());
  }
  for (const auto& c : schemes::pin_kdf_choices()) {
    EXPECT_EQ(c.name, c.value->name());
  }
  std::set<std::uint8_t> tags;
  for (const auto& c : schemes::u2u_choices()) {
    EXPECT_TRUE(tags.insert(c.value->state_tag()).second) << "U2U state tags are unique";
  }
  for (const auto& c : schemes::suite_choices()) {
    EXPECT_EQ(c.name, suite_name(c.value));
  }
}

// Proves: PRO-008
TEST(ProfileFile, ABaseWithChangesIsNamedAndDescribedAfterWhatChanged) {
  const auto p = parse_profile(R"({"base": "paper", "key_share": "signed",
                                   "limits": {"max_forward": 500}})",
                               "p.json");
  ASSERT_TRUE(p.ok()) << p.error().detail;
  EXPECT_EQ(p->name, "paper-custom");
  EXPECT_EQ(p->description, "paper with key_share signed, limits.max_forward 500");
  EXPECT_EQ(p->key_share, &keyshare::signed_key_share());
  EXPECT_EQ(p->group, paper_profile().group);
  EXPECT_EQ(p->limits.max_forward, 500u);
  EXPECT_EQ(p->limits.max_skipped_keys, paper_profile().limits.max_skipped_keys);

  const auto same = parse_profile(R"({"base": "hardened"})", "p.json");
  ASSERT_TRUE(same.ok()) << same.error().detail;
  EXPECT_EQ(*same, hardened_profile()) << "an unchanged base is the built-in itself";

  const auto named = parse_profile(R"({"base": "paper", "name": "mine", "u2u": "bound"})", "p");
  ASSERT_TRUE(named.ok()) << named.error().detail;
  EXPECT_EQ(named->name, "mine");
}

// Proves: PRO-008
TEST(ProfileFile, MistakesAreOneLineWithSourceFieldAndReason) {
  const std::string full = R"("suite": "SPMC_AES128_RATCHET_AES128GCM", "key_share": "paper",
      "group": "keep_key", "u2u": "paper", "pin_kdf": "sha256")";
  EXPECT_EQ(error_of(R"({"base": "paper", "key_share": "sgned"})"),
            "p.json: key_share: unknown scheme 'sgned' (one of: paper, signed)");
  EXPECT_EQ(error_of(R"({"base": "paper", "group": 3})"),
            "p.json: group: unknown scheme 3 (one of: keep_key, rekey)");
  EXPECT_EQ(error_of(R"({"base": "paper", "limits": {"max_forward": 0}})"),
            "p.json: limits.max_forward: must be an integer in [1, 1000000]");
  EXPECT_EQ(error_of(R"({"base": "paper", "limits": {"max_forward": -1}})"),
            "p.json: limits.max_forward: must be an integer in [1, 1000000]");
  EXPECT_EQ(error_of(R"({"base": "paper", "limits": {"pin_tries": 5}})"),
            "p.json: limits.pin_tries: fixed at 3 by the store format (STO-004); not a profile "
            "choice");
  EXPECT_EQ(error_of(R"({"base": "paper", "limits": {"max_fwd": 5}})"),
            "p.json: limits.max_fwd: unknown field");
  EXPECT_EQ(error_of(R"({"base": "paper", "colour": "red"})"), "p.json: colour: unknown field");
  EXPECT_EQ(error_of(R"({"base": "modern"})"),
            "p.json: base: unknown built-in profile 'modern' (one of: paper, hardened)");
  EXPECT_EQ(error_of(R"({"name": "x", "key_share": "paper"})"),
            "p.json: suite: missing (or give \"base\")");
  EXPECT_EQ(error_of("{" + full + "}"), "p.json: name: missing (or give \"base\")");
  EXPECT_EQ(error_of(R"({"name": "a b", )" + full + "}"),
            "p.json: name: may use only letters, digits and _ - . +");
  EXPECT_EQ(error_of(R"({"name": "paper", "base": "paper", "u2u": "bound"})"),
            "p.json: name: 'paper' is a built-in profile and this one differs from it in u2u "
            "bound; give it its own name");
  EXPECT_EQ(error_of("[]"), "p.json: (root): must be an object");
  EXPECT_EQ(error_of(R"({"base": "paper", "base": "hardened"})").find("p.json"), 0u)
      << "a repeated key is refused, not silently the last";
  EXPECT_EQ(error_of(R"({"name": "x", )" + full + R"(, "description": 7})"),
            "p.json: description: must be a string of at most 200 characters");
  EXPECT_EQ(error_of(R"({"name": "x", )" + full + "}"), "(parsed)");
}

// Proves: PRO-008
TEST(ProfileFile, ScenarioNamesABuiltinAndWritesAnyOtherProfileInFull) {
  const auto builtin = parse_scenario(R"({"profile": "hardened"})", "s.json");
  ASSERT_TRUE(builtin.ok()) << builtin.error().detail;
  EXPECT_EQ(builtin->profile, hardened_profile());
  EXPECT_EQ(scenario_to_json(*builtin)["profile"], "hardened")
      << "built-ins stay names, so old trace headers keep their bytes";

  const auto inline_profile = parse_scenario(
      R"({"profile": {"base": "paper", "name": "mine", "group": "rekey"}})", "s.json");
  ASSERT_TRUE(inline_profile.ok()) << inline_profile.error().detail;
  EXPECT_EQ(inline_profile->profile.group, &group::rekey_group_policy());
  const auto written = scenario_to_json(*inline_profile);
  ASSERT_TRUE(written["profile"].is_object());
  EXPECT_EQ(written["profile"]["name"], "mine");
  const auto back = parse_scenario(written.dump(), "written.json");
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_EQ(*back, *inline_profile);

  const auto bad = parse_scenario(R"({"profile": {"base": "paper", "u2u": "x"}})", "s.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().detail, "s.json: profile.u2u: unknown scheme 'x' (one of: paper, bound)");
  const auto unknown = parse_scenario(R"({"profile": "modern"})", "s.json");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().detail,
            "s.json: profile: must be one of \"paper\", \"hardened\" or a profile object");
}

// A designer's composition runs a whole world, and its trace header carries it in full.
// Proves: PRO-008
TEST(ProfileFile, AFileProfileRunsAWorldAndItsTraceHeaderCarriesIt) {
  auto s = parse_scenario(R"({"phones": 6, "phases": {"safety_ms": 20000, "liveness_ms": 40000},
                              "profile": {"base": "paper", "name": "signed-paper",
                                          "key_share": "signed", "group": "rekey"}})",
                          "s.json");
  ASSERT_TRUE(s.ok()) << s.error().detail;
  WorldOptions options;
  options.capture_trace = true;
  World world(*s, 3, options);
  const Report report = world.run();
  EXPECT_TRUE(report.pass);
  EXPECT_EQ(report.profile, "signed-paper");
  const std::string header = world.captured_trace().substr(0, world.captured_trace().find('\n'));
  EXPECT_NE(header.find(R"("key_share":"signed")"), std::string::npos) << header;
  EXPECT_NE(header.find(R"("name":"signed-paper")"), std::string::npos) << header;
}

}  // namespace
}  // namespace spmc::sim
