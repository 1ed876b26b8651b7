// Class "conventions" of issue 23, the output side: replay commands paste into a shell from
// the current directory, `vectors generate` rewrites the shipped files only when asked, and
// data files are found next to the program rather than through a compiled-in source path.
#include "run_spmc.hpp"

namespace spmc::cli_test {
namespace {

using Conventions = CliTest;

// The text after "replay: " on the first line that has it.
std::string replay_line(const std::string& text) {
  const auto at = text.find("replay: ");
  if (at == std::string::npos) {
    return "";
  }
  const auto start = at + 8;
  return text.substr(start, text.find('\n', start) - start);
}

TEST_F(Conventions, SimReplayLinePastesIntoAShellWithAwkwardPaths) {
  for (const std::string& sub :
       {std::string("my scenarios"), std::string("it's here"), std::string("$HOME and `x`")}) {
    std::filesystem::create_directories(dir() / sub);
    std::filesystem::copy_file(std::string(SPMC_SOURCE_DIR) + "/simulator/scenarios/default.json",
                               dir() / sub / "a b.json",
                               std::filesystem::copy_options::overwrite_existing);
    const std::string path = sub + "/a b.json";
    const Outcome r = spmc({"sim", path, "--seed", "2", "--inject-bug", "server_keeps_delivered"});
    ASSERT_EQ(r.code, 1) << r.err;
    const std::string line = replay_line(r.err);
    EXPECT_EQ(line, shell_quote(SPMC_CLI).substr(1, std::string(SPMC_CLI).size()) + " sim " +
                        shell_quote(path) + " --seed 2 --inject-bug server_keeps_delivered");
    const Outcome pasted = shell(line);
    EXPECT_EQ(pasted.code, 1) << line << "\n" << pasted.err;
    EXPECT_EQ(replay_line(pasted.err), line);
  }
}

TEST_F(Conventions, ShrinkReplayLineNamesTheSavedFileQuoted) {
  const Outcome r = spmc({"shrink", "--inject-bug", "server_keeps_delivered", "--max-runs", "4",
                          "--out", "shrunk world.json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string line = replay_line(r.err);
  EXPECT_NE(line.find(" sim 'shrunk world.json' --seed 1 --inject-bug server_keeps_delivered"),
            std::string::npos)
      << line;
  EXPECT_EQ(shell(line).code, 1) << line;
}

TEST_F(Conventions, VectorsGenerateRefusesShippedFilesWithoutForce) {
  const Outcome r = spmc({"vectors", "generate"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.rfind("spmc: error: vectors generate would rewrite the vector files in ", 0), 0u)
      << r.err;
  EXPECT_NE(r.err.find("pass --dir DIR to write elsewhere, or --force to rewrite them\n"),
            std::string::npos);
  EXPECT_EQ(r.out, "");
}

TEST_F(Conventions, VectorsGenerateIntoExplicitDirectoryWritesFilesThatCheck) {
  std::filesystem::create_directory(dir() / "v");
  const Outcome r = spmc({"vectors", "generate", "--dir", "v"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote v/codec.json\n"), std::string::npos) << r.out;
  const Outcome check = spmc({"vectors", "check", "--dir", "v"});
  EXPECT_EQ(check.code, 0) << check.out;
  EXPECT_EQ(listing(dir() / "v").size(), 8u);  // the suites' files and no temporary
}

TEST_F(Conventions, DataFilesAreFoundNextToTheProgram) {
  // A copy of the program with no data beside it finds none, whatever the source tree holds.
  std::filesystem::create_directories(dir() / "bin");
  std::filesystem::copy_file(SPMC_CLI, dir() / "bin" / "spmc");
  const std::string program = (dir() / "bin" / "spmc").string();
  const Outcome bare = spmc({"vectors", "check"}, "", "", program);
  EXPECT_EQ(bare.code, 1);
  EXPECT_NE(bare.out.find("cannot read " + (dir() / "share/spmc/vectors").string()),
            std::string::npos)
      << bare.out;
  // The installed layout, bin/spmc beside share/spmc, is all it needs.
  std::filesystem::create_directories(dir() / "share" / "spmc");
  std::filesystem::create_directory_symlink(std::string(SPMC_SOURCE_DIR) + "/spec/vectors",
                                            dir() / "share" / "spmc" / "vectors");
  const Outcome installed = spmc({"vectors", "check"}, "", "", program);
  EXPECT_EQ(installed.code, 0) << installed.out;
}

TEST_F(Conventions, DataDirectoryOverrideWins) {
  std::filesystem::create_directories(dir() / "data");
  const Outcome empty =
      spmc({"vectors", "check"}, "", "SPMC_DATA_DIR=" + shell_quote((dir() / "data").string()));
  EXPECT_EQ(empty.code, 1);
  EXPECT_NE(empty.out.find("cannot read " + (dir() / "data/vectors").string()), std::string::npos)
      << empty.out;
  std::filesystem::create_directory_symlink(std::string(SPMC_SOURCE_DIR) + "/spec/vectors",
                                            dir() / "data" / "vectors");
  const Outcome linked =
      spmc({"vectors", "check"}, "", "SPMC_DATA_DIR=" + shell_quote((dir() / "data").string()));
  EXPECT_EQ(linked.code, 0) << linked.out;
}

}  // namespace
}  // namespace spmc::cli_test
