#pragma once
// A country-level Internet topology as data (spec/locality.md, LOC-001..LOC-004): countries
// with their UN geoscheme region and subregion and a coordinate, the interest groups that may
// read what crosses a member, and undirected links whose latency follows a stated fibre model.
// Routes are Boost.Graph shortest paths with one documented tie-break, so the same file gives
// the same paths on every machine. The built-in file is simulator/locality/data/countries.json,
// compiled in; `parse_topology` reads any other file of the same format.
//
// Errors are one line, "<source>: <field path>: <reason>", e.g.
//   mine.json: links[3].b: unknown country 'XX'
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spmc/result.hpp"

namespace spmc::locality {

using CountryIndex = std::size_t;

// Bounds on what a topology file may hold; larger files are refused, not read.
inline constexpr std::size_t kMaxTopologyBytes = 1U << 20U;
inline constexpr std::size_t kMaxCountries = 300;
inline constexpr std::size_t kMaxLinks = 3000;
inline constexpr std::size_t kMaxGroups = 32;
inline constexpr std::size_t kMaxNameBytes = 64;

// LOC-002: a link's latency is the great-circle distance between its two countries'
// coordinates, times route_factor_permille / 1000 (cables do not run on great circles), over
// the speed of light in fibre, plus per_link_us for the routers and exchanges at each crossing.
struct LatencyModel {
  std::uint32_t route_factor_permille = 1500;
  std::uint32_t fibre_km_per_s = 204'000;
  std::uint32_t per_link_us = 500;
};

struct Country {
  std::string code;  // ISO 3166-1 alpha-2
  std::string name;
  std::string city;  // where the coordinate is
  double lat = 0;
  double lon = 0;
  std::string region;     // UN geoscheme region ("Europe")
  std::string subregion;  // UN geoscheme subregion ("Western Europe")
  bool study = false;     // an endpoint of the tables; false: transit only
};

struct Link {
  CountryIndex a = 0;
  CountryIndex b = 0;
  std::string kind;  // "land" or "sea"
  std::string via;   // the cable systems it stands for ("" for land links)
  std::uint64_t distance_km = 0;
  std::uint64_t latency_us = 0;
};

struct Group {
  std::string id;    // "five_eyes"
  std::string name;  // "5 Eyes"
  std::vector<CountryIndex> members;
};

// A route between two countries: every country it crosses, both ends included (a route from
// a country to itself is that one country), and its latency.
struct Path {
  std::vector<CountryIndex> countries;
  std::uint64_t latency_us = 0;
};

class Topology {
 public:
  const std::string& as_of() const { return m_as_of; }
  const LatencyModel& model() const { return m_model; }
  const std::vector<Country>& countries() const { return m_countries; }
  const std::vector<Link>& links() const { return m_links; }
  const std::vector<Group>& groups() const { return m_groups; }
  // The study countries (the tables' endpoints), in file order.
  const std::vector<CountryIndex>& study() const { return m_study; }

  std::optional<CountryIndex> find(std::string_view code) const;
  bool member(std::size_t group, CountryIndex country) const;
  // LOC-003: the lowest-latency route; among equal latencies the fewest links; among those
  // the route whose countries, read from `to` back to `from`, have the smallest codes.
  const Path& path(CountryIndex from, CountryIndex to) const;

 private:
  friend Result<Topology> parse_topology(std::string_view, std::string_view);
  void compute_paths();

  std::string m_as_of;
  LatencyModel m_model;
  std::vector<Country> m_countries;
  std::vector<Link> m_links;
  std::vector<Group> m_groups;
  std::vector<CountryIndex> m_study;
  std::vector<std::vector<bool>> m_member;  // [group][country]
  std::vector<Path> m_paths;                // [from * n + to]
};

// LOC-001: reads and validates a topology file; `source` names it in errors.
Result<Topology> parse_topology(std::string_view json_text, std::string_view source);

// The compiled-in simulator/locality/data/countries.json.
const Topology& builtin_topology();
std::string_view builtin_topology_json();

// Great-circle distance in whole kilometres (haversine, mean Earth radius 6371 km) and the
// latency LatencyModel gives a link of that length.
std::uint64_t great_circle_km(double lat_a, double lon_a, double lat_b, double lon_b);
std::uint64_t link_latency_us(const LatencyModel& model, std::uint64_t distance_km);

}  // namespace spmc::locality
