// A world whose phones live in countries (scenario "locality", spec/locality.md LOC-012): the
// field is optional and absent from every older scenario; its network is the country topology,
// so the server's country sets the packets' latency.
#include <gtest/gtest.h>

#include <string>

#include "spmc/locality/topology.hpp"
#include "spmc/sim/scenario.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::sim {
namespace {

std::string error_of(std::string_view json) {
  const Result<Scenario> result = parse_scenario(json, "t.json");
  return result.ok() ? "(parsed)" : result.error().detail;
}

// Proves: LOC-012
TEST(LocalityWorld, FieldIsOptionalAndWrittenOnlyWhenGiven) {
  const Result<Scenario> plain = parse_scenario("{}", "t.json");
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->locality.has_value());
  EXPECT_FALSE(scenario_to_json(*plain).contains("locality"));
  EXPECT_FALSE(country_placement(*plain).has_value());

  const Result<Scenario> placed = parse_scenario(
      R"({"locality": {"deployment": "central:CH", "countries": ["JP", "DE"]}})", "t.json");
  ASSERT_TRUE(placed.ok()) << placed.error().detail;
  const nlohmann::ordered_json written = scenario_to_json(*placed);
  ASSERT_TRUE(written.contains("locality"));
  const Result<Scenario> again = parse_scenario(written.dump(), "again.json");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *placed);
  const auto placement = country_placement(*placed);
  ASSERT_TRUE(placement.has_value());
  const auto& topology = locality::builtin_topology();
  EXPECT_EQ(topology.countries()[placement->server_country].code, "CH");
  ASSERT_EQ(placement->phone_countries.size(), 2U);
  EXPECT_EQ(topology.countries()[placement->phone_countries[0]].code, "JP");
  // No countries given: the study's 28, in file order.
  const Result<Scenario> all = parse_scenario(R"({"locality": {}})", "t.json");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(country_placement(*all)->phone_countries, topology.study());
}

// Proves: LOC-012
TEST(LocalityWorld, BadDeploymentOrCountryIsOneLineNamingTheField) {
  EXPECT_EQ(error_of(R"({"locality": {"deployment": "federated"}})"),
            "t.json: locality.deployment: 'federated' needs a server per region or country, "
            "and the world has one server: use central:CC here (spmc locality compares all "
            "four)");
  EXPECT_EQ(error_of(R"({"locality": {"deployment": "central:QQ"}})")
                .rfind("t.json: locality.deployment: unknown country 'QQ'", 0),
            0U);
  EXPECT_EQ(error_of(R"({"locality": {"countries": ["US", "XX"]}})"),
            "t.json: locality.countries[1]: unknown country 'XX' (spmc locality --json lists "
            "the topology's)");
  EXPECT_EQ(error_of(R"({"locality": {"server": "US"}})"),
            "t.json: locality.server: unknown field");
  EXPECT_EQ(error_of(R"({"locality": "US"})"), "t.json: locality: must be an object");
}

// Proves: LOC-012
TEST(LocalityWorld, PhonesReachTheServerOverTheCountryRoute) {
  const Result<Scenario> s = parse_scenario(
      R"({"phones": 3, "locality": {"deployment": "central:US", "countries": ["AR", "JP", "US"]}})",
      "t.json");
  ASSERT_TRUE(s.ok());
  const Topology t = generate_country_topology(s->topology, *country_placement(*s), s->phones);
  const auto& countries = locality::builtin_topology();
  const auto us = *countries.find("US");
  for (std::uint32_t phone = 0; phone < 3; ++phone) {
    std::uint64_t latency = 0;
    for (const LinkParams* link : t.path(phone_node(phone), kServerNode)) {
      latency += link->latency_us;
    }
    const auto home = countries.find(phone == 0 ? "AR" : phone == 1 ? "JP" : "US");
    // Access link + the country route of LOC-003 + the server's link.
    EXPECT_EQ(latency, s->topology.access_link.latency_us + countries.path(*home, us).latency_us +
                           s->topology.region_link.latency_us)
        << phone;
  }
}

// Proves: LOC-012
TEST(LocalityWorld, ServerFarFromItsUsersDeliversLater) {
  const auto run = [](const char* server) {
    const Result<Scenario> s = parse_scenario(
        std::string(R"({"phones": 28, "locality": {"deployment": "central:)") + server + "\"}}",
        "t.json");
    EXPECT_TRUE(s.ok());
    World world(*s, 1);
    return world.run();
  };
  const Report near = run("DE");  // 15 of the 28 study countries are in Europe
  const Report far = run("NZ");
  EXPECT_TRUE(near.pass);
  EXPECT_TRUE(far.pass);
  EXPECT_GT(near.latency.count, 0U);
  EXPECT_LT(near.latency.p50_ms, far.latency.p50_ms);
}

}  // namespace
}  // namespace spmc::sim
