// `spmc replay` tells a damaged trace (exit 4) from a run that took another course (exit 3)
// and from a recorded failure that reproduces (exit 1), and names the first differing line
// pair; files that are no trace at all are bad input (exit 2). Issue 23.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "support/spmc_command.hpp"

namespace {

using spmc::testing::CommandResult;
using spmc::testing::read_text;
using spmc::testing::run_spmc;
using spmc::testing::TempDir;
using spmc::testing::write_text;

// Small enough that a test replays it in well under a second, busy enough to have faults.
constexpr const char* kSmallWorld =
    R"({"name": "replay-small", "phones": 6, "faults": {"loss_ppm": 20000},
        "phases": {"safety_ms": 10000}})";
constexpr const char* kOtherWorld = R"({"name": "replay-other", "phones": 5})";

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end = text.find('\n'); end != std::string::npos;
       start = end + 1, end = text.find('\n', start)) {
    lines.push_back(text.substr(start, end - start));
  }
  return lines;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) {
    text += line + "\n";
  }
  return text;
}

class ReplayCli : public ::testing::Test {
 protected:
  // Records `seed` of `scenario_json` into a trace file and returns its path.
  std::string record(const std::string& name, std::uint64_t seed,
                     const std::string& scenario_json = kSmallWorld,
                     const std::vector<std::string>& extra = {}) {
    const std::string scenario = dir.file(name + ".scenario.json");
    write_text(scenario, scenario_json);
    std::string trace = dir.file(name + ".jsonl");
    std::vector<std::string> args = {"sim",     scenario, "--seed", std::to_string(seed),
                                     "--trace", trace};
    args.insert(args.end(), extra.begin(), extra.end());
    const CommandResult sim = run_spmc(dir, args);
    EXPECT_TRUE(sim.exit_code == 0 || sim.exit_code == 1) << sim.err;
    return trace;
  }
  CommandResult replay(const std::string& trace, bool json = false) {
    std::vector<std::string> args = {"replay", trace};
    if (json) {
      args.emplace_back("--json");
    }
    return run_spmc(dir, args);
  }
  std::string damaged(const std::string& name, const std::string& text) {
    std::string path = dir.file(name);
    write_text(path, text);
    return path;
  }

  TempDir dir;
};

TEST_F(ReplayCli, UntouchedTraceReplaysIdenticallyAndExitsZero) {
  const std::string trace = record("t", 7);
  const CommandResult r = replay(trace);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("replay: identical to " + trace), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("the recorded run passed"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("first difference"), std::string::npos) << r.out;
}

TEST_F(ReplayCli, RecordedFailingRunExitsOneAndIsNotCalledADivergence) {
  const std::string trace =
      record("bug", 1, kSmallWorld, {"--inject-bug", "server_keeps_delivered"});
  const CommandResult r = replay(trace);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("the recorded run FAILED, and fails again: FAIL"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("DIVERGES"), std::string::npos) << r.out;
}

TEST_F(ReplayCli, TruncatedTraceIsDamageNotDivergence) {
  const std::string text = read_text(record("t", 3));
  const auto lines = split_lines(text);
  ASSERT_GT(lines.size(), 20U);

  // Cut inside a line, as an interrupted copy leaves it.
  const CommandResult mid = replay(damaged("mid.jsonl", text.substr(0, text.size() / 2)));
  EXPECT_EQ(mid.exit_code, 4) << mid.out << mid.err;
  EXPECT_NE(mid.out.find("replay: DAMAGED trace"), std::string::npos) << mid.out;
  EXPECT_NE(mid.out.find("the trace is truncated: it ends after " +
                         std::to_string(text.size() / 2) + " bytes, inside line"),
            std::string::npos)
      << mid.out;
  EXPECT_NE(mid.out.find("every byte present matches"), std::string::npos) << mid.out;
  EXPECT_NE(mid.out.find("first difference, line"), std::string::npos) << mid.out;

  // Cut at a line boundary: the first difference is the run's next line against the end.
  const std::vector<std::string> head(lines.begin(), lines.begin() + 10);
  const CommandResult cut = replay(damaged("cut.jsonl", join_lines(head)));
  EXPECT_EQ(cut.exit_code, 4) << cut.out;
  EXPECT_NE(cut.out.find(", after line 10, while the run writes " + std::to_string(lines.size()) +
                         " lines"),
            std::string::npos)
      << cut.out;
  EXPECT_NE(cut.out.find("first difference, line 11:"), std::string::npos) << cut.out;
  EXPECT_NE(cut.out.find("expected (trace):  (end of file)"), std::string::npos) << cut.out;
  EXPECT_NE(cut.out.find("got (this replay): " + lines[10].substr(0, 40)), std::string::npos)
      << cut.out;
}

