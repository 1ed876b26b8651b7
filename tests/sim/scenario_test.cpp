// Scenario files: defaults, shipped scenarios, and one-line errors naming file, field
// path and reason.
#include "spmc/sim/scenario.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "spmc/sim/world.hpp"  // parse_scenario with the adversary registry

namespace spmc::sim {
namespace {

const std::string kScenarioDir = std::string(SPMC_SOURCE_DIR) + "/simulator/scenarios/";

std::string error_of(std::string_view json) {
  const Result<Scenario> result = parse_scenario(json, "t.json");
  if (result.ok()) {
    return "(parsed)";
  }
  EXPECT_EQ(result.code(), ErrorCode::kBadValue);
  EXPECT_EQ(result.error().detail.find('\n'), std::string::npos);
  return result.error().detail;
}

TEST(Scenario, EmptyObjectGivesEveryDefault) {
  const Result<Scenario> parsed = parse_scenario("{}", "t.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_EQ(*parsed, Scenario{});
  EXPECT_EQ(parsed->phones, 16u);
  EXPECT_EQ(parsed->profile, paper_profile());
  EXPECT_EQ(parsed->contacts.kind, ContactGraphKind::kSmallWorld);
  EXPECT_EQ(parsed->faults.network.loss_ppm, 0u);
  EXPECT_EQ(parsed->phases.liveness_ms, 120'000u);
}

TEST(Scenario, PartialObjectsKeepTheOtherDefaults) {
  const Result<Scenario> parsed =
      parse_scenario(R"({"faults": {"loss_ppm": 5, "clock": {"max_drift_ppm": 7}},
                         "adversaries": ["observer"], "profile": "hardened"})",
                     "t.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  Scenario expected;
  expected.faults.network.loss_ppm = 5;
  expected.faults.clock.max_drift_ppm = 7;
  expected.adversaries = {"observer"};
  expected.profile = hardened_profile();
  EXPECT_EQ(*parsed, expected);
}

// The shipped default is the main job's world (a fault mix on top of the field defaults);
// it spells out every field so it documents itself.
TEST(Scenario, DefaultFileSpellsOutEveryField) {
  const Result<Scenario> loaded = load_scenario(kScenarioDir + "default.json");
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  std::ifstream in(kScenarioDir + "default.json");
  const auto file = nlohmann::ordered_json::parse(in);
  EXPECT_EQ(file, scenario_to_json(*loaded));
  const Result<Scenario> reparsed =
      parse_scenario(scenario_to_json(Scenario{}).dump(2), "generated");
  ASSERT_TRUE(reparsed.ok());
  EXPECT_EQ(*reparsed, Scenario{});
}

TEST(Scenario, ShippedScenariosParseAndRoundTrip) {
  for (const char* name : {"lossy", "partition", "churn", "large"}) {
    const Result<Scenario> loaded = load_scenario(kScenarioDir + name + ".json");
    ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
    EXPECT_EQ(loaded->name, name);
    const Result<Scenario> again = parse_scenario(scenario_to_json(*loaded).dump(), "again");
    ASSERT_TRUE(again.ok()) << again.error().detail;
    EXPECT_EQ(*again, *loaded);
  }
  const Result<Scenario> large = load_scenario(kScenarioDir + "large.json");
  ASSERT_TRUE(large.ok());
  EXPECT_EQ(large->phones, 10'000u);
}

TEST(Scenario, UnknownFieldsAreErrors) {
  EXPECT_EQ(error_of(R"({"phonez": 3})"), "t.json: phonez: unknown field");
  EXPECT_EQ(error_of(R"({"faults": {"los_ppm": 1}})"), "t.json: faults.los_ppm: unknown field");
  EXPECT_EQ(error_of(R"({"faults": {"partitions": {"rate": 1}}})"),
            "t.json: faults.partitions.rate: unknown field");
}

TEST(Scenario, WrongTypesAreErrors) {
  EXPECT_EQ(error_of(R"({"phones": "16"})"), "t.json: phones: must be an integer in [1, 1000000]");
  EXPECT_EQ(error_of(R"({"phones": 16.0})"), "t.json: phones: must be an integer in [1, 1000000]");
  EXPECT_EQ(error_of(R"({"faults": []})"), "t.json: faults: must be an object");
  EXPECT_EQ(error_of(R"({"name": 3})"), "t.json: name: must be a string of at most 100 characters");
  EXPECT_EQ(error_of(R"({"adversaries": "observer"})"),
            "t.json: adversaries: must be an array of adversary names or objects");
  EXPECT_EQ(error_of(R"({"expected_violations": ["a", 3]})"),
            "t.json: expected_violations[1]: must be a string");
  EXPECT_EQ(error_of(R"({"profile": "strong"})"),
            R"(t.json: profile: must be one of "paper", "hardened" or a profile object)");
  EXPECT_EQ(error_of(R"({"contacts": {"kind": "ring"}})"),
            R"(t.json: contacts.kind: must be one of "small_world", "erdos_renyi", )"
            R"("preferential", "complete")");
}

TEST(Scenario, OutOfRangeValuesAreErrors) {
  EXPECT_EQ(error_of(R"({"faults": {"loss_ppm": 1000001}})"),
            "t.json: faults.loss_ppm: must be an integer in [0, 1000000]");
  EXPECT_EQ(error_of(R"({"faults": {"loss_ppm": -1}})"),
            "t.json: faults.loss_ppm: must be an integer in [0, 1000000]");
  EXPECT_EQ(error_of(R"({"phones": 0})"), "t.json: phones: must be an integer in [1, 1000000]");
  EXPECT_EQ(error_of(R"({"topology": {"access_link": {"loss_ppm": 2000000}}})"),
            "t.json: topology.access_link.loss_ppm: must be an integer in [0, 1000000]");
}

TEST(Scenario, RelationsBetweenFieldsAreChecked) {
  EXPECT_EQ(error_of(R"({"workload": {"message_size_min": 100, "message_size_max": 10}})"),
            "t.json: workload.message_size_max: must be >= workload.message_size_min (100)");
  EXPECT_EQ(error_of(R"({"topology": {"server_region": 2}})"),
            "t.json: topology.server_region: must be < topology.regions (2)");
  EXPECT_EQ(error_of(R"({"phones": 4, "workload": {"groups": {"count": 1}}})"),
            "t.json: workload.groups.size_max: must be <= phones (4) when groups exist");
  EXPECT_EQ(error_of(R"({"faults": {"spike_delay_min_us": 9, "spike_delay_max_us": 8}})"),
            "t.json: faults.spike_delay_max_us: must be >= faults.spike_delay_min_us (9)");
}

TEST(Scenario, MalformedDocumentsAreErrors) {
  EXPECT_EQ(error_of("[]"), "t.json: (root): must be an object");
  EXPECT_EQ(error_of(R"({"phones": })"), "t.json: (root): invalid JSON at byte 12");
  const Result<Scenario> missing = load_scenario(kScenarioDir + "no_such_file.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().detail, kScenarioDir + "no_such_file.json: (file): cannot be read");
}

}  // namespace
}  // namespace spmc::sim
