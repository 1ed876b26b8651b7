// Bad topology files and deployment names: each is one typed error naming the file, the field
// and the reason (LOC-001), never a crash.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "spmc/locality/report.hpp"
#include "spmc/locality/topology.hpp"

namespace spmc::locality {
namespace {

const std::string kGood = R"({"format": "spmc-locality-topology/1", "as_of": "2026-01-01",
 "model": {"route_factor_permille": 1000, "fibre_km_per_s": 200000, "per_link_us": 0},
 "groups": [{"id": "gx", "name": "GX", "members": ["XA"]}],
 "countries": [
  {"code": "XA", "name": "X1", "city": "x1", "lat": 0, "lon": 0, "region": "X", "subregion": "XS", "study": true},
  {"code": "YA", "name": "Y1", "city": "y1", "lat": 0, "lon": 2, "region": "Y", "subregion": "YS", "study": true}],
 "links": [{"a": "XA", "b": "YA", "kind": "land"}]})";

std::string replaced(const std::string& from, const std::string& to) {
  std::string s = kGood;
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? s : s.replace(at, from.size(), to);
}

// Proves: LOC-001
TEST(LocalityInput, EveryBadFieldIsOneErrorNamingFileFieldAndReason) {
  ASSERT_TRUE(parse_topology(kGood, "t.json").ok());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{", "t.json: (file): not valid JSON"},
      {"[]", "t.json: (root): must be an object"},
      {replaced("topology/1", "topology/2"),
       "t.json: format: must be \"spmc-locality-topology/1\""},
      {replaced("\"as_of\": \"2026-01-01\",", ""), "t.json: as_of: missing"},
      {replaced("\"as_of\"", "\"as_off\": 1, \"as_of\""), "t.json: as_off: unknown field"},
      {replaced("\"per_link_us\": 0", "\"per_link_us\": -1"),
       "t.json: model.per_link_us: must be a non-negative integer"},
      {replaced("\"fibre_km_per_s\": 200000", "\"fibre_km_per_s\": 400000"),
       "t.json: model.fibre_km_per_s: must be in 1000..299792"},
      {replaced("\"code\": \"YA\"", "\"code\": \"XA\""),
       "t.json: countries[1].code: 'XA' appears twice"},
      {replaced("\"code\": \"YA\"", "\"code\": \"ya\""),
       "t.json: countries[1].code: must be two capital letters (ISO 3166-1 alpha-2)"},
      {replaced("\"lat\": 0, \"lon\": 2", "\"lat\": 91, \"lon\": 2"),
       "t.json: countries[1].lat: must be a number in -90..90"},
      {replaced("\"lon\": 2", "\"lon\": \"2\""), "t.json: countries[1].lon: must be a number"},
      {replaced("\"study\": true}]", "\"study\": 1}]"),
       "t.json: countries[1].study: must be true or false"},
      {replaced("\"name\": \"Y1\"", "\"name\": \"\""), "t.json: countries[1].name: is empty"},
      {replaced("\"subregion\": \"YS\"", "\"subregion\": \"XS\""),
       "t.json: countries[1].subregion: 'XS' is in region 'X' elsewhere"},
      {replaced("\"b\": \"YA\"", "\"b\": \"ZZ\""), "t.json: links[0].b: unknown country 'ZZ'"},
      {replaced("\"b\": \"YA\"", "\"b\": \"XA\""),
       "t.json: links[0].b: a link needs two different countries"},
      {replaced("\"kind\": \"land\"}", "\"kind\": \"air\"}"),
       "t.json: links[0].kind: must be \"land\" or \"sea\""},
      {replaced("\"kind\": \"land\"}]",
                "\"kind\": \"land\"}, {\"a\": \"YA\", \"b\": \"XA\", \"kind\": \"sea\"}]"),
       "t.json: links[1]: links YA and XA twice"},
      {replaced("[{\"a\": \"XA\", \"b\": \"YA\", \"kind\": \"land\"}]", "[]"),
       "t.json: links: no route from XA to YA"},
      {replaced("\"members\": [\"XA\"]", "\"members\": [\"QQ\"]"),
       "t.json: groups[0].members[0]: unknown country 'QQ'"},
      {replaced("\"members\": [\"XA\"]", "\"members\": [\"XA\", \"XA\"]"),
       "t.json: groups[0].members[1]: 'XA' listed twice"},
      {replaced("\"id\": \"gx\"", "\"id\": \"G X\""),
       "t.json: groups[0].id: must be lower-case letters, digits and '_'"},
      {replaced("\"study\": true}]", "\"study\": false}]")
           .replace(kGood.find("\"study\": true"), 13, "\"study\": false"),
       "t.json: countries: no country has \"study\": true"},
      {replaced("\"as_of\": \"2026-01-01\"", "\"as_of\": \"a\", \"as_of\": \"b\""),
       "t.json: (file): key 'as_of' repeated in one object"},
      {replaced("\"as_of\": \"2026-01-01\"", std::string("\"as_of\": \"a\0b\"", 14)),
       "t.json: (file): holds a NUL byte"},
      {replaced("\"as_of\": \"2026-01-01\"", "\"as_of\": [[[[[[[[[[1]]]]]]]]]]"),
       "t.json: (file): nested deeper than 8"},
      {std::string(100'000, '[') + std::string(100'000, ']'),
       "t.json: (file): nested deeper than 8"},
      {replaced("\"lat\": 0, \"lon\": 2", "\"lat\": 1e999, \"lon\": 2"),
       "t.json: (file): not valid JSON"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(message);
    const auto r = parse_topology(text, "t.json");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kBadValue);
    EXPECT_EQ(r.error().detail, message);
  }
}

// Proves: LOC-001
TEST(LocalityInput, OversizedFileIsRefusedBeforeParsing) {
  const std::string big(kMaxTopologyBytes + 1, ' ');
  const auto r = parse_topology(big, "big.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().detail, "big.json: (file): larger than 1048576 bytes");
}

// Proves: LOC-005
TEST(LocalityInput, UnknownDeploymentOrServerCountryIsATypedError) {
  const Topology& t = builtin_topology();
  const auto bad = parse_deployment("centrl:US", t, "--deployment");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().detail,
            "--deployment: unknown deployment 'centrl:US' (one of: central:CC, regional, "
            "federated or direct)");
  const auto country = parse_deployment("central:XX", t, "--deployment");
  ASSERT_FALSE(country.ok());
  EXPECT_EQ(country.error().detail.rfind("--deployment: unknown country 'XX'", 0), 0U);
  EXPECT_TRUE(parse_deployment("central:CH", t, "--deployment").ok());
}

// Proves: LOC-004
TEST(LocalityInput, ShippedTopologyLoadsWithItsStatedGroupsAndRegions) {
  const Topology& t = builtin_topology();
  EXPECT_EQ(t.as_of(), "2015-10-01");
  ASSERT_EQ(t.groups().size(), 5U);
  EXPECT_EQ(t.groups()[0].id, "five_eyes");
  EXPECT_EQ(t.groups()[0].members.size(), 5U);  // Australia included (see the README)
  EXPECT_TRUE(t.member(1, *t.find("GB")));      // the EU of 2015 still had the U.K.
  EXPECT_FALSE(t.member(1, *t.find("CH")));
  EXPECT_FALSE(t.member(1, *t.find("NO")));
}

}  // namespace
}  // namespace spmc::locality
