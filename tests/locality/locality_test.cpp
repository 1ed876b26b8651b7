// The locality library (spec/locality.md): routes, deployments and the two tables on small
// topologies whose answers are worked out by hand, and on the shipped topology the counts the
// study's text gives.
#include <gtest/gtest.h>

#include <string>

#include "spmc/locality/report.hpp"
#include "spmc/locality/topology.hpp"

namespace spmc::locality {
namespace {

// A line X1 - X2 - Y1 - Y2 along the equator, one degree apart: X* in region "X", Y* in region
// "Y"; group "gx" is {X1}, group "gy" is {Y2}. Every country is a study endpoint.
std::string line_topology() {
  return R"({"format": "spmc-locality-topology/1", "as_of": "2026-01-01",
 "model": {"route_factor_permille": 1000, "fibre_km_per_s": 200000, "per_link_us": 0},
 "groups": [{"id": "gx", "name": "GX", "members": ["XA"]},
            {"id": "gy", "name": "GY", "members": ["YB"]}],
 "countries": [
  {"code": "XA", "name": "X1", "city": "x1", "lat": 0, "lon": 0, "region": "X", "subregion": "X south", "study": true},
  {"code": "XB", "name": "X2", "city": "x2", "lat": 0, "lon": 1, "region": "X", "subregion": "X south", "study": true},
  {"code": "YA", "name": "Y1", "city": "y1", "lat": 0, "lon": 2, "region": "Y", "subregion": "Y north", "study": true},
  {"code": "YB", "name": "Y2", "city": "y2", "lat": 0, "lon": 3, "region": "Y", "subregion": "Y north", "study": true}],
 "links": [{"a": "XA", "b": "XB", "kind": "land"}, {"a": "XB", "b": "YA", "kind": "land"},
           {"a": "YA", "b": "YB", "kind": "sea", "via": "test cable"}]})";
}

Topology parse_ok(const std::string& text) {
  auto t = parse_topology(text, "t.json");
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().detail);
  return std::move(t.value());
}

const Row& row(const std::vector<Row>& rows, const std::string& scope, std::size_t group = 0) {
  for (const Row& r : rows) {
    if (r.scope == scope && r.group == group) {
      return r;
    }
  }
  ADD_FAILURE() << "no row " << scope;
  return rows.front();
}

LocalityReport run(const Topology& t, const std::string& deployment) {
  auto d = parse_deployment(deployment, t, "--deployment");
  EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().detail);
  return analyse(t, d.value());
}

