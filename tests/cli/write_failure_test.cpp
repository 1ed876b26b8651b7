// Class "write failures are ignored" of issue 23: every file the command line writes, and
// stdout, is checked; a failure exits 2 with "spmc: error: <path>: <reason>", reports no
// verdict and leaves whatever was at the path before byte for byte.
#include <unistd.h>

#include "run_spmc.hpp"

namespace spmc::cli_test {
namespace {

constexpr const char* kFull = "spmc: error: /dev/full: No space left on device\n";

using WriteFailure = CliTest;

TEST_F(WriteFailure, TraceToFullDiskExitsTwoWithoutVerdict) {
  const Outcome r = spmc({"sim", "--seed", "7", "--trace", "/dev/full"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, kFull);
  EXPECT_EQ(r.out, "");  // no PASS for a run whose trace was lost
}

TEST_F(WriteFailure, AbstractTraceToFullDiskExitsTwo) {
  const Outcome r = spmc({"sim", "--abstract", "/dev/full"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, kFull);
}

TEST_F(WriteFailure, ShrinkOutToFullDiskExitsTwoWithoutReplayLine) {
  const Outcome r = spmc({"shrink", "--inject-bug", "server_keeps_delivered", "--max-runs", "3",
                          "--out", "/dev/full"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(kFull), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("replay:"), std::string::npos) << r.err;
}

TEST_F(WriteFailure, ReportToFullStdoutExitsTwo) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"sim"}, {"sim", "--json"}, {"names", "--json"}, {"--help"}}) {
    const Outcome r = spmc(args, "/dev/full");
    EXPECT_EQ(r.code, 2) << args[0];
    EXPECT_EQ(r.err, "spmc: error: stdout: No space left on device\n") << args[0];
  }
}

TEST_F(WriteFailure, FailedVerdictToFullStdoutStillExitsTwo) {
  const Outcome r = spmc({"sim", "--inject-bug", "server_keeps_delivered"}, "/dev/full");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("spmc: error: stdout: No space left on device\n"), std::string::npos);
}

TEST_F(WriteFailure, UnwritableTracePathFailsBeforeTheRun) {
  const std::string path = std::string(kUnwritableDir) + "/t.jsonl";
  const Outcome r = spmc({"sim", "--trace", path});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "spmc: error: " + path + ": Not a directory\n");
  EXPECT_EQ(r.out, "");
}

TEST_F(WriteFailure, UnwritableDirectoryNamesPathAndReason) {
  // Root may write into a read-only directory; for root the directory is a plain file,
  // which no one can create a file under.
  if (::geteuid() == 0) {
    write_text(dir() / "plain", "not a directory\n");
    const Outcome r = spmc({"sim", "--trace", "plain/t.jsonl"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "spmc: error: plain/t.jsonl: Not a directory\n");
    EXPECT_EQ(read_text(dir() / "plain"), "not a directory\n");
    return;
  }
  std::filesystem::create_directory(dir() / "ro");
  std::filesystem::permissions(
      dir() / "ro", std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  const Outcome r = spmc({"sim", "--trace", "ro/t.jsonl"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "spmc: error: ro/t.jsonl: Permission denied\n");
}

TEST_F(WriteFailure, UnwritableShrinkOutFailsBeforeShrinkingAndPrintsNoReplay) {
  const std::string path = std::string(kUnwritableDir) + "/s.json";
  const Outcome r =
      spmc({"shrink", "--inject-bug", "server_keeps_delivered", "--max-runs", "3", "--out", path});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "spmc: error: " + path + ": Not a directory\n");  // no run, no replay line
}

TEST_F(WriteFailure, OneBadOutputLeavesTheOtherExistingOutputByteForByte) {
  const std::string old_trace = "an older trace\nwith two lines\n";
  write_text(dir() / "t.jsonl", old_trace);
  for (const std::string& bad : {std::string("/dev/full"), std::string(kUnwritableDir) + "/a"}) {
    const Outcome r = spmc({"sim", "--trace", "t.jsonl", "--abstract", bad});
    EXPECT_EQ(r.code, 2) << bad;
    EXPECT_NE(r.err.find("spmc: error: " + bad + ": "), std::string::npos) << r.err;
    EXPECT_EQ(read_text(dir() / "t.jsonl"), old_trace) << bad;
    EXPECT_EQ(listing(dir()), std::vector<std::string>{"t.jsonl"}) << "a temporary was left";
  }
}

TEST_F(WriteFailure, TraceAndAbstractToOneFileIsRefused) {
  write_text(dir() / "t.jsonl", "old\n");
  const Outcome r = spmc({"sim", "--trace", "t.jsonl", "--abstract", "t.jsonl"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "spmc: error: --abstract: t.jsonl is also the --trace file\n");
  EXPECT_EQ(read_text(dir() / "t.jsonl"), "old\n");
}

TEST_F(WriteFailure, SuccessfulRunReplacesOutputAndLeavesNoTemporary) {
  write_text(dir() / "t.jsonl", "old\n");
  const Outcome r = spmc({"sim", "--seed", "3", "--trace", "t.jsonl", "--abstract", "a.jsonl"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(listing(dir()), (std::vector<std::string>{"a.jsonl", "t.jsonl"}));
  const Outcome replay = spmc({"replay", "t.jsonl"});
  EXPECT_EQ(replay.code, 0) << replay.out << replay.err;
}

TEST_F(WriteFailure, VectorsGenerateIntoBadDirectoryExitsTwoWithoutAbort) {
  const Outcome r = spmc({"vectors", "generate", "--dir", kUnwritableDir});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, std::string("spmc: error: ") + kUnwritableDir + ": Not a directory\n");
}

TEST_F(WriteFailure, VectorsGenerateIntoMissingDirectoryCreatesNothing) {
  const Outcome r = spmc({"vectors", "generate", "--dir", "missing/vectors"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "spmc: error: missing/vectors: No such file or directory\n");
  EXPECT_FALSE(std::filesystem::exists(dir() / "missing"));
}

TEST_F(WriteFailure, VectorsGenerateToFullStdoutKeepsFilesConsistent) {
  std::filesystem::create_directory(dir() / "v");
  const Outcome r = spmc({"vectors", "generate", "--dir", "v"}, "/dev/full");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "spmc: error: stdout: No space left on device\n");
  const Outcome check = spmc({"vectors", "check", "--dir", "v"});
  EXPECT_EQ(check.code, 0) << check.out;
}

}  // namespace
}  // namespace spmc::cli_test
