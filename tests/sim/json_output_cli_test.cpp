// Every command a tool may script prints, with --json, one object the JSON library parses,
// with the verdict in it; demo names people, not user ids, and says how profiles differ.
// Issue 23.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/spmc_command.hpp"

namespace {

using spmc::testing::CommandResult;
using spmc::testing::run_spmc;
using spmc::testing::TempDir;
using spmc::testing::write_text;

nlohmann::json parse_one_object(const CommandResult& r) {
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r.out << r.err;
  EXPECT_TRUE(j.is_object()) << r.out;
  return j;
}

TEST(JsonOutput, DemoJsonHasTheVerdictAndTheDifferencesBetweenProfiles) {
  TempDir dir;
  const CommandResult r = run_spmc(dir, {"demo", "--profile", "all", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto j = parse_one_object(r);
  EXPECT_EQ(j["verdict"], "pass");
  ASSERT_EQ(j["profiles"].size(), 2U);
  EXPECT_EQ(j["profiles"][0]["profile"], "paper");
  EXPECT_EQ(j["profiles"][1]["schemes"]["key shares"], "signed");
  bool names_key_shares = false;
  for (const auto& d : j["differences"]) {
    names_key_shares = names_key_shares || d.get<std::string>() ==
                                               "key shares: paper paper; "
                                               "hardened signed";
  }
  EXPECT_TRUE(names_key_shares) << j["differences"].dump();
}

TEST(JsonOutput, DemoTextNamesPeopleAndListsWhatDiffers) {
  TempDir dir;
  const CommandResult r = run_spmc(dir, {"demo", "--profile", "all"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("app <- alice: \"hello bob\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("event keyshare_accept peer=bob"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("== what differs between the profiles\n  key shares: paper paper; "
                       "hardened signed"),
            std::string::npos)
      << r.out;
  const CommandResult bad = run_spmc(dir, {"demo", "--profile", "nope"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST(JsonOutput, VectorsCheckJsonHasTheVerdictPerFile) {
  TempDir dir;
  const CommandResult r = run_spmc(dir, {"vectors", "check", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = parse_one_object(r);
  EXPECT_EQ(j["verdict"], "pass");
  EXPECT_GE(j["files"].size(), 3U);
  for (const auto& file : j["files"]) {
    EXPECT_EQ(file["verdict"], "pass") << file.dump();
  }
  const CommandResult missing =
      run_spmc(dir, {"vectors", "check", "--json", "--dir", dir.file("none")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(parse_one_object(missing)["verdict"], "fail");
}

TEST(JsonOutput, ShrinkJsonHasTheVerdictAndALoadableScenario) {
  TempDir dir;
  const CommandResult r = run_spmc(
      dir, {"shrink", "--inject-bug", "server_keeps_delivered", "--max-runs", "12", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto j = parse_one_object(r);
  EXPECT_EQ(j["verdict"], "shrunk");
  EXPECT_FALSE(j["failing_invariants"].empty());
  write_text(dir.file("shrunk.json"), j["scenario"].dump());
  const CommandResult rerun = run_spmc(
      dir, {"sim", dir.file("shrunk.json"), "--inject-bug", "server_keeps_delivered", "--json"});
  EXPECT_EQ(rerun.exit_code, 1) << rerun.err;
  EXPECT_EQ(parse_one_object(rerun)["verdict"], "fail");

  const CommandResult nothing = run_spmc(dir, {"shrink", "--max-runs", "2", "--json"});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_EQ(parse_one_object(nothing)["verdict"], "nothing_to_shrink");
}

TEST(JsonOutput, SimJsonCarriesWarningsAndNotExercisedStatus) {
  TempDir dir;
  write_text(dir.file("lonely.json"),
             R"({"phones": 2, "contacts": {"degree": 0}, "workload": {"u2u_sessions": 1},
                 "phases": {"safety_ms": 2000}})");
  const CommandResult r = run_spmc(dir, {"sim", dir.file("lonely.json"), "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto j = parse_one_object(r);
  EXPECT_EQ(j["verdict"], "pass");
  EXPECT_EQ(j["warnings"].size(), 2U) << j["warnings"].dump();
  bool not_exercised = false;
  for (const auto& i : j["invariants"]) {
    not_exercised = not_exercised || i["status"] == "not exercised";
  }
  EXPECT_TRUE(not_exercised) << r.out;
  // Not a terminal: no progress line, however long the run.
  EXPECT_EQ(r.err.find("sim: "), std::string::npos) << r.err;
}

}  // namespace
