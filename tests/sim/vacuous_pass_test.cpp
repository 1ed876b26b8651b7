// A pass must mean something was checked: an invariant with zero checks says "not
// exercised" (text and JSON), a scenario can require that one be exercised, and workload
// the world cannot carry out is a warning, not silence. Issue 23.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "spmc/sim/world.hpp"

namespace spmc::sim {
namespace {

Scenario parse(const std::string& json) {
  auto s = parse_scenario(json, "t.json");
  SPMC_CHECK(s.ok());
  return *s;
}

// No contacts at all (degree 0): no message, group or U2U session can happen.
constexpr const char* kNoContacts =
    R"({"phones": 3, "contacts": {"degree": 0},
        "workload": {"u2u_sessions": 2, "groups": {"count": 1, "size_min": 2, "size_max": 3}},
        "phases": {"safety_ms": 5000}})";

const InvariantResult* find(const Report& r, std::string_view name) {
  auto it = std::find_if(r.invariants.begin(), r.invariants.end(),
                         [name](const InvariantResult& i) { return i.name == name; });
  return it == r.invariants.end() ? nullptr : &*it;
}

TEST(VacuousPass, InvariantWithZeroChecksIsReportedNotExercised) {
  World world(parse(kNoContacts), 1);
  const Report r = world.run();
  const InvariantResult* delivery = find(r, "exactly_once_delivery");
  ASSERT_NE(delivery, nullptr);
  EXPECT_EQ(delivery->checks, 0U);
  EXPECT_TRUE(r.pass) << r.verdict;  // not required, so only reported
  const std::string text = render_text(r);
  EXPECT_NE(text.find("  not exercised exactly_once_delivery"), std::string::npos) << text;
  EXPECT_EQ(text.find("  ok   exactly_once_delivery"), std::string::npos) << text;

  const auto j = nlohmann::json::parse(render_json(r));
  const auto it = std::find_if(j["invariants"].begin(), j["invariants"].end(),
                               [](const auto& i) { return i["name"] == "exactly_once_delivery"; });
  ASSERT_NE(it, j["invariants"].end());
  EXPECT_EQ((*it)["status"], "not exercised");
  EXPECT_EQ((*it)["checks"], 0);
}

TEST(VacuousPass, ExercisedInvariantsStillSayOk) {
  World world(parse(R"({"phones": 4, "phases": {"safety_ms": 10000}})"), 1);
  const Report r = world.run();
  const InvariantResult* delivery = find(r, "exactly_once_delivery");
  ASSERT_NE(delivery, nullptr);
  EXPECT_GT(delivery->checks, 0U);
  EXPECT_NE(render_text(r).find("  ok   exactly_once_delivery"), std::string::npos);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(VacuousPass, ImpossibleWorkloadWarnsInTextAndJson) {
  World world(parse(kNoContacts), 1);
  const Report r = world.run();
  ASSERT_EQ(r.warnings.size(), 3U);
  EXPECT_NE(r.warnings[0].find("workload.messages_per_phone_per_minute is 2 but the contact "
                               "graph has no edges (3 phones, contacts.degree 0)"),
            std::string::npos)
      << r.warnings[0];
  EXPECT_NE(r.warnings[1].find("no group can be created"), std::string::npos) << r.warnings[1];
  EXPECT_NE(r.warnings[2].find("workload.u2u_sessions is 2"), std::string::npos) << r.warnings[2];
  EXPECT_NE(render_text(r).find("warning: workload.u2u_sessions is 2"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(render_json(r))["warnings"].size(), 3U);

  World idle(parse(R"({"phones": 4, "phases": {"safety_ms": 0}})"), 1);
  const Report ri = idle.run();
  ASSERT_EQ(ri.warnings.size(), 1U);
  EXPECT_NE(ri.warnings[0].find("phases.safety_ms is 0: no message is ever sent"),
            std::string::npos);
}

TEST(VacuousPass, RequireExercisedFailsARunWhoseInvariantHadNothingToJudge) {
  Scenario s = parse(kNoContacts);
  s.require_exercised = {"exactly_once_delivery", "u2u_honest_authenticates", "no_key_reuse"};
  World world(s, 1);
  const Report r = world.run();
  EXPECT_FALSE(r.pass);
  EXPECT_NE(
      r.verdict.find("required but not exercised: exactly_once_delivery, u2u_honest_authenticates"),
      std::string::npos)
      << r.verdict;
  const std::string text = render_text(r);
  EXPECT_NE(text.find("FAIL (not exercised) exactly_once_delivery"), std::string::npos) << text;
  // The U2U checker judges nothing without a session, so it is listed only because required.
  const InvariantResult* u2u = find(r, "u2u_honest_authenticates");
  ASSERT_NE(u2u, nullptr);
  EXPECT_TRUE(u2u->required);
  EXPECT_NE(u2u->detail.find("never judged"), std::string::npos);
}

TEST(VacuousPass, RequireExercisedPassesWhenEveryNamedInvariantWasChecked) {
  World world(parse(R"({"phones": 4, "phases": {"safety_ms": 10000},
                        "require_exercised": ["exactly_once_delivery"]})"),
              1);
  const Report r = world.run();
  EXPECT_TRUE(r.pass) << r.verdict;
  EXPECT_TRUE(find(r, "exactly_once_delivery")->required);
}

TEST(VacuousPass, RequireExercisedRejectsUnknownNamesInOneLine) {
  auto bad =
      parse_scenario(R"({"require_exercised": ["exactly_once_delivery", "nope"]})", "t.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().detail.find("t.json: require_exercised[1]: unknown invariant 'nope' (one "
                                    "of: exactly_once_delivery, "),
            0U)
      << bad.error().detail;
  EXPECT_EQ(bad.error().detail.find('\n'), std::string::npos);
  auto not_list = parse_scenario(R"({"require_exercised": "exactly_once_delivery"})", "t.json");
  ASSERT_FALSE(not_list.ok());
  EXPECT_EQ(not_list.error().detail, "t.json: require_exercised: must be an array of strings");
}

// The field is new: scenarios without it must keep the exact trace header they had.
TEST(VacuousPass, ScenariosWithoutRequireExercisedKeepTheirSerialisedForm) {
  const auto plain = scenario_to_json(parse("{}"));
  EXPECT_FALSE(plain.contains("require_exercised"));
  Scenario s = parse("{}");
  s.require_exercised = {"no_key_reuse"};
  const auto with = scenario_to_json(s);
  ASSERT_TRUE(with.contains("require_exercised"));
  EXPECT_EQ(parse(with.dump()), s);
}

// Progress is only shown, never felt: the run in slices is the run in one go.
TEST(RunProgress, ReportingProgressDoesNotChangeTheTrace) {
  const Scenario s = parse(R"({"phones": 6, "phases": {"safety_ms": 8000}})");
  World plain(s, 3);
  WorldOptions options;
  std::uint64_t calls = 0;
  std::uint64_t last_time_ms = 0;
  options.progress = [&](const RunProgress& p) {
    ++calls;
    EXPECT_GE(p.sim_time_ms, last_time_ms);
    last_time_ms = p.sim_time_ms;
  };
  World watched(s, 3, options);
  EXPECT_EQ(plain.run().trace_hash, watched.run().trace_hash);
  EXPECT_GT(calls, 8U);
}

}  // namespace
}  // namespace spmc::sim
