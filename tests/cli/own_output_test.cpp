// Class "outputs that the tool itself then rejects" of issue 23: a scenario `shrink` writes
// loads with the loader `spmc sim` uses, and JSON output is built by the JSON library, so
// any name survives the round trip.
#include <nlohmann/json.hpp>

#include "run_spmc.hpp"
#include "spmc/sim/scenario.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::cli_test {
namespace {

using OwnOutput = CliTest;

// A default world under a bug the checkers catch; `name` as given, groups as large as the
// phones allow, so halving the phones would break the group bound.
std::string failing_scenario(const std::string& name) {
  nlohmann::json j = nlohmann::json::parse(sim::default_scenario_json());
  j["name"] = name;
  j["phones"] = 8;
  j["workload"]["groups"]["size_max"] = 8;
  return j.dump();
}

TEST_F(OwnOutput, ShrunkScenarioLoadsWithTheSimLoader) {
  const std::string long_ascii(sim::kScenarioNameMaxBytes, 'n');
  std::string long_utf8 = std::string(sim::kScenarioNameMaxBytes - 8, 'u');
  while (long_utf8.size() + 2 <= sim::kScenarioNameMaxBytes) {
    long_utf8 += "\xC3\xA9";  // é: a cut must not split it
  }
  for (const std::string& name : {long_ascii, long_utf8, std::string("groups-at-phones")}) {
    write_text(dir() / "start.json", failing_scenario(name));
    const Outcome r = spmc({"shrink", "start.json", "--inject-bug", "server_keeps_delivered",
                            "--max-runs", "12", "--out", "small.json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto loaded = sim::load_scenario((dir() / "small.json").string());
    ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
    EXPECT_LE(loaded->name.size(), sim::kScenarioNameMaxBytes);
    EXPECT_TRUE(loaded->name.ends_with("-shrunk")) << loaded->name;
    const Outcome again = spmc({"sim", "small.json", "--inject-bug", "server_keeps_delivered"});
    EXPECT_EQ(again.code, 1) << "the reproducer no longer fails: " << again.err;
  }
}

TEST_F(OwnOutput, ShrinkToStdoutPrintsALoadableScenario) {
  write_text(dir() / "start.json", failing_scenario("to-stdout"));
  const Outcome r =
      spmc({"shrink", "start.json", "--inject-bug", "server_keeps_delivered", "--max-runs", "6"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto loaded = sim::parse_scenario(r.out, "stdout");
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(loaded->name, "to-stdout-shrunk");
}

TEST_F(OwnOutput, SweepJsonCarriesAnyScenarioNameIntact) {
  for (const std::string& name :
       {std::string("quote\" and back\\slash"), std::string("line\nbreak\ttab\x01"),
        std::string("caf\xC3\xA9 \\u0041 {\"]}")}) {
    nlohmann::json j = nlohmann::json::parse(sim::default_scenario_json());
    j["name"] = name;
    write_text(dir() / "named.json", j.dump());
    const Outcome r = spmc({"sweep", "named.json", "--seeds", "1..2", "--json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto parsed = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << r.out;
    EXPECT_EQ(parsed["scenario"], name);
    EXPECT_EQ(parsed["seeds"], 2);
    EXPECT_EQ(parsed["failing"], nlohmann::json::array());
    EXPECT_EQ(parsed["verdict"], "pass");
  }
}

}  // namespace
}  // namespace spmc::cli_test
