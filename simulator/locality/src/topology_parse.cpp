// Reading and validating a topology file (LOC-001). Every field is checked for presence, type
// and range, and every cross-reference (a link's countries, a group's members) for existence,
// before any route is computed, so a bad file is one error line and never a crash.
#include <cmath>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spmc/locality/topology.hpp"

namespace spmc::locality {

namespace {

using Json = nlohmann::json;

constexpr std::string_view kFormat = "spmc-locality-topology/1";
// No field of the format nests deeper than 3; a deeper file is refused.
constexpr std::size_t kMaxDepth = 8;

class Reader {
 public:
  explicit Reader(std::string_view source) : m_source(source) {}

  Error fail(const std::string& field, const std::string& reason) const {
    return Error{ErrorCode::kBadValue, m_source + ": " + field + ": " + reason};
  }

  // Refuses keys the format does not define, so a misspelt optional field is not ignored.
  Result<bool> only_keys(const Json& object, const std::string& field,
                         const std::set<std::string>& allowed) const {
    for (const auto& [key, value] : object.items()) {
      if (allowed.count(key) == 0) {
        return fail(field.empty() ? key : field + "." + key, "unknown field");
      }
    }
    return true;
  }

  Result<const Json*> member(const Json& object, const std::string& field, const std::string& key,
                             Json::value_t type) const {
    const std::string path = field.empty() ? key : field + "." + key;
    const auto it = object.find(key);
    if (it == object.end()) {
      return fail(path, "missing");
    }
    const bool number_ok = type == Json::value_t::number_float && it->is_number();
    const bool unsigned_ok = type == Json::value_t::number_unsigned && it->is_number_unsigned();
    if (it->type() != type && !number_ok && !unsigned_ok) {
      return fail(path, std::string("must be ") + type_name(type));
    }
    return &*it;
  }

  Result<std::string> text(const Json& object, const std::string& field, const std::string& key,
                           bool may_be_empty = false) const {
    auto value = member(object, field, key, Json::value_t::string);
    if (!value) {
      return value.error();
    }
    std::string s = value.value()->get<std::string>();
    const std::string path = field.empty() ? key : field + "." + key;
    if (s.empty() && !may_be_empty) {
      return fail(path, "is empty");
    }
    if (s.size() > kMaxNameBytes) {
      return fail(path, "longer than " + std::to_string(kMaxNameBytes) + " bytes");
    }
    for (const char c : s) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        return fail(path, "holds a control character");
      }
    }
    return s;
  }

  Result<std::uint32_t> u32(const Json& object, const std::string& field, const std::string& key,
                            std::uint32_t lo, std::uint32_t hi) const {
    auto value = member(object, field, key, Json::value_t::number_unsigned);
    if (!value) {
      return value.error();
    }
    const auto v = value.value()->get<std::uint64_t>();
    if (v < lo || v > hi) {
      return fail(field + "." + key,
                  "must be in " + std::to_string(lo) + ".." + std::to_string(hi));
    }
    return static_cast<std::uint32_t>(v);
  }

  Result<double> degrees(const Json& object, const std::string& field, const std::string& key,
                         double limit) const {
    auto value = member(object, field, key, Json::value_t::number_float);
    if (!value) {
      return value.error();
    }
    const double v = value.value()->get<double>();
    if (!std::isfinite(v) || v < -limit || v > limit) {
      return fail(field + "." + key, "must be a number in -" + std::to_string(int(limit)) + ".." +
                                         std::to_string(int(limit)));
    }
    return v;
  }

 private:
  static const char* type_name(Json::value_t type) {
    switch (type) {
      case Json::value_t::string:
        return "a string";
      case Json::value_t::number_unsigned:
        return "a non-negative integer";
      case Json::value_t::number_float:
        return "a number";
      case Json::value_t::boolean:
        return "true or false";
      case Json::value_t::array:
        return "an array";
      case Json::value_t::object:
        return "an object";
      default:
        return "something else";
    }
  }

  std::string m_source;
};

bool valid_code(const std::string& code) {
  return code.size() == 2 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z';
}

bool valid_id(const std::string& id) {
  for (const char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return !id.empty();
}

// Parses with the library's callback watching for what its parser would silently accept: a
// key repeated in one object (the library keeps the last) and nesting far beyond the format.
Result<Json> parse_json(std::string_view text, const Reader& reader) {
  if (text.find('\0') != std::string_view::npos) {
    return reader.fail("(file)", "holds a NUL byte");
  }
  std::vector<std::set<std::string>> keys;
  std::string duplicate;
  bool too_deep = false;
  const auto watch = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (static_cast<std::size_t>(depth) > kMaxDepth) {
      too_deep = true;
    }
    if (event == Json::parse_event_t::object_start) {
      keys.emplace_back();
    } else if (event == Json::parse_event_t::object_end && !keys.empty()) {
      keys.pop_back();
    } else if (event == Json::parse_event_t::key && !keys.empty() &&
               !keys.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
      duplicate = parsed.get<std::string>();
    }
    return true;
  };
  Json doc = Json::parse(text.begin(), text.end(), watch, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return reader.fail("(file)", "not valid JSON");
  }
  if (too_deep) {
    return reader.fail("(file)", "nested deeper than " + std::to_string(kMaxDepth));
  }
  if (!duplicate.empty()) {
    return reader.fail("(file)", "key '" + duplicate + "' repeated in one object");
  }
  return doc;
}

}  // namespace

