// A world whose phones live in countries (scenario "locality", spec/locality.md LOC-012): the
// field is optional and absent from every older scenario; its network is the country topology,
// so the server's country sets the packets' latency.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <set>
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
  EXPECT_EQ(placement->deployment.kind, locality::DeploymentKind::kCentral);
  EXPECT_EQ(topology.countries()[placement->deployment.central].code, "CH");
  ASSERT_EQ(placement->phone_countries.size(), 2U);
  EXPECT_EQ(topology.countries()[placement->phone_countries[0]].code, "JP");
  // No countries given: the study's 28, in file order.
  const Result<Scenario> all = parse_scenario(R"({"locality": {}})", "t.json");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(country_placement(*all)->phone_countries, topology.study());
}

// Proves: LOC-012
TEST(LocalityWorld, BadDeploymentOrCountryIsOneLineNamingTheField) {
  EXPECT_EQ(error_of(R"({"locality": {"deployment": "mesh"}})")
                .rfind("t.json: locality.deployment: unknown deployment 'mesh' (one of: ", 0),
            0U);
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

// The sum of the latencies of a packet's links (faults and jitter aside).
std::uint64_t latency_of(const Topology& t, NodeId from, NodeId to,
                         std::optional<NodeId> requester = std::nullopt) {
  std::uint64_t sum = 0;
  for (const LinkParams* link : t.path(from, to, requester)) {
    sum += link->latency_us;
  }
  return sum;
}

Topology placed(const char* deployment, const char* countries, Scenario& s) {
  s = parse_scenario(std::string(R"({"phones": 2, "locality": {"deployment": ")") + deployment +
                         R"(", "countries": )" + countries + "}}",
                     "t.json")
          .value();
  return generate_country_topology(s.topology, *country_placement(s), s.phones);
}

// Every deployment of LOC-005 runs in a world: a phone talks to the site of the server that
// serves its country, and a message to a user homed elsewhere is relayed from the sender's
// site to the recipient's. Hand-computed from the country routes: AR is homed on BR and JP on
// CN under `regional`, each on itself under `federated`; `direct` has sites without latency,
// so a message between two online phones takes their network path (LOC-006).
// Proves: LOC-012
TEST(LocalityWorld, EachDeploymentRoutesThroughItsServersSites) {
  const auto& c = locality::builtin_topology();
  const auto route = [&](const char* a, const char* b) {
    return c.path(*c.find(a), *c.find(b)).latency_us;
  };
  const NodeId ar = phone_node(0);
  const NodeId jp = phone_node(1);
  Scenario s;
  const Topology regional = placed("regional", R"(["AR", "JP"])", s);
  const std::uint64_t access = s.topology.access_link.latency_us;
  const std::uint64_t site = s.topology.region_link.latency_us;
  EXPECT_EQ(latency_of(regional, ar, kServerNode), access + route("AR", "BR") + site);
  EXPECT_EQ(latency_of(regional, kServerNode, jp), site + route("CN", "JP") + access);
  // Relayed: out of BR's site, BR -> CN, into and out of CN's site, CN -> JP.
  EXPECT_EQ(latency_of(regional, kServerNode, jp, ar),
            site + route("BR", "CN") + 2 * site + route("CN", "JP") + access);
  // The sender's own replies (and a packet the recipient asked for) leave from its home.
  EXPECT_EQ(latency_of(regional, kServerNode, jp, jp), latency_of(regional, kServerNode, jp));

  const Topology federated = placed("federated", R"(["AR", "JP"])", s);
  EXPECT_EQ(latency_of(federated, ar, kServerNode), access + site);
  EXPECT_EQ(latency_of(federated, kServerNode, jp, ar), 3 * site + route("AR", "JP") + access);

  const Topology direct = placed("direct", R"(["AR", "JP"])", s);
  EXPECT_EQ(latency_of(direct, ar, kServerNode) + latency_of(direct, kServerNode, jp, ar),
            access + route("AR", "JP") + access);

  // Two users in one region share its server: nothing is relayed.
  const Topology europe = placed("regional", R"(["FR", "SE"])", s);
  EXPECT_EQ(latency_of(europe, kServerNode, phone_node(1), phone_node(0)),
            latency_of(europe, kServerNode, phone_node(1)));
  EXPECT_EQ(latency_of(europe, phone_node(0), kServerNode), access + route("FR", "DE") + site);
}

// A run under each deployment holds every invariant, and its delivery latency follows where
// the servers are: users in Germany and France reach each other faster through their own
// countries' servers (federated, direct) or Europe's (regional) than through one in the U.S.
// Proves: LOC-012, LOC-013
TEST(LocalityWorld, EveryDeploymentRunsAndServersNearTheUsersDeliverSooner) {
  const auto run = [](const std::string& deployment) {
    const Result<Scenario> s = parse_scenario(R"({"phones": 8, "locality": {"deployment": ")" +
                                                  deployment + R"(", "countries": ["DE", "FR"]}})",
                                              "t.json");
    EXPECT_TRUE(s.ok());
    World world(*s, 3);
    return world.run();
  };
  const Report us = run("central:US");
  ASSERT_TRUE(us.pass);
  ASSERT_GT(us.latency.count, 0U);
  for (const char* near : {"regional", "federated", "direct", "central:DE"}) {
    const Report r = run(near);
    EXPECT_TRUE(r.pass) << near;
    EXPECT_GT(r.latency.count, 0U) << near;
    EXPECT_LT(r.latency.p50_ms, us.latency.p50_ms) << near;
    ASSERT_TRUE(r.locality.has_value()) << near;
    EXPECT_EQ(r.locality->deployment, near);
    EXPECT_EQ(r.locality->leaving, 0U) << near;
  }
  // Direct skips the servers' links that federation crosses on the way.
  EXPECT_LT(run("direct").latency.p50_ms, run("federated").latency.p50_ms);
}

// The shipped examples load and cover every deployment (SCHEMA.md points designers at them).
// Proves: LOC-012
TEST(LocalityWorld, ShippedScenariosLoadAndCoverEveryDeployment) {
  std::set<locality::DeploymentKind> kinds;
  const std::string dir = std::string(SPMC_SOURCE_DIR) + "/simulator/locality/scenarios";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const Result<Scenario> s = load_scenario(entry.path().string());
    ASSERT_TRUE(s.ok()) << s.error().detail;
    ASSERT_TRUE(s->locality.has_value()) << entry.path();
    kinds.insert(country_placement(*s)->deployment.kind);
  }
  EXPECT_EQ(kinds.size(), 4U);
}

}  // namespace
}  // namespace spmc::sim
