// PRO-008 at the command line: `--profile NAME|FILE` and `--set PATH=VALUE` on every command
// that runs worlds, validated exactly like a file (one line, exit 2), with replay lines that
// give the same world again; `spmc profiles` lists the built-ins and what differs.
#include <gtest/gtest.h>

#include <string>

#include "run_spmc.hpp"

namespace spmc::cli_test {
namespace {

class ProfileOptions : public CliTest {
 protected:
  std::string file(const std::string& name, const std::string& text) const {
    write_text(dir() / name, text);
    return name;
  }
};

const std::vector<std::string> kSmall = {
    "--set", "phones=6", "--set", "phases.safety_ms=20000", "--set", "phases.liveness_ms=40000"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// Proves: PRO-008
TEST_F(ProfileOptions, SetChangesTheWorldExactlyAsTheSameFieldInAFileWould) {
  const std::string base = file("base.json", R"({"phones": 6,
      "phases": {"safety_ms": 20000, "liveness_ms": 40000}})");
  const std::string edited = file("edited.json", R"({"phones": 6, "faults": {"loss_ppm": 300000},
      "phases": {"safety_ms": 20000, "liveness_ms": 40000},
      "profile": {"base": "paper", "key_share": "signed"}})");
  const auto from_file = spmc({"sim", edited, "--seed", "5", "--json"});
  ASSERT_EQ(from_file.code, 0) << from_file.err;
  const auto from_sets = spmc({"sim", base, "--seed", "5", "--json", "--set",
                               "faults.loss_ppm=300000", "--set", "profile.key_share=signed"});
  ASSERT_EQ(from_sets.code, 0) << from_sets.err;
  EXPECT_NE(from_sets.out.find("\"profile\":\"paper-custom\""), std::string::npos) << from_sets.out;
  EXPECT_EQ(from_sets.out, from_file.out) << "same world, same report and trace hash";
  const auto unchanged = spmc({"sim", base, "--seed", "5", "--json"});
  EXPECT_NE(unchanged.out, from_sets.out) << "the sets changed the world";
}

// Proves: PRO-008
TEST_F(ProfileOptions, ProfileTakesABuiltinOrAFileOnEveryWorldCommand) {
  const std::string mine =
      file("mine.json", R"({"base": "paper", "name": "mine", "u2u": "bound"})");
  for (const std::string& profile : std::vector<std::string>{"hardened", mine}) {
    SCOPED_TRACE(profile);
    const auto sim = spmc(with({"sim", "--profile", profile, "--seed", "2"}, kSmall));
    EXPECT_EQ(sim.code, 0) << sim.err;
    EXPECT_NE(sim.out.find("profile " + (profile == mine ? std::string("mine") : profile)),
              std::string::npos)
        << sim.out;
    const auto sweep = spmc(with({"sweep", "--profile", profile, "--seeds", "1..2"}, kSmall));
    EXPECT_EQ(sweep.code, 0) << sweep.err;
  }
  const auto req = spmc({"requirements", "--profile", mine, "--no-timing"});
  EXPECT_EQ(req.code, 0) << req.err << req.out;
  EXPECT_NE(req.out.find("not predicted (no predictions for the profile)"), std::string::npos)
      << req.out;
  const auto demo = spmc({"demo", "--profile", mine, "--quiet"});
  EXPECT_EQ(demo.code, 0) << demo.err;
  EXPECT_NE(demo.out.find("== profile mine"), std::string::npos) << demo.out;
}

// Proves: PRO-008
TEST_F(ProfileOptions, MistakesAreOneLineNamingSourceFieldAndReason) {
  const std::string bad = file("bad.json", R"({"base": "paper", "key_share": "sgned"})");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"sim", "--set", "faults.los_ppm=3"},
       "--set faults.los_ppm=3: faults.los_ppm: unknown field (did you mean faults.loss_ppm?)"},
      {{"sweep", "--set", "faults.loss_ppm=2000000"},
       "--set faults.loss_ppm=2000000: faults.loss_ppm: must be an integer in [0, 1000000]"},
      {{"shrink", "--set", "phones"}, "--set phones: expected path=value"},
      {{"sim", "--set", "profile.u2u=strong"},
       "--set profile.u2u=strong: profile.u2u: unknown scheme 'strong' (one of: paper, bound)"},
      {{"sim", "--set", "profile.name=paper", "--set", "profile.group=rekey"},
       "--set profile.name=paper: profile.name: 'paper' is a built-in profile"},
      {{"sim", "--profile", "papr"}, "--profile: unknown profile 'papr' (did you mean 'paper'?"},
      {{"sim", "--profile", bad}, "bad.json: key_share: unknown scheme 'sgned'"},
      {{"sweep", "--profile", "missing.json"}, "missing.json"},
      {{"profiles", "--show", bad}, "bad.json: key_share: unknown scheme 'sgned'"},
  };
  for (const auto& [args, message] : cases) {
    SCOPED_TRACE(args.back());
    const auto r = spmc(args);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_EQ(r.err.rfind("spmc: error: " + message, 0), 0u) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
    EXPECT_EQ(r.out, "");
  }
}

