// `--swarm` as a user runs it (simulator/SWARM.md): the replay line a swarm sweep prints
// rebuilds the exact world it ran, the printed scenario is that world as a file, a failing
// swarm seed shrinks, and --swarm with a scenario file is a usage error.
#include <nlohmann/json.hpp>
#include <regex>

#include "run_spmc.hpp"
#include "spmc/sim/swarm.hpp"
#include "spmc/sim/swarm_adversaries.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::cli_test {
namespace {

using SwarmCli = CliTest;

constexpr const char* kBug = "server_keeps_delivered";

TEST_F(SwarmCli, SweepReplayLineRebuildsTheWorldItRan) {
  const Outcome sweep = spmc({"sweep", "--swarm", "--seeds", "5..7", "--inject-bug", kBug});
  ASSERT_EQ(sweep.code, 1) << sweep.out << sweep.err;  // the bug is caught in every world
  EXPECT_NE(sweep.out.find("3 distinct configurations"), std::string::npos) << sweep.out;
  const std::regex replay_line("replay: \\S+ sim --swarm --seed 6 --inject-bug " +
                               std::string(kBug));
  ASSERT_TRUE(std::regex_search(sweep.out, replay_line)) << sweep.out;

  // The replay command, its trace, and the same world saved as a file and run from it.
  const Outcome replay =
      spmc({"sim", "--swarm", "--seed", "6", "--inject-bug", kBug, "--trace", "swarm.trace"});
  EXPECT_EQ(replay.code, 1) << replay.err;
  const Outcome printed = spmc({"sim", "--swarm", "--seed", "6", "--print-scenario"});
  ASSERT_EQ(printed.code, 0) << printed.err;
  write_text(dir() / "swarm-6.json", printed.out);
  const Outcome from_file =
      spmc({"sim", "swarm-6.json", "--seed", "6", "--inject-bug", kBug, "--trace", "file.trace"});
  EXPECT_EQ(from_file.code, 1) << from_file.err;
  const std::string trace = read_text(dir() / "swarm.trace");
  EXPECT_FALSE(trace.empty());
  EXPECT_EQ(trace, read_text(dir() / "file.trace"));

  // And it is the world the sweep drew: the library's draw for seed 6 under the same ranges.
  const auto loaded = sim::parse_scenario(printed.out, "printed");
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(*loaded, sim::swarm_scenario(6, sim::swarm_ranges()));
}

TEST_F(SwarmCli, SwarmOptionsAreRepeatedInTheReplayLine) {
  const Outcome sweep = spmc({"sweep", "--swarm", "--swarm-max-phones", "3", "--swarm-profile",
                              "paper", "--seeds", "1..2", "--inject-bug", kBug, "--json"});
  ASSERT_EQ(sweep.code, 1) << sweep.err;
  const auto j = nlohmann::json::parse(sweep.out);
  EXPECT_EQ(j["scenario"], "swarm");
  EXPECT_EQ(j["configurations"], 2);
  EXPECT_EQ(j["failing"].size(), 2U);
  const Outcome text = spmc({"sweep", "--swarm", "--swarm-max-phones", "3", "--swarm-profile",
                             "paper", "--seeds", "1..1", "--inject-bug", kBug});
  EXPECT_NE(text.out.find("sim --swarm --swarm-max-phones 3 --swarm-profile paper --seed 1"),
            std::string::npos)
      << text.out;
  const Outcome printed = spmc({"sim", "--swarm", "--swarm-max-phones", "3", "--swarm-profile",
                                "paper", "--seed", "1", "--print-scenario"});
  ASSERT_EQ(printed.code, 0) << printed.err;
  const auto s = sim::parse_scenario(printed.out, "printed");
  ASSERT_TRUE(s.ok()) << s.error().detail;
  EXPECT_LE(s->phones, 3U);
  EXPECT_EQ(s->profile.name, "paper");
}

TEST_F(SwarmCli, FailingSwarmSeedShrinksToASmallerFailingScenario) {
  // A seed whose world has enough phones to halve.
  std::uint64_t seed = 1;
  while (sim::swarm_scenario(seed, sim::swarm_ranges()).phones < 8) {
    ++seed;
  }
  const sim::Scenario start = sim::swarm_scenario(seed, sim::swarm_ranges());
  const Outcome r = spmc({"shrink", "--swarm", "--seed", std::to_string(seed), "--inject-bug", kBug,
                          "--max-runs", "10", "--out", "small.json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto small = sim::load_scenario((dir() / "small.json").string());
  ASSERT_TRUE(small.ok()) << small.error().detail;
  EXPECT_LT(small->phones, start.phones);
  EXPECT_EQ(small->name, start.name + "-shrunk");
  const Outcome again =
      spmc({"sim", "small.json", "--seed", std::to_string(seed), "--inject-bug", kBug});
  EXPECT_EQ(again.code, 1) << "the reproducer no longer fails: " << again.err;
}

TEST_F(SwarmCli, SwarmWithAScenarioFileIsAUsageError) {
  write_text(dir() / "s.json", "{}");
  for (const char* command : {"sim", "sweep", "shrink"}) {
    const Outcome r = spmc({command, "s.json", "--swarm"});
    EXPECT_EQ(r.code, 2) << command;
    EXPECT_NE(r.err.find("s.json: --swarm draws the scenario from the seed"), std::string::npos)
        << r.err;
  }
  const Outcome no_swarm = spmc({"sim", "--swarm-max-phones", "4"});
  EXPECT_EQ(no_swarm.code, 2);
  const Outcome too_few = spmc({"sim", "--swarm", "--swarm-max-phones", "1"});
  EXPECT_EQ(too_few.code, 2);
  const Outcome bad_profile = spmc({"sweep", "--swarm", "--swarm-profile", "papr"});
  EXPECT_EQ(bad_profile.code, 2);
}

TEST_F(SwarmCli, FiftySeedSwarmSweepPasses) {
  const Outcome r = spmc({"sweep", "--swarm", "--seeds", "1..50", "--json"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["verdict"], "pass");
  EXPECT_EQ(j["seeds"], 50);
  EXPECT_EQ(j["configurations"], 50);
}

}  // namespace
}  // namespace spmc::cli_test
