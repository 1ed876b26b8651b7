// Times on the command line (spmc chart --from/--to): a decimal number and a unit, each
// spelling an exact number of microseconds, and anything else a usage error naming the option.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "args.hpp"
#include "spmc_process.hpp"

namespace spmc::cli {
namespace {

TEST(DurationOption, EachUnitGivesAnExactNumberOfMicroseconds) {
  const std::vector<std::pair<std::string, std::uint64_t>> cases = {
      {"0", 0},         {"1500", 1500},         {"1500us", 1500},    {"3ms", 3000},
      {"2.5ms", 2500},  {"2.125ms", 2125},      {"12s", 12'000'000}, {"12.5s", 12'500'000},
      {"0.000001s", 1}, {"30.25s", 30'250'000},
  };
  for (const auto& [text, us] : cases) {
    const auto parsed = parse_duration_us(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.error().detail;
    EXPECT_EQ(*parsed, us) << text;
  }
}

TEST(DurationOption, MalformedTimesAreRefusedWithTheReason) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"1.5", "has a fraction of a microsecond"},
      {"1.5us", "has a fraction of a microsecond"},
      {"1.1234ms", "needs 1 to 3 digits after the point"},
      {"1.s", "needs 1 to 6 digits after the point"},
      {"-1s", "is negative"},
      {"s", "is empty"},
      {"012s", "has a leading zero"},
      {"18446744073709551615s", "is too large"},
      {"5min", "has 'm' at position 2"},
  };
  for (const auto& [text, reason] : cases) {
    const auto parsed = parse_duration_us(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_NE(parsed.error().detail.find(reason), std::string::npos)
        << text << ": " << parsed.error().detail;
  }
}

TEST(DurationOption, ABadChartWindowExitsTwoNamingTheOption) {
  const auto r = cli_input_test::run_spmc({"chart", "t.jsonl", "--to", "3.5"});
  EXPECT_TRUE(cli_input_test::is_usage_error(
      r, "spmc: error: --to: invalid value '3.5': has a fraction of a microsecond", ""))
      << r.err;
}

}  // namespace
}  // namespace spmc::cli