Result<Topology> parse_topology(std::string_view json_text, std::string_view source) {
  const Reader reader(source);
  if (json_text.size() > kMaxTopologyBytes) {
    return reader.fail("(file)", "larger than " + std::to_string(kMaxTopologyBytes) + " bytes");
  }
  SPMC_TRY(auto doc, parse_json(json_text, reader));
  if (!doc.is_object()) {
    return reader.fail("(root)", "must be an object");
  }
  SPMC_TRY_STATUS(
      reader.only_keys(doc, "", {"format", "as_of", "model", "groups", "countries", "links"}));
  SPMC_TRY(auto format, reader.text(doc, "", "format"));
  if (format != kFormat) {
    return reader.fail("format", "must be \"" + std::string(kFormat) + "\"");
  }
  Topology topo;
  SPMC_TRY(auto as_of, reader.text(doc, "", "as_of"));
  topo.m_as_of = as_of;

  SPMC_TRY(auto model, reader.member(doc, "", "model", Json::value_t::object));
  SPMC_TRY_STATUS(reader.only_keys(*model, "model",
                                   {"route_factor_permille", "fibre_km_per_s", "per_link_us"}));
  SPMC_TRY(auto factor, reader.u32(*model, "model", "route_factor_permille", 1000, 10'000));
  SPMC_TRY(auto speed, reader.u32(*model, "model", "fibre_km_per_s", 1'000, 299'792));
  SPMC_TRY(auto per_link, reader.u32(*model, "model", "per_link_us", 0, 1'000'000));
  topo.m_model = LatencyModel{factor, speed, per_link};

  SPMC_TRY(auto countries, reader.member(doc, "", "countries", Json::value_t::array));
  if (countries->empty() || countries->size() > kMaxCountries) {
    return reader.fail("countries", "must hold 1.." + std::to_string(kMaxCountries));
  }
  std::map<std::string, CountryIndex> index;
  for (std::size_t i = 0; i < countries->size(); ++i) {
    const Json& c = (*countries)[i];
    const std::string field = "countries[" + std::to_string(i) + "]";
    if (!c.is_object()) {
      return reader.fail(field, "must be an object");
    }
    SPMC_TRY_STATUS(reader.only_keys(
        c, field, {"code", "name", "city", "lat", "lon", "region", "subregion", "study"}));
    Country country;
    SPMC_TRY(auto code, reader.text(c, field, "code"));
    if (!valid_code(code)) {
      return reader.fail(field + ".code", "must be two capital letters (ISO 3166-1 alpha-2)");
    }
    if (index.count(code) != 0) {
      return reader.fail(field + ".code", "'" + code + "' appears twice");
    }
    country.code = code;
    SPMC_TRY(auto name, reader.text(c, field, "name"));
    SPMC_TRY(auto city, reader.text(c, field, "city"));
    SPMC_TRY(auto lat, reader.degrees(c, field, "lat", 90));
    SPMC_TRY(auto lon, reader.degrees(c, field, "lon", 180));
    SPMC_TRY(auto region, reader.text(c, field, "region"));
    SPMC_TRY(auto subregion, reader.text(c, field, "subregion"));
    SPMC_TRY(auto study, reader.member(c, field, "study", Json::value_t::boolean));
    country.name = name;
    country.city = city;
    country.lat = lat;
    country.lon = lon;
    country.region = region;
    country.subregion = subregion;
    country.study = study->get<bool>();
    index.emplace(code, i);
    if (country.study) {
      topo.m_study.push_back(i);
    }
    topo.m_countries.push_back(std::move(country));
  }
  if (topo.m_study.empty()) {
    return reader.fail("countries", "no country has \"study\": true");
  }
  // A subregion lies in one region: the tables nest one in the other.
  std::map<std::string, std::string> region_of;
  for (std::size_t i = 0; i < topo.m_countries.size(); ++i) {
    const Country& c = topo.m_countries[i];
    const auto [it, fresh] = region_of.emplace(c.subregion, c.region);
    if (!fresh && it->second != c.region) {
      return reader.fail("countries[" + std::to_string(i) + "].subregion",
                         "'" + c.subregion + "' is in region '" + it->second + "' elsewhere");
    }
  }
  const auto lookup = [&](const Json& object, const std::string& field,
                          const std::string& key) -> Result<CountryIndex> {
    auto code = reader.text(object, field, key);
    if (!code) {
      return code.error();
    }
    const auto it = index.find(code.value());
    if (it == index.end()) {
      return reader.fail(field + "." + key, "unknown country '" + code.value() + "'");
    }
    return it->second;
  };

  SPMC_TRY(auto links, reader.member(doc, "", "links", Json::value_t::array));
  if (links->size() > kMaxLinks) {
    return reader.fail("links", "more than " + std::to_string(kMaxLinks));
  }
  std::set<std::pair<CountryIndex, CountryIndex>> seen;
  for (std::size_t i = 0; i < links->size(); ++i) {
    const Json& l = (*links)[i];
    const std::string field = "links[" + std::to_string(i) + "]";
    if (!l.is_object()) {
      return reader.fail(field, "must be an object");
    }
    SPMC_TRY_STATUS(reader.only_keys(l, field, {"a", "b", "kind", "via"}));
    SPMC_TRY(auto a, lookup(l, field, "a"));
    SPMC_TRY(auto b, lookup(l, field, "b"));
    if (a == b) {
      return reader.fail(field + ".b", "a link needs two different countries");
    }
    if (!seen.emplace(std::min(a, b), std::max(a, b)).second) {
      return reader.fail(field, "links " + topo.m_countries[a].code + " and " +
                                    topo.m_countries[b].code + " twice");
    }
    SPMC_TRY(auto kind, reader.text(l, field, "kind"));
    if (kind != "land" && kind != "sea") {
      return reader.fail(field + ".kind", "must be \"land\" or \"sea\"");
    }
    std::string via;
    if (l.contains("via")) {
      SPMC_TRY(auto v, reader.text(l, field, "via"));
      via = v;
    }
    const Country& ca = topo.m_countries[a];
    const Country& cb = topo.m_countries[b];
    const std::uint64_t km = great_circle_km(ca.lat, ca.lon, cb.lat, cb.lon);
    topo.m_links.push_back(Link{a, b, kind, via, km, link_latency_us(topo.m_model, km)});
  }

  SPMC_TRY(auto groups, reader.member(doc, "", "groups", Json::value_t::array));
  if (groups->size() > kMaxGroups) {
    return reader.fail("groups", "more than " + std::to_string(kMaxGroups));
  }
  std::set<std::string> group_ids;
  for (std::size_t i = 0; i < groups->size(); ++i) {
    const Json& g = (*groups)[i];
    const std::string field = "groups[" + std::to_string(i) + "]";
    if (!g.is_object()) {
      return reader.fail(field, "must be an object");
    }
    SPMC_TRY_STATUS(reader.only_keys(g, field, {"id", "name", "members"}));
    SPMC_TRY(auto id, reader.text(g, field, "id"));
    if (!valid_id(id)) {
      return reader.fail(field + ".id", "must be lower-case letters, digits and '_'");
    }
    if (!group_ids.insert(id).second) {
      return reader.fail(field + ".id", "'" + id + "' appears twice");
    }
    SPMC_TRY(auto name, reader.text(g, field, "name"));
    SPMC_TRY(auto members, reader.member(g, field, "members", Json::value_t::array));
    Group group{id, name, {}};
    std::set<CountryIndex> unique;
    for (std::size_t m = 0; m < members->size(); ++m) {
      const std::string mfield = field + ".members[" + std::to_string(m) + "]";
      const Json& code = (*members)[m];
      if (!code.is_string()) {
        return reader.fail(mfield, "must be a string");
      }
      const auto it = index.find(code.get<std::string>());
      if (it == index.end()) {
        return reader.fail(mfield, "unknown country '" + code.get<std::string>() + "'");
      }
      if (!unique.insert(it->second).second) {
        return reader.fail(mfield, "'" + code.get<std::string>() + "' listed twice");
      }
      group.members.push_back(it->second);
    }
    topo.m_groups.push_back(std::move(group));
  }
  topo.m_member.assign(topo.m_groups.size(), std::vector<bool>(topo.m_countries.size(), false));
  for (std::size_t g = 0; g < topo.m_groups.size(); ++g) {
    for (const CountryIndex c : topo.m_groups[g].members) {
      topo.m_member[g][c] = true;
    }
  }
  topo.compute_paths();
  // Every country must be reachable (links are undirected, so from the first is enough): an
  // island would have no route for a phone placed in it or a server put there.
  for (CountryIndex c = 0; c < topo.m_countries.size(); ++c) {
    if (topo.path(0, c).countries.empty()) {
      return reader.fail(
          "links", "no route from " + topo.m_countries[0].code + " to " + topo.m_countries[c].code);
    }
  }
  return topo;
}

}  // namespace spmc::locality
