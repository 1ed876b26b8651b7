// Class "silently accepted mistakes in files" (issue 23): a key repeated in one object, bytes
// after a NUL, and an invariant name in expected_violations that does not exist were taken
// without a word (last key won, the rest was ignored, the run then FAILed for the typo). Each
// is now the loader's usual one line, "<file>: <field>: <reason>", with exit 2.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "spmc_process.hpp"

namespace spmc::cli {
namespace {

using cli_input_test::is_usage_error;
using cli_input_test::run_spmc;
using cli_input_test::write_temp;

struct BadFile {
  std::string name;
  std::string bytes;
  std::string field;
  std::string reason;
};

void expect_rejected(const std::vector<BadFile>& files) {
  for (const BadFile& f : files) {
    SCOPED_TRACE(f.name);
    const std::string path = write_temp(f.name, f.bytes);
    for (const char* command : {"sim", "sweep", "shrink"}) {
      EXPECT_TRUE(is_usage_error(run_spmc({command, path}),
                                 "spmc: error: " + path + ": " + f.field + ": ", f.reason))
          << command;
    }
  }
}

TEST(ScenarioFileMistakes, RepeatedKeysAreRejectedWithTheirPath) {
  const std::string dup = "duplicate key";
  expect_rejected({
      {"root.json", R"({"phones": 3, "phones": 4})", "phones", dup},
      {"nested.json", R"({"workload": {"groups": {"count": 1, "count": 2}}})",
       "workload.groups.count", dup},
      {"object.json", R"({"faults": {"clock": {"max_skew_ms": 1}, "clock": {}}})", "faults.clock",
       dup},
      {"in_array.json", R"({"adversaries": [{"a": 1, "a": 1}]})", "adversaries[0].a", dup},
      {"same_value.json", R"({"name": "x", "phones": 5, "name": "x"})", "name", dup},
  });
}

TEST(ScenarioFileMistakes, NulBytesAreRejectedWhereverTheyAre) {
  const std::string nul(1, '\0');
  expect_rejected({
      {"after.json", R"({"phones": 3})" + nul + R"({"phones": 9})", "(root)",
       "NUL byte at byte 14"},
      {"in_string.json", R"({"name": "a)" + nul + R"(b"})", "(root)", "NUL byte at byte 12"},
      {"only.json", nul, "(root)", "NUL byte at byte 1"},
      {"trailing.json", "{}" + nul, "(root)", "NUL byte at byte 3"},
  });
}

TEST(ScenarioFileMistakes, UnknownExpectedViolationsAreRejectedWithTheKnownNames) {
  const std::string listed = "(one of: exactly_once_delivery, ";
  expect_rejected({
      {"typo.json", R"({"expected_violations": ["u2u_detect_mitm"]})", "expected_violations[0]",
       "unknown invariant 'u2u_detect_mitm' " + listed},
      {"second.json", R"({"expected_violations": ["no_key_reuse", "nope"]})",
       "expected_violations[1]", "unknown invariant 'nope' " + listed},
      {"empty_name.json", R"({"expected_violations": [""]})", "expected_violations[0]",
       "unknown invariant '' " + listed},
  });
}

TEST(ScenarioFileMistakes, KnownExpectedViolationsStillLoad) {
  // An opt-in invariant is a known name too (a scenario may expect it to fail).
  const std::string path =
      write_temp("known.json",
                 R"({"phones": 4, "phases": {"safety_ms": 2000, "liveness_ms": 10000},
          "expected_violations": ["acked_items_deleted"]})");
  const auto r = run_spmc({"sim", path});
  EXPECT_NE(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.find("spmc: error"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace spmc::cli