// A failing run's replay line carries --profile and every --set, in order, and gives the same
// failure again.
// Proves: PRO-008
TEST_F(ProfileOptions, ReplayLineCarriesProfileAndSets) {
  const std::string mine = file("mine.json", R"({"base": "paper", "name": "mine"})");
  const auto failed = spmc(with(
      {"sim", "--profile", mine, "--seed", "3", "--inject-bug", "server_keeps_delivered"}, kSmall));
  ASSERT_EQ(failed.code, 1) << failed.err;
  const auto at = failed.err.find("replay: ");
  ASSERT_NE(at, std::string::npos) << failed.err;
  const std::string line = failed.err.substr(at + 8, failed.err.find('\n', at) - at - 8);
  EXPECT_NE(line.find("--profile mine.json --set phones=6 --set phases.safety_ms=20000"),
            std::string::npos)
      << line;
  const auto again = shell(line);
  EXPECT_EQ(again.code, 1) << again.err;
  EXPECT_EQ(again.out, failed.out);
}

// Proves: PRO-008
TEST_F(ProfileOptions, ProfilesListsTheBuiltinsWithDifferencesAndShowRoundTrips) {
  const auto list = spmc({"profiles"});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("* key_share"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("  limits.max_forward"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("u2u       bound"), std::string::npos) << list.out;
  const auto json = spmc({"profiles", "--json"});
  ASSERT_EQ(json.code, 0);
  EXPECT_NE(json.out.find(R"("differences":["suite","key_share","group","u2u","pin_kdf"])"),
            std::string::npos)
      << json.out;

  // --show prints a complete file; renamed, it loads as a profile of its own.
  const auto shown = spmc({"profiles", "--show", "hardened"}, (dir() / "h.json").string());
  ASSERT_EQ(shown.code, 0);
  std::string text = read_text(dir() / "h.json");
  text.replace(text.find("\"hardened\""), 10, "\"h2\"");
  write_text(dir() / "h.json", text);
  const auto same = spmc({"profiles", "hardened", "h.json", "--json"});
  ASSERT_EQ(same.code, 0) << same.err;
  EXPECT_NE(same.out.find(R"("differences":[])"), std::string::npos) << same.out;
}

}  // namespace
}  // namespace spmc::cli_test

namespace spmc::cli_test {
namespace {

// A designer's file as one side of `spmc diff`: paper with the bound U2U detects the key
// substitution of the attack scenario, so that row (and only such rows) improves; with
// itself, under the same --set, nothing differs.
// Proves: PRO-008
TEST_F(ProfileOptions, DiffComparesABuiltinWithAProfileFileUnderTheSameSets) {
  const std::string mine =
      file("mine.json", R"({"base": "paper", "name": "mine", "u2u": "bound"})");
  const std::string attack =
      std::string(SPMC_SOURCE_DIR) + "/simulator/scenarios/attacks/key_substitution.json";
  const auto d = spmc({"diff", "paper", mine, "--scenario", attack, "--seeds", "1..2", "--set",
                       "phases.liveness_ms=60000"});
  EXPECT_EQ(d.code, 0) << d.err << d.out;
  EXPECT_NE(d.out.find("+ u2u_detects_mitm"), std::string::npos) << d.out;
  EXPECT_NE(d.out.find("--profile mine.json --set phases.liveness_ms=60000 --seed 1"),
            std::string::npos)
      << "replay lines carry the file and the sets: " << d.out;
  const auto same = spmc({"diff", mine, mine, "--seeds", "1..2", "--set", "phones=6"});
  EXPECT_EQ(same.code, 0) << same.err;
  EXPECT_EQ(same.out.find("\n+ "), std::string::npos) << same.out;
  EXPECT_EQ(same.out.find("\n! "), std::string::npos) << same.out;
}

}  // namespace
}  // namespace spmc::cli_test
