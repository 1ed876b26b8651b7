// Inputs found by the fuzzers (fuzz/), minimized, each once a crash: they must now give a
// typed error. The hex is libFuzzer's minimized artifact.
#include <gtest/gtest.h>

#include <string>

#include "spmc/bytes.hpp"
#include "spmc/sim/world.hpp"  // parse_scenario with the adversary registry

namespace spmc {
namespace {

std::string text_of_hex(std::string_view hex) {
  Bytes bytes;
  EXPECT_TRUE(from_hex(hex, bytes));
  return std::string(bytes.begin(), bytes.end());
}

// scenario_fuzzer: "3E333" overflows a double; nlohmann throws out_of_range (not
// parse_error), which escaped parse_scenario and terminated the process.
TEST(FuzzRegression, ScenarioNumberOverflowIsAnError) {
  const auto parsed = sim::parse_scenario(text_of_hex("3345333333"), "fuzz.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.code(), ErrorCode::kBadValue);
  EXPECT_EQ(parsed.error().detail, "fuzz.json: (root): number out of range");
}

TEST(FuzzRegression, ScenarioNestedNumberOverflowIsAnError) {
  const auto parsed = sim::parse_scenario(R"({"phones": 1e999})", "fuzz.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.code(), ErrorCode::kBadValue);
}

}  // namespace
}  // namespace spmc
