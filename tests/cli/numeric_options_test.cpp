// Class "numbers on the command line" (issue 23): every numeric option of every command is a
// plain decimal integer in its own range, and anything else exits 2 with one line naming the
// option, the value and the reason.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "args.hpp"
#include "spmc_process.hpp"

namespace spmc::cli {
namespace {

using cli_input_test::is_usage_error;
using cli_input_test::run_spmc;

constexpr const char* kTwoTo64 = "18446744073709551616";
constexpr const char* kU64MaxText = "18446744073709551615";

struct BadNumber {
  std::string text;
  std::string reason;
};

// Not a plain decimal number, whatever the option's range.
const std::vector<BadNumber>& malformed_numbers() {
  static const std::vector<BadNumber> kAll = {
      {"-1", "is negative"},
      {"-0", "is negative"},
      {kTwoTo64, "is larger than 2^64 - 1"},
      {"99999999999999999999999", "is larger than 2^64 - 1"},
      {"12abc", "has 'a' at position 3"},
      {"", "is empty"},
      {" 5", "has whitespace at position 1"},
      {"5 ", "has whitespace at position 2"},
      {"+5", "has a '+' sign"},
      {"0x10", "is not decimal"},
      {"007", "has a leading zero"},
      {"1e3", "has 'e' at position 2"},
      {"5\n", "has whitespace at position 2"},
  };
  return kAll;
}

TEST(CliNumbers, ParserAcceptsExactlyTheCanonicalDecimalsOfItsRange) {
  EXPECT_EQ(*parse_u64("0", 0, kU64Max), 0U);
  EXPECT_EQ(*parse_u64(kU64MaxText, 0, kU64Max), kU64Max);
  EXPECT_EQ(*parse_u64("7", 7, 7), 7U);
  EXPECT_FALSE(parse_u64("6", 7, 9).ok());
  EXPECT_FALSE(parse_u64("10", 7, 9).ok());
  for (const BadNumber& bad : malformed_numbers()) {
    const auto parsed = parse_u64(bad.text, 0, kU64Max);
    ASSERT_FALSE(parsed.ok()) << "'" << bad.text << "'";
    EXPECT_NE(parsed.error().detail.find(bad.reason), std::string::npos) << parsed.error().detail;
  }
}

// Two different texts never give one number: whatever parses is the number's own decimal.
// Any bytes, and texts of mostly digits (where near misses such as "007" or "5 " live).
RC_GTEST_PROP(CliNumbers, AnyAcceptedTextIsTheDecimalOfItsValue, ()) {
  const auto text = *rc::gen::oneOf(
      rc::gen::arbitrary<std::string>(),
      rc::gen::container<std::string>(rc::gen::elementOf(std::string("0123456789 +-x."))));
  const auto parsed = parse_u64(text, 0, kU64Max);
  if (parsed.ok()) {
    RC_ASSERT(std::to_string(*parsed) == text);
  }
}

RC_GTEST_PROP(CliNumbers, EveryU64ParsesBackFromItsDecimal, ()) {
  const auto value = *rc::gen::arbitrary<std::uint64_t>();
  const auto parsed = parse_u64(std::to_string(value), 0, kU64Max);
  RC_ASSERT(parsed.ok());
  RC_ASSERT(*parsed == value);
}

// Each value of `cases` given to `command option` is one line naming the option and the reason.
void expect_rejected(const std::string& command, const std::string& option,
                     const std::vector<BadNumber>& cases, const std::string& expected) {
  for (const BadNumber& bad : cases) {
    SCOPED_TRACE(command + " " + option + " '" + bad.text + "'");
    const auto r = run_spmc({command, option, bad.text});
    EXPECT_TRUE(is_usage_error(r, "spmc: error: " + option + ": invalid value '", bad.reason));
    EXPECT_NE(r.err.find("; expected " + expected), std::string::npos) << r.err;
  }
}

TEST(CliNumbers, EverySeedOptionRejectsMalformedNumbersWithOneLine) {
  for (const char* command : {"sim", "demo", "shrink", "requirements"}) {
    expect_rejected(command, "--seed", malformed_numbers(),
                    "a decimal integer in [0, 18446744073709551615]");
  }
}

TEST(CliNumbers, OptionsRejectValuesPastTheirOwnRange) {
  const std::vector<BadNumber> runs = {{"0", "is outside [1, 4294967295]"},
                                       {"4294967296", "is outside [1, 4294967295]"},
                                       {kTwoTo64, "is larger than 2^64 - 1"},
                                       {"-5", "is negative"}};
  expect_rejected("shrink", "--max-runs", runs, "a decimal integer in [1, 4294967295]");
}

TEST(CliNumbers, SweepRejectsMalformedSeedRanges) {
  const std::vector<BadNumber> ranges = {
      {"5..3", "the first seed 5 is above the last 3"},
      {"1..", "the last seed is empty"},
      {"..5", "the first seed is empty"},
      {"", "has no '..'"},
      {"1-5", "has no '..'"},
      {"1..2..3", "the last seed has '.' at position 2"},
      {"-1..5", "the first seed is negative"},
      {std::string("1..") + kTwoTo64, "the last seed is larger than 2^64 - 1"},
      {"01..5", "the first seed has a leading zero"},
  };
  expect_rejected("sweep", "--seeds", ranges, "A..B with 0 <= A <= B < 2^64");
}

TEST(CliNumbers, SweepRejectsMalformedShards) {
  const std::vector<BadNumber> shards = {
      {"0/4", "K is outside [1, 4]"}, {"5/4", "K is outside [1, 4]"},
      {"1/0", "N is outside [1, "},   {"1/", "N is empty"},
      {"/4", "K is empty"},           {"4", "has no '/'"},
      {"-1/4", "K is negative"},      {"1/+4", "N has a '+' sign"},
      {"1/0x4", "N is not decimal"},  {std::string("1/") + kTwoTo64, "N is larger than"},
  };
  expect_rejected("sweep", "--shard", shards, "K/N with 1 <= K <= N");
}

TEST(CliNumbers, ValuesAreCheckedBeforeAnyWorkStarts) {
  // A bad seed with a scenario that does not exist: the option is named, not the file.
  EXPECT_TRUE(is_usage_error(run_spmc({"sim", "no_such_file.json", "--seed", "-1"}),
                             "spmc: error: --seed: ", "is negative"));
}

TEST(CliNumbers, EdgeValuesOfEachRangeAreAccepted) {
  EXPECT_EQ(run_spmc({"sim", "--seed", "0"}).exit_code, 0);
  EXPECT_EQ(run_spmc({"demo", "--quiet", "--seed", kU64MaxText}).exit_code, 0);
  const auto last_seed =
      run_spmc({"sweep", "--seeds", std::string(kU64MaxText) + ".." + kU64MaxText});
  EXPECT_EQ(last_seed.exit_code, 0) << last_seed.err;
  EXPECT_NE(last_seed.out.find("1 seeds (18446744073709551615..18446744073709551615, shard 1/1)"),
            std::string::npos)
      << last_seed.out;
  const auto last_shard = run_spmc({"sweep", "--seeds", "0..3", "--shard", "4/4"});
  EXPECT_EQ(last_shard.exit_code, 0) << last_shard.err;
  EXPECT_NE(last_shard.out.find("1 seeds (0..3, shard 4/4)"), std::string::npos) << last_shard.out;
}

}  // namespace
}  // namespace spmc::cli