// Proves: LOC-002
TEST(LocalityModel, LinkLatencyIsDistanceTimesRouteFactorOverFibreSpeedPlusPerLinkCost) {
  EXPECT_EQ(great_circle_km(0, 0, 0, 1), 111U);  // one degree of the equator, 111.19 km
  EXPECT_EQ(great_circle_km(51.51, -0.13, 40.71, -74.01), 5570U);  // London to New York
  // 1000 km * 1.5 at 204000 km/s = 7352.9 us, rounded to 7353, plus 500 per link.
  EXPECT_EQ(link_latency_us(LatencyModel{1500, 204'000, 500}, 1000), 7853U);
  EXPECT_EQ(link_latency_us(LatencyModel{1000, 200'000, 0}, 111), 555U);
}

// Proves: LOC-003
TEST(LocalityRoutes, ShortestRouteCrossesEveryCountryBetweenAndSumsItsLinks) {
  const Topology t = parse_ok(line_topology());
  const Path& p = t.path(*t.find("XA"), *t.find("YB"));
  ASSERT_EQ(p.countries.size(), 4U);
  EXPECT_EQ(t.countries()[p.countries[1]].code, "XB");
  EXPECT_EQ(t.countries()[p.countries[2]].code, "YA");
  EXPECT_EQ(p.latency_us, 3 * 555U);
  EXPECT_EQ(t.path(*t.find("YA"), *t.find("YA")).countries.size(), 1U);
  EXPECT_EQ(t.path(*t.find("YA"), *t.find("YA")).latency_us, 0U);
}

// Proves: LOC-003
TEST(LocalityRoutes, EqualRoutesGoThroughTheSmallerCodeWhateverTheFileOrder) {
  // A square: AA to DD via BB or via CC, both exactly as long (mirror images across the
  // equator). The route goes through BB, listed first or last.
  for (const bool bb_first : {true, false}) {
    const std::string bb =
        R"({"code": "BB", "name": "b", "city": "b", "lat": 1, "lon": 1, "region": "R", "subregion": "S", "study": false})";
    const std::string cc =
        R"({"code": "CC", "name": "c", "city": "c", "lat": -1, "lon": 1, "region": "R", "subregion": "S", "study": false})";
    const std::string text = std::string(R"({"format": "spmc-locality-topology/1", "as_of": "x",
 "model": {"route_factor_permille": 1500, "fibre_km_per_s": 204000, "per_link_us": 500},
 "groups": [], "countries": [
  {"code": "DD", "name": "d", "city": "d", "lat": 0, "lon": 2, "region": "R", "subregion": "S", "study": true},
  )") + (bb_first ? bb + ", " + cc : cc + ", " + bb) +
                             R"(,
  {"code": "AA", "name": "a", "city": "a", "lat": 0, "lon": 0, "region": "R", "subregion": "S", "study": true}],
 "links": [{"a": "AA", "b": "CC", "kind": "land"}, {"a": "CC", "b": "DD", "kind": "land"},
           {"a": "AA", "b": "BB", "kind": "land"}, {"a": "BB", "b": "DD", "kind": "land"}]})";
    const Topology t = parse_ok(text);
    const Path& p = t.path(*t.find("AA"), *t.find("DD"));
    ASSERT_EQ(p.countries.size(), 3U);
    EXPECT_EQ(t.countries()[p.countries[1]].code, "BB");
  }
}

// Proves: LOC-007, LOC-008
TEST(LocalityTables, MovingTheCentralServerMovesExactlyTheHandCountedExposure) {
  const Topology t = parse_ok(line_topology());
  // Network paths: region pairs (XA-XA, XA-XB, XB-XB; likewise Y) never leave their region;
  // gx = {XA} sees the 4 pairs with an end in XA, gy the 4 with an end in YB.
  const LocalityReport at_x = run(t, "central:XA");
  EXPECT_EQ(row(at_x.leaving, "X").pairs, 3U);
  EXPECT_EQ(row(at_x.leaving, "X").network, 0U);
  EXPECT_EQ(row(at_x.leaving, "Y").network, 0U);
  EXPECT_EQ(row(at_x.access, "all pairs", 0).pairs, 10U);
  EXPECT_EQ(row(at_x.access, "all pairs", 0).network, 4U);
  EXPECT_EQ(row(at_x.access, "all pairs", 1).network, 4U);
  // Server in XA: every Y pair travels to XA and back (3 of 3 leave Y), no X pair leaves X;
  // gx sees all 10 pairs, gy still only the 4 with an end in YB.
  EXPECT_EQ(row(at_x.leaving, "X").application, 0U);
  EXPECT_EQ(row(at_x.leaving, "Y").application, 3U);
  EXPECT_EQ(row(at_x.access, "all pairs", 0).application, 10U);
  EXPECT_EQ(row(at_x.access, "all pairs", 1).application, 4U);
  EXPECT_EQ(row(at_x.access, "Y", 0).application, 3U);
  // Server moved to YB: the mirror image.
  const LocalityReport at_y = run(t, "central:YB");
  EXPECT_EQ(row(at_y.leaving, "X").application, 3U);
  EXPECT_EQ(row(at_y.leaving, "Y").application, 0U);
  EXPECT_EQ(row(at_y.access, "all pairs", 0).application, 4U);
  EXPECT_EQ(row(at_y.access, "all pairs", 1).application, 10U);
  EXPECT_EQ(row(at_y.access, "X", 1).application, 3U);
  // Server in XB: X pairs stay home; Y pairs leave; only pairs ending in XA reach gx.
  const LocalityReport at_xb = run(t, "central:XB");
  EXPECT_EQ(row(at_xb.leaving, "Y").application, 3U);
  EXPECT_EQ(row(at_xb.access, "all pairs", 0).application, 4U);
}

// Proves: LOC-005, LOC-006
TEST(LocalityDeployments, RegionalServersRelayBetweenRegionsAndKeepRegionalTrafficHome) {
  const Topology t = parse_ok(line_topology());
  const LocalityReport r = run(t, "regional");
  // Both candidates of each region cost the same (one link to the other and back): the
  // smaller code wins, so X is served from XA and Y from YA.
  ASSERT_EQ(r.deployment.regional.size(), 2U);
  EXPECT_EQ(t.countries()[r.deployment.regional[0].second].code, "XA");
  EXPECT_EQ(t.countries()[r.deployment.regional[1].second].code, "YA");
  EXPECT_EQ(row(r.leaving, "X").application, 0U);
  EXPECT_EQ(row(r.leaving, "Y").application, 0U);
  // XB to YB: XB -> XA (its server) -> YA (relay) -> YB.
  const ApplicationPath p = application_path(t, r.deployment, *t.find("XB"), *t.find("YB"));
  ASSERT_EQ(p.countries.size(), 5U);
  EXPECT_EQ(t.countries()[p.countries[1]].code, "XA");
  EXPECT_EQ(p.servers.size(), 2U);
  EXPECT_EQ(p.latency_us, 4 * 555U);  // XB-XA, XA-XB, XB-YA, YA-YB
}

// Proves: LOC-006
TEST(LocalityDeployments, FederatedAndDirectApplicationPathsAreTheNetworkPaths) {
  const Topology& t = builtin_topology();
  for (const char* name : {"federated", "direct"}) {
    const LocalityReport r = run(t, name);
    for (const PairPaths& p : r.pairs) {
      EXPECT_EQ(p.application.countries, p.network.countries) << name;
      EXPECT_EQ(p.application.latency_us, p.network.latency_us) << name;
    }
  }
}

// Proves: LOC-010
TEST(LocalityStudy, ShippedTopologyGivesTheStudysMeasurementCountsPerRegion) {
  const Topology& t = builtin_topology();
  EXPECT_EQ(t.study().size(), 28U);
  const LocalityReport r = run(t, "central:US");
  // n(n+1)/2 pairs, the country with itself included: 406 in all, as the study's Sec. 5.
  EXPECT_EQ(r.pairs.size(), 406U);
  EXPECT_EQ(row(r.leaving, "Europe").pairs, 120U);  // 15 countries
  EXPECT_EQ(row(r.leaving, "Asia").pairs, 28U);     // 7
  EXPECT_EQ(row(r.leaving, "Americas").pairs, 10U);
  EXPECT_EQ(row(r.leaving, "Oceania").pairs, 3U);
  EXPECT_EQ(row(r.leaving, "South America").pairs, 3U);
  EXPECT_EQ(row(r.leaving, "Northern America").pairs, 3U);
  // Israel reaches the rest of Asia only through Europe: its 6 pairs leave Asia (6/28, 21%).
  EXPECT_EQ(row(r.leaving, "Asia").network, 6U);
}

// Proves: LOC-011
TEST(LocalityStudy, CentralServerInTheUsReproducesTheStudysApplicationPathFindings) {
  const Topology& t = builtin_topology();
  const LocalityReport us = run(t, "central:US");
  // (b) Asian traffic through a U.S. server leaves Asia and is 5 Eyes accessible;
  // (c) so is South America's internal traffic.
  EXPECT_EQ(row(us.leaving, "Asia").application, 28U);
  EXPECT_EQ(row(us.leaving, "South America").application, 3U);
  EXPECT_EQ(row(us.access, "Asia", 0).application, 28U);
  EXPECT_EQ(row(us.access, "South America", 0).application, 3U);
  // (d) a Swiss server keeps Europe's traffic in Europe and cuts 5 Eyes access against a U.S.
  // one.
  const LocalityReport ch = run(t, "central:CH");
  EXPECT_EQ(row(ch.leaving, "Europe").application, 0U);
  EXPECT_LT(row(ch.access, "Europe", 0).application, row(us.access, "Europe", 0).application);
  // ... and below the network path: routes that cross the U.K. go through Switzerland.
  EXPECT_LT(row(ch.access, "Europe", 0).application, row(ch.access, "Europe", 0).network);
  // Switzerland's internal traffic stays in Switzerland: no EU member sees CH-CH.
  for (const PairPaths& p : ch.pairs) {
    if (t.countries()[p.a].code == "CH" && t.countries()[p.b].code == "CH") {
      EXPECT_EQ(p.application.countries.size(), 1U);
    }
  }
}

// Proves: LOC-009
TEST(LocalityOutput, SameTopologyAndDeploymentGiveTheSameBytes) {
  for (const char* name : {"central:US", "central:CH", "regional", "federated", "direct"}) {
    const Topology a = parse_ok(std::string(builtin_topology_json()));
    const Topology b = parse_ok(std::string(builtin_topology_json()));
    const LocalityReport ra = run(a, name);
    const LocalityReport rb = run(b, name);
    EXPECT_EQ(render_text(a, ra, true), render_text(b, rb, true)) << name;
    EXPECT_EQ(report_json(a, ra).dump(), report_json(b, rb).dump()) << name;
    EXPECT_EQ(render_svg(a, ra), render_svg(b, rb)) << name;
  }
  // The deployment changes the output (the renderings are not constant).
  const Topology& t = builtin_topology();
  EXPECT_NE(render_text(t, run(t, "central:US"), false),
            render_text(t, run(t, "central:CH"), false));
}

TEST(LocalityOutput, SharesAreRoundedHalfUpLikeTheStudys) {
  EXPECT_EQ(percent(86, 120), "72%");
  EXPECT_EQ(percent(6, 28), "21%");
  EXPECT_EQ(percent(10, 28), "36%");
  EXPECT_EQ(percent(1, 3), "33%");
  EXPECT_EQ(percent(1, 8), "13%");  // 12.5 rounds up
  EXPECT_EQ(percent(0, 0), "-");
  EXPECT_EQ(milliseconds(12'349), "12.3");
  EXPECT_EQ(milliseconds(12'350), "12.4");
}

}  // namespace
}  // namespace spmc::locality
