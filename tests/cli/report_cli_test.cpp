// `spmc sim --report DIR` and `spmc sweep --report DIR` as a user runs them: the page and the
// trace land in DIR through temporary + rename, the run's own output does not change, the
// same run writes the same bytes, and a folder that cannot be written exits 2 before the run.
#include "run_spmc.hpp"

namespace spmc::cli_test {
namespace {

using ReportCli = CliTest;

TEST_F(ReportCli, SimWritesPageAndTraceAndLeavesStdoutAsItWas) {
  const Outcome plain = spmc({"sim", "--seed", "3", "--json", "--trace", "plain.jsonl"});
  ASSERT_EQ(plain.code, 0) << plain.err;
  const Outcome reported = spmc({"sim", "--seed", "3", "--json", "--report", "out"});
  ASSERT_EQ(reported.code, 0) << reported.err;
  EXPECT_EQ(reported.out, plain.out);
  EXPECT_EQ(listing(dir() / "out"), (std::vector<std::string>{"index.html", "trace.jsonl"}));
  EXPECT_EQ(read_text(dir() / "out" / "trace.jsonl"), read_text(dir() / "plain.jsonl"));
  const std::string html = read_text(dir() / "out" / "index.html");
  EXPECT_NE(html.find("data-verdict=\"pass\""), std::string::npos);
  EXPECT_NE(html.find("<a id=\"trace\" href=\"trace.jsonl\">"), std::string::npos);
  EXPECT_NE(html.find(" sim --seed 3</pre>"), std::string::npos);
}

TEST_F(ReportCli, SameRunWritesByteIdenticalPageIntoAnExistingFolder) {
  ASSERT_EQ(spmc({"sim", "--seed", "4", "--report", "a"}).code, 0);
  ASSERT_EQ(spmc({"sim", "--seed", "4", "--report", "a"}).code, 0);  // DIR exists: fine
  const std::string first = read_text(dir() / "a" / "index.html");
  ASSERT_EQ(spmc({"sim", "--seed", "4", "--report", "b"}).code, 0);
  EXPECT_EQ(read_text(dir() / "b" / "index.html"), first);
  EXPECT_EQ(listing(dir() / "a"), (std::vector<std::string>{"index.html", "trace.jsonl"}));
}

TEST_F(ReportCli, TraceElsewhereIsLinkedNotCopied) {
  const Outcome r = spmc({"sim", "--seed", "3", "--report", "out/page", "--trace", "t x.jsonl"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(listing(dir() / "out" / "page"), std::vector<std::string>{"index.html"});
  const std::string html = read_text(dir() / "out" / "page" / "index.html");
  EXPECT_NE(html.find("href=\"../../t%20x.jsonl\""), std::string::npos);
}

TEST_F(ReportCli, FailingRunPageShowsTheReplayLineTheRunPrints) {
  const Outcome r = spmc({"sim", "--inject-bug", "server_keeps_delivered", "--report", "out"});
  ASSERT_EQ(r.code, 1) << r.err;
  const auto at = r.err.find("replay: ");
  ASSERT_NE(at, std::string::npos) << r.err;
  std::string replay = r.err.substr(at + 8);
  replay.pop_back();  // the newline
  // The page names the program `spmc`, the line on stderr names it as it was run.
  const auto words = replay.find(" sim ");
  ASSERT_NE(words, std::string::npos) << replay;
  const std::string html = read_text(dir() / "out" / "index.html");
  EXPECT_NE(html.find("data-verdict=\"fail\""), std::string::npos);
  EXPECT_NE(html.find("<pre id=\"replay\">spmc" + replay.substr(words) + "</pre>"),
            std::string::npos)
      << replay;
}

TEST_F(ReportCli, PageBytesDoNotDependOnWhereSpmcWasRunFrom) {
  std::filesystem::create_symlink(SPMC_CLI, dir() / "other-spmc");
  ASSERT_EQ(spmc({"sim", "--seed", "5", "--report", "a"}).code, 0);
  ASSERT_EQ(spmc({"sim", "--seed", "5", "--report", "b"}, "", "", "./other-spmc").code, 0);
  EXPECT_EQ(read_text(dir() / "a" / "index.html"), read_text(dir() / "b" / "index.html"));
}

// The chart of a passing run is a conversation: the first one that delivered a message, or
// the one asked for; a conversation naming nobody is a usage error that writes nothing.
TEST_F(ReportCli, PassingRunPageChartsAConversationTheUserCanChoose) {
  ASSERT_EQ(spmc({"sim", "--seed", "3", "--report", "first"}).code, 0);
  const std::string first = read_text(dir() / "first" / "index.html");
  EXPECT_NE(first.find("class=\"lifeline\""), std::string::npos);
  EXPECT_NE(first.find("conversation of the first message a user received"), std::string::npos);

  const Outcome chosen =
      spmc({"sim", "--seed", "3", "--report", "chosen", "--report-conversation", "0:1"});
  ASSERT_EQ(chosen.code, 0) << chosen.err;
  const std::string html = read_text(dir() / "chosen" / "index.html");
  EXPECT_NE(html.find("The conversation 0:1 (--report-conversation)"), std::string::npos);
  EXPECT_NE(html.find("data-lifeline=\"phone 0\""), std::string::npos);
  EXPECT_NE(html.find("data-lifeline=\"phone 1\""), std::string::npos);

  const Outcome nobody =
      spmc({"sim", "--seed", "3", "--report", "nobody", "--report-conversation", "0:nobody"});
  EXPECT_EQ(nobody.code, 2);
  EXPECT_NE(nobody.err.find("--report-conversation: "), std::string::npos) << nobody.err;
  EXPECT_NE(nobody.err.find("unknown phone or user 'nobody'"), std::string::npos) << nobody.err;
  EXPECT_EQ(listing(dir() / "nobody"), std::vector<std::string>{});

  const Outcome alone = spmc({"sim", "--report-conversation", "0:1"});
  EXPECT_EQ(alone.code, 2);
  EXPECT_EQ(alone.err, "spmc: error: --report-conversation: only with --report DIR\n");
  const Outcome malformed = spmc({"sim", "--report", "m", "--report-conversation", "0"});
  EXPECT_EQ(malformed.code, 2);
  EXPECT_NE(malformed.err.find("expected A:B"), std::string::npos) << malformed.err;
}

// A failing run's page charts the window around its first failure, violation drawn in red.
TEST_F(ReportCli, FailingRunPageChartsTheFailure) {
  ASSERT_EQ(spmc({"sim", "--inject-bug", "server_keeps_delivered", "--report", "f"}).code, 1);
  const std::string html = read_text(dir() / "f" / "index.html");
  EXPECT_NE(html.find("Around the first violation"), std::string::npos);
  EXPECT_NE(html.find("class=\"violation\""), std::string::npos);
  EXPECT_NE(html.find("VIOLATED: offline_store_empty_at_quiescence"), std::string::npos);
}

TEST_F(ReportCli, UnwritableFolderExitsTwoBeforeTheRun) {
  const Outcome r = spmc({"sim", "--report", kUnwritableDir});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, std::string("spmc: error: --report: ") + kUnwritableDir + ": Not a directory\n");
  EXPECT_EQ(r.out, "");
  write_text(dir() / "plain", "a file\n");
  const Outcome file = spmc({"sweep", "--seeds", "1..2", "--report", "plain"});
  EXPECT_EQ(file.code, 2);
  EXPECT_NE(file.err.find("spmc: error: --report: plain: "), std::string::npos) << file.err;
  EXPECT_EQ(file.out, "");
  EXPECT_EQ(read_text(dir() / "plain"), "a file\n");
}

TEST_F(ReportCli, SweepPageHasARowPerSeedAndTheFailingSeedsReplay) {
  const Outcome r = spmc(
      {"sweep", "--seeds", "1..3", "--inject-bug", "server_keeps_delivered", "--report", "sweep"});
  ASSERT_EQ(r.code, 1) << r.err;
  const std::string html = read_text(dir() / "sweep" / "index.html");
  std::size_t rows = 0;
  for (auto at = html.find("<tr data-seed="); at != std::string::npos;
       at = html.find("<tr data-seed=", at + 1)) {
    ++rows;
  }
  EXPECT_EQ(rows, 3U);
  EXPECT_NE(html.find("sim --seed 2 --inject-bug server_keeps_delivered"), std::string::npos);
  EXPECT_NE(html.find("sweep --seeds 1..3 --inject-bug server_keeps_delivered</pre>"),
            std::string::npos);
  EXPECT_EQ(spmc({"sweep", "--seeds", "1..3", "--inject-bug", "server_keeps_delivered", "--report",
                  "again"})
                .code,
            1);
  EXPECT_EQ(read_text(dir() / "again" / "index.html"), html);
}

}  // namespace
}  // namespace spmc::cli_test
