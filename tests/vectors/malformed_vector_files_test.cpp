// Vector files are untrusted input: every suite's check() must answer a malformed file
// with a mismatch message, never undefined behaviour or an exception (fuzz/vectors_fuzzer
// found both). Each case shape of each generated file is taken apart field by field; a
// check that threw would fail the test (gtest reports the exception), and ASan runs these
// too (label vector in the asan preset).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "vectors.hpp"

namespace spmc::vectors {
namespace {

// Keys whose absence makes another, well-formed case: without them a case is read as
// another kind (expected_error, sender_index, content_type, message) or means something
// else (no earlier share, the user typed the secret), so its message names the outcome
// that differs rather than the key itself.
const std::set<std::string> kKeysThatChangeTheCase = {
    "expected_error", "sender_index", "content_type",         "message",
    "entered_a",      "entered_b",    "previous_timestamp_ms"};

Json single_case_file(const Json& c) { return Json{{"cases", Json::array({c})}}; }

// One case for each distinct set of keys in the suite's file: positive and negative
// shapes, both profiles, group and pairwise shares, decode and protocol cases.
// Taken from the rendered text, as check() sees a file (parsing makes integers unsigned).
std::vector<Json> case_shapes(const VectorSuite& suite) {
  const Json file = Json::parse(render(suite.generate()));
  std::set<std::vector<std::string>> seen;
  std::vector<Json> shapes;
  for (const Json& c : file.at("cases")) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : c.items()) {
      keys.push_back(key);
    }
    if (seen.insert(keys).second) {
      shapes.push_back(c);
    }
  }
  return shapes;
}

// Values of every JSON type; a field is replaced by each whose type differs from its own.
std::vector<Json> other_typed_values(const Json& value) {
  const Json candidates[] = {Json(0U),   Json(-1),      Json(1.5),           Json("x"),
                             Json(true), Json(nullptr), Json::array({"00"}), Json::object()};
  std::vector<Json> out;
  for (const Json& v : candidates) {
    if (v.type() != value.type()) {
      out.push_back(v);
    }
  }
  return out;
}

void expect_reported(const VectorSuite& suite, const Json& file, const std::string& key,
                     const std::string& what, bool removed) {
  const auto mismatch = suite.check(file);
  ASSERT_TRUE(mismatch.has_value()) << suite.name << ": " << what << " went unnoticed";
  EXPECT_NE(mismatch->find("case 0"), std::string::npos) << suite.name << ": " << *mismatch;
  if (!removed || kKeysThatChangeTheCase.count(key) == 0) {
    EXPECT_NE(mismatch->find(key), std::string::npos)
        << suite.name << ": " << what << " reported without naming it: " << *mismatch;
  }
}

TEST(MalformedVectors, EachCaseShapeAloneStillVerifies) {
  for (const auto& suite : all_suites()) {
    for (const Json& c : case_shapes(suite)) {
      const auto mismatch = suite.check(single_case_file(c));
      EXPECT_FALSE(mismatch.has_value()) << suite.name << ": " << mismatch.value_or("");
    }
  }
}

TEST(MalformedVectors, EveryRemovedFieldIsReported) {
  for (const auto& suite : all_suites()) {
    for (const Json& c : case_shapes(suite)) {
      for (const auto& [key, value] : c.items()) {
        if (key == "description") {  // free text, read by people only
          continue;
        }
        Json mutated = c;
        mutated.erase(key);
        expect_reported(suite, single_case_file(mutated), key, "removing " + key, true);
      }
    }
  }
}

TEST(MalformedVectors, EveryMistypedFieldIsReported) {
  for (const auto& suite : all_suites()) {
    for (const Json& c : case_shapes(suite)) {
      for (const auto& [key, value] : c.items()) {
        if (key == "description") {
          continue;
        }
        for (const Json& replacement : other_typed_values(value)) {
          Json mutated = c;
          mutated[key] = replacement;
          expect_reported(suite, single_case_file(mutated), key, key + " = " + replacement.dump(),
                          false);
        }
      }
    }
  }
}

TEST(MalformedVectors, MissingOrMistypedCasesAreReported) {
  const Json files[] = {
      Json::object(),
      Json::array(),
      Json(7),
      Json{{"cases", nullptr}},
      Json{{"cases", 0}},
      Json{{"cases", "[]"}},
      Json{{"cases", Json::object()}},
      Json{{"cases", Json::array({0})}},
      Json{{"cases", Json::array({nullptr})}},
      Json{{"cases", Json::array({"case"})}},
      Json{{"cases", Json::array({Json::array()})}},
      Json{{"cases", Json::array({Json::object()})}},
  };
  for (const auto& suite : all_suites()) {
    for (const Json& file : files) {
      EXPECT_TRUE(suite.check(file).has_value()) << suite.name << ": " << file.dump();
    }
  }
}

// The input fuzz/vectors_fuzzer first crashed on (ASan: heap-use-after-free reading "value").
TEST(MalformedVectors, CodecCaseWithoutValueIsReported) {
  const Json file = Json::parse(R"({"cases":[{"encoded":"0000000000000000000000000000000000"}]})");
  for (const auto& suite : all_suites()) {
    if (suite.name == "codec") {
      EXPECT_EQ(suite.check(file), "case 0: field value differs from the decoded value");
    }
  }
}

}  // namespace
}  // namespace spmc::vectors