TEST_F(ReplayCli, FlippedByteInTheMiddleIsAnEditNotADivergence) {
  const std::string text = read_text(record("t", 4));
  auto lines = split_lines(text);
  const std::size_t middle = lines.size() / 2;
  const std::string original = lines[middle];

  // A digit of the event time changed: still valid JSON, but only this line differs.
  auto edited = lines;
  const std::size_t digit = edited[middle].find("\"t\":") + 4;
  edited[middle][digit] = edited[middle][digit] == '1' ? '2' : '1';
  const CommandResult r = replay(damaged("edited.jsonl", join_lines(edited)));
  EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
  EXPECT_NE(
      r.out.find("line " + std::to_string(middle + 1) + " differs and every other line matches"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("first difference, line " + std::to_string(middle + 1) + ":"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("expected (trace):  " + edited[middle].substr(0, 60)), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("got (this replay): " + original.substr(0, 60)), std::string::npos) << r.out;

  // A byte that is no JSON at all: the line is corrupt, and shown escaped, not raw.
  auto corrupt = lines;
  corrupt[middle][0] = static_cast<char>(0xff);
  const CommandResult c = replay(damaged("corrupt.jsonl", join_lines(corrupt)));
  EXPECT_EQ(c.exit_code, 4) << c.out;
  EXPECT_NE(c.out.find("line " + std::to_string(middle + 1) + " of the trace is not a trace event"),
            std::string::npos)
      << c.out;
  EXPECT_NE(c.out.find("expected (trace):  \\xff\"t\":"), std::string::npos) << c.out;
}

TEST_F(ReplayCli, CrlfLineEndingsAreDamageWithEveryEventIdentical) {
  std::string crlf;
  for (const std::string& line : split_lines(read_text(record("t", 5)))) {
    crlf += line + "\r\n";
  }
  const CommandResult r = replay(damaged("crlf.jsonl", crlf));
  EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
  EXPECT_NE(r.out.find("line endings were converted to CRLF"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("every event replays identically"), std::string::npos) << r.out;
}

TEST_F(ReplayCli, HeaderOfAnotherSeedOrScenarioIsADivergenceThisBuildDoesNotShare) {
  const auto body = split_lines(read_text(record("seed1", 1)));
  for (const auto& other : {split_lines(read_text(record("seed2", 2))),
                            split_lines(read_text(record("other", 1, kOtherWorld)))}) {
    auto spliced = body;
    spliced[0] = other[0];
    const CommandResult r = replay(damaged("spliced.jsonl", join_lines(spliced)));
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_NE(r.out.find("replay: DIVERGES from"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("two runs of this build agree with each other"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("first difference, line "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("expected (trace):  {\"t\":"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("got (this replay): {\"t\":"), std::string::npos) << r.out;
  }
}

TEST_F(ReplayCli, FilesThatAreNoTraceAreBadInputNamedForWhatTheyAre) {
  const std::string trace = record("t", 1);
  const CommandResult report = run_spmc(dir, {"sim", "--json"});
  struct Case {
    std::string name;
    std::string text;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"empty.jsonl", "", "empty file, not a trace"},
      {"scenario.json", kSmallWorld, "a JSON object but no trace event (a scenario?"},
      {"binary.bin",
       std::string("\x7f"
                   "ELF\x02\x01\x01\0\0\0",
                   10),
       "line 1: not JSON"},
      {"report.json", report.out, "a report (spmc sim --json), not a trace"},
  };
  for (const Case& c : cases) {
    const CommandResult r = replay(damaged(c.name, c.text));
    EXPECT_EQ(r.exit_code, 2) << c.name << ": " << r.out << r.err;
    EXPECT_NE(r.err.find("spmc: error: " + dir.file(c.name) + ": "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << c.name << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  const CommandResult missing = replay(dir.file("no-such.jsonl"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(
      missing.err.find("cannot read " + dir.file("no-such.jsonl") + ": (file): cannot be read"),
      std::string::npos)
      << missing.err;
  // Read through the scenario loader's bound: a device is named, never read for ever.
  const CommandResult device = replay("/dev/zero");
  EXPECT_EQ(device.exit_code, 2);
  EXPECT_NE(device.err.find("not a regular file (a character device)"), std::string::npos)
      << device.err;
  // A pretty-printed scenario, as the shipped ones are: JSON only as a whole.
  const CommandResult pretty =
      replay(std::string(SPMC_SOURCE_DIR) + "/simulator/scenarios/lossy.json");
  EXPECT_EQ(pretty.exit_code, 2);
  EXPECT_NE(pretty.err.find("(a scenario? run it with spmc sim FILE"), std::string::npos)
      << pretty.err;

  // A trace whose head was cut off is a damaged trace, not some other file.
  auto lines = split_lines(read_text(trace));
  lines.erase(lines.begin());
  const CommandResult headless = replay(damaged("headless.jsonl", join_lines(lines)));
  EXPECT_EQ(headless.exit_code, 4) << headless.err;
  EXPECT_NE(headless.err.find("the head of the trace is missing"), std::string::npos)
      << headless.err;
}

TEST_F(ReplayCli, JsonOutputCarriesTheVerdictAndTheFirstDifference) {
  const std::string trace = record("t", 6);
  const std::string text = read_text(trace);
  struct Case {
    std::string path;
    int exit_code;
    std::string verdict;
  };
  const std::vector<Case> cases = {
      {trace, 0, "pass"},
      {damaged("cut.jsonl", text.substr(0, text.size() / 3)), 4, "damaged"},
      {damaged("not.json", "hello\n"), 2, "not_a_trace"},
  };
  for (const Case& c : cases) {
    const CommandResult r = replay(c.path, true);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.out << r.err;
    const auto j = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r.out;
    EXPECT_EQ(j.value("verdict", ""), c.verdict) << r.out;
    EXPECT_EQ(j.value("exit_code", -1), c.exit_code) << r.out;
  }
  const auto damaged_json =
      nlohmann::json::parse(replay(dir.file("cut.jsonl"), true).out, nullptr, false);
  EXPECT_EQ(damaged_json["comparison"], "truncated");
  EXPECT_TRUE(damaged_json["first_difference"]["line"].is_number_unsigned());
  EXPECT_EQ(damaged_json["report"]["verdict"], "pass");

  auto lines = split_lines(read_text(record("seed9", 9)));
  lines[0] = split_lines(text)[0];
  const CommandResult diverged = replay(damaged("spliced.jsonl", join_lines(lines)), true);
  EXPECT_EQ(diverged.exit_code, 3);
  const auto j = nlohmann::json::parse(diverged.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << diverged.out;
  EXPECT_EQ(j["verdict"], "diverged");
  EXPECT_EQ(j["comparison"], "diverged");
}

}  // namespace
