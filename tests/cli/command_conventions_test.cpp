// Class "conventions" (issue 23), the part about finding one's way: --version, a mistyped
// command named with the closest one, a value outside a fixed set listing the valid ones, and
// the exit codes stated in --help.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "spmc_process.hpp"

namespace spmc::cli {
namespace {

using cli_input_test::is_usage_error;
using cli_input_test::run_spmc;

TEST(CliCommandConventions, VersionPrintsTheProjectVersionAndBuildAndExitsZero) {
  const auto r = run_spmc({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind(std::string("spmc ") + SPMC_PROJECT_VERSION + "\nbuild: ", 0), 0U) << r.out;
  EXPECT_TRUE(r.err.empty());
  EXPECT_EQ(run_spmc({"--version"}).out, r.out);  // nothing in it changes from run to run
}

TEST(CliCommandConventions, UnknownCommandsAreNamedWithTheClosestSuggested) {
  const std::string commands =
      "one of: vectors, demo, sim, sweep, replay, shrink, requirements, names, profiles, diff, "
      "chart, locality, server, live)";
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"simm"}, "unknown command 'simm' (did you mean 'sim'? " + commands},
      {{"sweeep", "--seeds", "1..2"}, "unknown command 'sweeep' (did you mean 'sweep'? "},
      {{"replya", "t.jsonl"}, "unknown command 'replya' (did you mean 'replay'? "},
      {{"requirement"}, "unknown command 'requirement' (did you mean 'requirements'? "},
      {{"frobnicate"}, "unknown command 'frobnicate' (" + commands},
      {{"vectors", "chek"}, "unknown vectors command 'chek' (did you mean 'check'? "},
  };
  for (const auto& [args, message] : cases) {
    SCOPED_TRACE(args.front());
    EXPECT_TRUE(is_usage_error(run_spmc(args), "spmc: error: " + message, ""));
  }
}

TEST(CliCommandConventions, ValuesOutsideAFixedSetListTheValidOnes) {
  const std::string bugs =
      "one of: none, server_keeps_delivered, server_forgets_unacked, phone_acks_before_persist, "
      "phone_skips_persist)";
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"sim", "--inject-bug", "server_keep_delivered"},
       "--inject-bug: unknown bug 'server_keep_delivered' (did you mean "
       "'server_keeps_delivered'? " +
           bugs},
      {{"shrink", "--inject-bug", "all"}, "--inject-bug: unknown bug 'all' (" + bugs},
      {{"sim", "--inject-bug", ""}, "--inject-bug: unknown bug '' (" + bugs},
      {{"demo", "--profile", "hardend"},
       "--profile: unknown profile 'hardend' (did you mean 'hardened'? one of: paper, hardened, "
       "all)"},
      {{"requirements", "--profile", "PAPER"},
       "--profile: unknown profile 'PAPER' (one of: paper, hardened, all)"},
      {{"sim", "--invariant", "acked_item_deleted"},
       "--invariant: unknown invariant 'acked_item_deleted' (did you mean "
       "'acked_items_deleted'? one of: exactly_once_delivery, "},
  };
  for (const auto& [args, message] : cases) {
    SCOPED_TRACE(args.back());
    EXPECT_TRUE(is_usage_error(run_spmc(args), "spmc: error: " + message, ""));
  }
}

TEST(CliCommandConventions, HelpStatesTheExitCodes) {
  const auto r = run_spmc({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Exit status: 0 pass; 1 a property failed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 bad usage or bad input"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3 diverged and 4 damaged trace"), std::string::npos) << r.out;
}

TEST(CliCommandConventions, HelpNamesTheFormOfSeedRangesAndShards) {
  const auto r = run_spmc({"sweep", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--seeds A..B"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--shard K/N"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace spmc::cli
