// Every committed vector file must verify case by case and be byte-identical to a fresh
// generation; flipping any byte must make the check fail.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "vectors.hpp"

namespace spmc::vectors {
namespace {

std::string read_vector_file(std::string_view name) {
  std::ifstream in(std::string(SPMC_SOURCE_DIR) + "/spec/vectors/" + std::string(name) + ".json");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A throw would be a checker bug (checks read fields through the checked helpers); report
// it as a mismatch naming the exception rather than abort the test binary.
std::optional<std::string> run_check(const VectorSuite& suite, const Json& file) {
  try {
    return suite.check(file);
  } catch (const nlohmann::json::exception& e) {
    return std::string("check threw: ") + e.what();
  }
}

TEST(Vectors, CommittedFilesMatchTheGeneratorByteForByte) {
  for (const auto& suite : all_suites()) {
    EXPECT_EQ(read_vector_file(suite.name), render(suite.generate())) << suite.name;
  }
}

TEST(Vectors, EveryCommittedCaseRecomputes) {
  for (const auto& suite : all_suites()) {
    const auto file = Json::parse(read_vector_file(suite.name), nullptr, false);
    ASSERT_FALSE(file.is_discarded()) << suite.name;
    const auto mismatch = run_check(suite, file);
    EXPECT_FALSE(mismatch.has_value()) << suite.name << ": " << mismatch.value_or("");
  }
}

// Flip the first hex digit of each field of each positive case in turn: the semantic check
// alone must notice. (A mutated negative case may legitimately fail the same way; the
// byte-identity test above covers those.)
TEST(Vectors, AnyChangedHexDigitIsCaught) {
  for (const auto& suite : all_suites()) {
    const Json original = suite.generate();
    std::size_t flips = 0;
    for (std::size_t i = 0; i < original["cases"].size(); ++i) {
      if (original["cases"][i].contains("expected_error")) {
        continue;
      }
      for (const auto& [key, value] : original["cases"][i].items()) {
        if (!value.is_string() || key == "expected_error" || key == "description") {
          continue;
        }
        std::string s = value.get<std::string>();
        if (s.empty()) {
          continue;
        }
        Json mutated = original;
        s[0] = s[0] == '0' ? '1' : '0';
        mutated["cases"][i][key] = s;
        EXPECT_TRUE(run_check(suite, mutated).has_value())
            << suite.name << " case " << i << " field " << key << " change went unnoticed";
        ++flips;
      }
    }
    EXPECT_GT(flips, 0U) << suite.name;
  }
}

}  // namespace
}  // namespace spmc::vectors
