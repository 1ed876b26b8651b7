// `spmc locality` as a user runs it (spec/locality.md): a bad deployment, country or topology
// file is exit 2 with one line naming what is wrong; the tables and the map are the same bytes
// on every run.
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "spmc_process.hpp"
#include "support/text_file.hpp"

namespace spmc::cli {
namespace {

using cli_input_test::is_usage_error;
using cli_input_test::run_spmc;
using cli_input_test::temp_path;
using cli_input_test::write_temp;

// Proves: LOC-005
TEST(LocalityCli, BadDeploymentIsExitTwoWithTheValidOnesNamed) {
  EXPECT_TRUE(is_usage_error(run_spmc({"locality", "--deployment", "centre:US"}),
                             "spmc: error: --deployment: unknown deployment 'centre:US' ",
                             "(one of: central:CC, regional, federated or direct)"));
  EXPECT_TRUE(is_usage_error(run_spmc({"locality", "--deployment", "central:ZZ"}),
                             "spmc: error: --deployment: unknown country 'ZZ'", ""));
  EXPECT_TRUE(is_usage_error(run_spmc({"locality", "--deployment", ""}),
                             "spmc: error: --deployment: unknown deployment ''", ""));
}

// Proves: LOC-001
TEST(LocalityCli, BadTopologyFileIsExitTwoNamingFileFieldAndReason) {
  const std::string path = write_temp("topology.json", "{\"format\": 1}");
  EXPECT_TRUE(is_usage_error(run_spmc({"locality", "--topology", path}),
                             "spmc: error: " + path + ": format: must be a string", ""));
  EXPECT_TRUE(is_usage_error(run_spmc({"locality", "--topology", path + ".missing"}),
                             "spmc: error: " + path + ".missing: (file): ", ""));
}

// Proves: LOC-009
TEST(LocalityCli, TablesJsonAndMapAreTheSameBytesOnEveryRun) {
  for (const char* d : {"central:US", "central:CH", "regional", "federated", "direct"}) {
    const auto a = run_spmc({"locality", "--deployment", d});
    const auto b = run_spmc({"locality", "--deployment", d});
    EXPECT_EQ(a.exit_code, 0) << a.err;
    EXPECT_EQ(a.out, b.out) << d;
    EXPECT_NE(a.out.find("Traffic leaving its region"), std::string::npos);
    EXPECT_NE(a.out.find("Accessible to an interest group"), std::string::npos);
  }
  const auto j1 = run_spmc({"locality", "--deployment", "federated", "--json"});
  const auto j2 = run_spmc({"locality", "--deployment", "federated", "--json"});
  EXPECT_EQ(j1.exit_code, 0);
  EXPECT_EQ(j1.out, j2.out);
  EXPECT_EQ(nlohmann::json::parse(j1.out)["pairs"].size(), 406U);
  const std::string svg1 = temp_path("a.svg");
  const std::string svg2 = temp_path("b.svg");
  EXPECT_EQ(run_spmc({"locality", "--svg", svg1}).exit_code, 0);
  EXPECT_EQ(run_spmc({"locality", "--svg", svg2}).exit_code, 0);
  const std::string map = spmc::testing::read_text(svg1);
  EXPECT_EQ(map.rfind("<svg ", 0), 0U);
  EXPECT_EQ(map, spmc::testing::read_text(svg2));
  std::remove(svg1.c_str());
  std::remove(svg2.c_str());
}

}  // namespace
}  // namespace spmc::cli
