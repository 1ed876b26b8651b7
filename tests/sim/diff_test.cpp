// `spmc diff` (spmc/sim/diff.hpp, simulator/cli/diff_command.cpp): a side compared with
// itself differs nowhere; paper against hardened on the attack scenarios differs in exactly
// the invariants the twin scenario files declare differently; B worse than A exits 1, with
// replay commands that reproduce both verdicts; bad usage exits 2; the output is the same
// every time. Issue 18.
#include "spmc/sim/diff.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "spmc/sim/world.hpp"
#include "support/spmc_command.hpp"

namespace spmc::sim {
namespace {

using spmc::testing::CommandResult;
using spmc::testing::run_spmc;
using spmc::testing::TempDir;

const std::string kScenarios = std::string(SPMC_SOURCE_DIR) + "/simulator/scenarios/";

nlohmann::json parse(const CommandResult& r) {
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r.out << r.err;
  return j;
}

std::set<std::string> declared(const std::string& path) {
  auto s = load_scenario(path);
  SPMC_CHECK(s.ok());
  return {s->expected_violations.begin(), s->expected_violations.end()};
}

// Every attack scenario written for paper that has a hardened twin, as `--scenario` paths.
std::vector<std::string> paper_attack_files() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(kScenarios + "attacks")) {
    const std::string path = e.path().string();
    const std::string twin = path.substr(0, path.size() - 5) + "_hardened.json";
    if (e.path().extension() == ".json" && std::filesystem::exists(twin)) {
      out.push_back(path);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> with_scenarios(std::vector<std::string> args,
                                        const std::vector<std::string>& files) {
  for (const std::string& f : files) {
    args.insert(args.end(), {"--scenario", f});
  }
  return args;
}

InvariantResult invariant(const std::string& name, bool held, std::uint64_t checks,
                          bool expected = false) {
  InvariantResult i;
  i.name = name;
  i.held = held;
  i.checks = checks;
  i.expected_violation = expected;
  return i;
}

TEST(DiffAccumulator, ClassifiesEachSeedAsWorseBetterOrChangedAndNamesTheSeeds) {
  Report held;
  held.invariants = {invariant("exactly_once_delivery", true, 5),
                     invariant("forward_secrecy", false, 3, true)};
  Report broken = held;
  broken.invariants[0] = invariant("exactly_once_delivery", false, 5);
  Report fixed = held;
  fixed.invariants[1] = invariant("forward_secrecy", true, 3, true);
  DiffAccumulator acc;
  acc.add(1, held, held);
  acc.add(2, held, broken);
  acc.add(3, held, fixed);
  const ScenarioDiff d = acc.finish();
  ASSERT_EQ(d.invariants.size(), 2U);
  EXPECT_EQ(d.invariants[0].change(), DiffChange::kWorse);
  EXPECT_EQ(d.invariants[0].worse_seeds, 1U);
  EXPECT_EQ(d.invariants[1].change(), DiffChange::kBetter);
  EXPECT_EQ(d.invariants[1].b[static_cast<std::size_t>(DiffOutcome::kExpectedButHeld)], 1U);
  ASSERT_EQ(d.seeds.size(), 2U);
  EXPECT_EQ(d.seeds[0].seed, 2U);
  EXPECT_TRUE(d.seeds[0].worse);
  EXPECT_EQ(d.seeds[1].seed, 3U);
  EXPECT_FALSE(d.seeds[1].worse);
  EXPECT_TRUE(d.worse());
}

TEST(DiffAccumulator, AnInvariantJudgedOnlyLaterCountsEarlierSeedsAsNotJudged) {
  Report none;
  Report some;
  some.invariants = {invariant("no_key_reuse", true, 0)};
  DiffAccumulator acc;
  acc.add(1, none, none);
  acc.add(2, some, none);
  const ScenarioDiff d = acc.finish();
  ASSERT_EQ(d.invariants.size(), 1U);
  EXPECT_EQ(d.invariants[0].a[static_cast<std::size_t>(DiffOutcome::kNotJudged)], 1U);
  EXPECT_EQ(d.invariants[0].a[static_cast<std::size_t>(DiffOutcome::kNotExercised)], 1U);
  EXPECT_EQ(d.invariants[0].change(), DiffChange::kChanged);  // neither side violated it
  EXPECT_FALSE(d.worse());
}

// Two deployments compared: the exposure rows (LOC-013) are sums over the seeds, a group only
// one side names counts 0 on the other, and worlds without countries show no such rows.
// Proves: LOC-013
TEST(DiffAccumulator, ExposureRowsAppearOnlyForWorldsInCountries) {
  const auto row = [](const std::vector<FigureRow>& rows, const std::string& name) {
    for (const FigureRow& r : rows) {
      if (r.name == name) {
        return std::pair{r.a, r.b};
      }
    }
    ADD_FAILURE() << "no row " << name;
    return std::pair{-1.0, -1.0};
  };
  Report plain;
  DiffAccumulator without;
  without.add(1, plain, plain);
  for (const FigureRow& r : figure_rows(without.finish().a, without.finish().b)) {
    EXPECT_EQ(r.name.find("pairs"), std::string::npos) << r.name;
  }

  Report central = plain;
  central.locality = LocalityExposure{"central:US", 4, 3, 3, {{"5 Eyes", 4}, {"China", 1}}};
  Report federated = plain;
  federated.locality = LocalityExposure{"federated", 4, 3, 0, {{"5 Eyes", 1}}};
  DiffAccumulator acc;
  acc.add(1, central, federated);
  acc.add(2, central, federated);
  const ScenarioDiff d = acc.finish();
  const std::vector<FigureRow> rows = figure_rows(d.a, d.b);
  EXPECT_EQ(row(rows, "contact pairs (locality)"), (std::pair{8.0, 8.0}));
  EXPECT_EQ(row(rows, "pairs within one region"), (std::pair{6.0, 6.0}));
  EXPECT_EQ(row(rows, "pairs leaving their region"), (std::pair{6.0, 0.0}));
  EXPECT_EQ(row(rows, "pairs accessible to 5 Eyes"), (std::pair{8.0, 2.0}));
  EXPECT_EQ(row(rows, "pairs accessible to China"), (std::pair{2.0, 0.0}));
}

TEST(DiffCli, AProfileOrAScenarioComparedWithItselfDiffersNowhere) {
  TempDir dir;
  const std::vector<std::string> files = {kScenarios + "default.json",
                                          kScenarios + "attacks/key_substitution.json",
                                          kScenarios + "attacks/removed_member_hardened.json"};
  for (const auto& args :
       {with_scenarios({"diff", "paper", "paper", "--seeds", "1..2", "--json"}, files),
        with_scenarios({"diff", "hardened", "hardened", "--seeds", "1..2", "--json"}, files),
        std::vector<std::string>{"diff", files[1], files[1], "--seeds", "1..2", "--json"}}) {
    SCOPED_TRACE(args[1]);
    const CommandResult r = run_spmc(dir, args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto j = parse(r);
    EXPECT_EQ(j["verdict"], "same");
    for (const auto& s : j["scenarios"]) {
      EXPECT_TRUE(s["differing_seeds"].empty()) << s["scenario"];
      for (const auto& i : s["invariants"]) {
        EXPECT_EQ(i["change"], "same") << s["scenario"] << " " << i["name"];
        EXPECT_EQ(i["a"], i["b"]);
      }
      for (const auto& f : s["figures"]) {
        EXPECT_EQ(f["a"], f["b"]) << f["name"];
      }
    }
  }
}

// The prediction is the twin files' declarations: an invariant paper's file expects broken
// and hardened's does not is fixed by hardened (violated under A, held under B), and the
// reverse would be a regression. Nothing else may change.
TEST(DiffCli, PaperAgainstHardenedOnTheAttackScenariosDiffersExactlyWhereTheTwinsDeclare) {
  TempDir dir;
  const auto files = paper_attack_files();
  ASSERT_EQ(files.size(), 8U);
  for (const bool reversed : {false, true}) {
    SCOPED_TRACE(reversed ? "hardened paper" : "paper hardened");
    const CommandResult r =
        run_spmc(dir, with_scenarios({"diff", reversed ? "hardened" : "paper",
                                      reversed ? "paper" : "hardened", "--seeds", "1..2", "--json"},
                                     files));
    const auto j = parse(r);
    bool any_change = false;
    ASSERT_EQ(j["scenarios"].size(), files.size());
    for (std::size_t k = 0; k < files.size(); ++k) {
      const auto& s = j["scenarios"][k];
      EXPECT_EQ(s["scenario"], files[k]);
      const std::set<std::string> paper = declared(files[k]);
      const std::set<std::string> hardened =
          declared(files[k].substr(0, files[k].size() - 5) + "_hardened.json");
      for (const auto& i : s["invariants"]) {
        const std::string name = i["name"];
        const bool fixed = paper.contains(name) && !hardened.contains(name);
        const bool broken = hardened.contains(name) && !paper.contains(name);
        std::string want = "same";
        if (fixed || broken) {
          want = (fixed != reversed) ? "better" : "worse";
          any_change = true;
        }
        EXPECT_EQ(i["change"], want) << files[k] << " " << name;
        // Every seed shows the declared change, not only some.
        EXPECT_EQ(i[want == "worse" ? "worse_seeds" : "better_seeds"], want == "same" ? 0 : 2)
            << files[k] << " " << name;
      }
    }
    EXPECT_TRUE(any_change);
    EXPECT_EQ(r.exit_code, reversed ? 1 : 0) << r.err;
    EXPECT_EQ(j["verdict"], reversed ? "worse" : "different");
  }
}

TEST(DiffCli, ABrokenServerOnBExitsOneAndItsReplayCommandsReproduceBothVerdicts) {
  TempDir dir;
  const CommandResult r = run_spmc(dir, {"diff", "paper", "paper", "--inject-bug",
                                         "server_keeps_delivered", "--seeds", "1..1", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto j = parse(r);
  EXPECT_EQ(j["verdict"], "worse");
  ASSERT_EQ(j["scenarios"][0]["differing_seeds"].size(), 1U);
  const auto& seed = j["scenarios"][0]["differing_seeds"][0];
  EXPECT_TRUE(seed["worse"].get<bool>());
  const std::string replay_b = seed["replay_b"];
  EXPECT_NE(replay_b.find("--inject-bug server_keeps_delivered"), std::string::npos) << replay_b;
  for (const auto& [replay, verdict] : {std::pair{seed["replay_a"], seed["verdict_a"]},
                                        std::pair{seed["replay_b"], seed["verdict_b"]}}) {
    const std::string command = replay.get<std::string>() + " >/dev/null 2>&1";
    const int status = std::system(command.c_str());
    ASSERT_TRUE(WIFEXITED(status)) << command;
    EXPECT_EQ(WEXITSTATUS(status), verdict == "pass" ? 0 : 1) << command;
  }
}

TEST(DiffCli, TwoScenarioFilesCompareAsWrittenAndHardenedAfterPaperIsWorseWhereDeclared) {
  TempDir dir;
  const std::string paper = kScenarios + "attacks/removed_member.json";
  const std::string hardened = kScenarios + "attacks/removed_member_hardened.json";
  const CommandResult r = run_spmc(dir, {"diff", hardened, paper, "--seeds", "1..1", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto j = parse(r);
  const auto& s = j["scenarios"][0];
  EXPECT_EQ(s["profile_a"], "hardened");
  EXPECT_EQ(s["profile_b"], "paper");
  for (const auto& i : s["invariants"]) {
    EXPECT_EQ(i["change"], i["name"] == "removed_member_reads_nothing" ? "worse" : "same")
        << i["name"];
  }
  // Both replays are `spmc sim FILE --seed 1`, which passes for each file as written.
  const auto& seed = s["differing_seeds"][0];
  EXPECT_EQ(seed["verdict_a"], "pass");
  EXPECT_EQ(seed["verdict_b"], "pass");
  EXPECT_NE(seed["replay_b"].get<std::string>().find("removed_member.json --seed 1"),
            std::string::npos);
}

TEST(DiffCli, BadUsageIsOneLineAndExitsTwo) {
  TempDir dir;
  const std::string file = kScenarios + "attacks/replay.json";
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"diff", "paper", "hardend"}, "spmc: error: B: unknown profile 'hardend' (did you mean"},
      {{"diff", "paper", "hardened", "--seeds", "5..1"}, "spmc: error: --seeds: "},
      {{"diff", "paper"}, "spmc: error: B is required"},
      {{"diff", file, file, "--scenario", file}, "spmc: error: --scenario: A and B are both"},
      {{"diff", "paper", file, "--scenario", file, "--scenario", file},
       "spmc: error: --scenario: "},
      {{"diff", "paper", dir.file("missing.json")}, "spmc: error: " + dir.file("missing.json")},
  };
  for (const auto& [args, message] : cases) {
    SCOPED_TRACE(args.back());
    const CommandResult r = run_spmc(dir, args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err.rfind(message, 0), 0U) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST(DiffCli, ALimitStopsTheWholeDiffWithExitTwoAndSaysWhere) {
  TempDir dir;
  const CommandResult r = run_spmc(
      dir, {"diff", "paper", "hardened", "--seeds", "1..3", "--max-events", "1000", "--json"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  const auto j = parse(r);
  EXPECT_EQ(j["verdict"], "stopped");
  EXPECT_EQ(j["runs"], 0);
  EXPECT_EQ(j["stopped"], "event limit of 1000 reached in seed 1 of default");
}

TEST(DiffCli, TheSameDiffPrintsTheSameBytesAndTheTextTableMarksTheRowsThatDiffer) {
  TempDir dir;
  const std::vector<std::string> args = {
      "diff",    "paper", "hardened", "--scenario", kScenarios + "attacks/key_substitution.json",
      "--seeds", "1..2"};
  const CommandResult first = run_spmc(dir, args);
  const CommandResult second = run_spmc(dir, args);
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, second.out);
  EXPECT_NE(first.out.find("+ u2u_detects_mitm"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("held (violation expected)"), std::string::npos);
  EXPECT_NE(first.out.find("bytes per key share"), std::string::npos);
  EXPECT_NE(first.out.find("--profile hardened --seed 1"), std::string::npos);
  EXPECT_NE(first.out.find("\nDIFFERENT: "), std::string::npos);
}

}  // namespace
}  // namespace spmc::sim
