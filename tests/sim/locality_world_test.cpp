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

// The run's report counts, over the contact pairs that talk, what `spmc locality` counts over
// the study's country pairs: phones only in Germany and France (Europe, EU) with a server in
// the U.S. cross the Atlantic for every pair; with the server in Germany no pair leaves Europe
// and none is on a 5 Eyes path. A world without countries reports nothing of the kind.
// Proves: LOC-013
TEST(LocalityWorld, ReportShowsWhereTheContactPairsMessagesTravel) {
  const auto run = [](const char* server) {
    const Result<Scenario> s =
        parse_scenario(std::string(R"({"phones": 8, "locality": {"deployment": "central:)") +
                           server + R"(", "countries": ["DE", "FR"]}})",
                       "t.json");
    EXPECT_TRUE(s.ok());
    World world(*s, 1);
    return world.run();
  };
  const auto group = [](const LocalityExposure& l, const std::string& name) {
    for (const auto& [g, pairs] : l.accessible) {
      if (g == name) {
        return pairs;
      }
    }
    ADD_FAILURE() << "no group " << name;
    return std::uint64_t{0};
  };
  const Report us = run("US");
  ASSERT_TRUE(us.locality.has_value());
  ASSERT_GT(us.locality->pairs, 0U);
  EXPECT_EQ(us.locality->pairs, us.contact_pairs);
  EXPECT_EQ(us.locality->deployment, "central:US");
  EXPECT_EQ(us.locality->same_region, us.locality->pairs);
  EXPECT_EQ(us.locality->leaving, us.locality->pairs);
  EXPECT_EQ(group(*us.locality, "5 Eyes"), us.locality->pairs);
  EXPECT_EQ(group(*us.locality, "European Union"), us.locality->pairs);

  const Report de = run("DE");
  ASSERT_TRUE(de.locality.has_value());
  EXPECT_EQ(de.locality->leaving, 0U);
  EXPECT_EQ(group(*de.locality, "5 Eyes"), 0U);
  EXPECT_NE(render_text(de).find("locality central:DE: "), std::string::npos);
  EXPECT_NE(render_json(de).find("\"locality\":{\"deployment\":\"central:DE\""), std::string::npos);

  World plain(parse_scenario(R"({"phones": 4})", "t.json").value(), 1);
  const Report r = plain.run();
  EXPECT_FALSE(r.locality.has_value());
  EXPECT_EQ(render_text(r).find("locality"), std::string::npos);
  EXPECT_EQ(render_json(r).find("locality"), std::string::npos);
}

}  // namespace
}  // namespace spmc::sim
