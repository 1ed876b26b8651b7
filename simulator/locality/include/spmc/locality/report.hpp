#pragma once
// Where a deployment's messages travel (spec/locality.md, LOC-005..LOC-009): for every pair of
// study countries the network path (the direct route) and the application path (through the
// servers that serve the two users), and the two tables of the study: traffic leaving its
// region (its Table 2) and paths an interest group can access (its Table 3).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spmc/locality/topology.hpp"
#include "spmc/result.hpp"

namespace spmc::locality {

// LOC-005.
enum class DeploymentKind { kCentral, kRegional, kFederated, kDirect };

struct Deployment {
  DeploymentKind kind = DeploymentKind::kCentral;
  CountryIndex central = 0;  // kCentral: the one server's country
  // kRegional: each region's server, by region name (sorted), chosen by regional_servers().
  std::vector<std::pair<std::string, CountryIndex>> regional;
};

// "central:US", "regional", "federated", "direct"; errors read "<source>: <reason>".
Result<Deployment> parse_deployment(std::string_view text, const Topology& topology,
                                    std::string_view source);
std::string deployment_name(const Deployment& deployment, const Topology& topology);

// LOC-005: the server of each region for `regional`: the study country of the region whose
// routes to and from the region's study countries have the smallest latency sum; ties go to
// the smaller code.
std::vector<std::pair<std::string, CountryIndex>> regional_servers(const Topology& topology);

// The server that holds `user`'s account, or nothing under `direct` (online delivery).
std::vector<CountryIndex> home_servers(const Topology& topology, const Deployment& deployment,
                                       CountryIndex user);

struct ApplicationPath {
  std::vector<CountryIndex> countries;  // every country crossed, servers and ends included
  std::vector<CountryIndex> servers;    // in the order the message reaches them
  std::uint64_t latency_us = 0;         // the legs' route latencies summed
};

// LOC-006: the message's route from a user in `from` to a user in `to`.
ApplicationPath application_path(const Topology& topology, const Deployment& deployment,
                                 CountryIndex from, CountryIndex to);

struct PairPaths {
  CountryIndex a = 0;
  CountryIndex b = 0;
  Path network;
  ApplicationPath application;
};

// One row of a table: the pairs with both ends in `scope` (a region, a subregion, or every
// pair for the "all" level) and how many of them the property holds for.
struct Row {
  std::string scope;
  std::string level;      // "region", "subregion" or "all"
  std::size_t group = 0;  // access rows: the index into Topology::groups()
  std::uint32_t pairs = 0;
  std::uint32_t network = 0;
  std::uint32_t application = 0;
};

struct LatencyStats {
  std::uint64_t median_us = 0;
  std::uint64_t p90_us = 0;
  std::uint64_t max_us = 0;
};

struct LocalityReport {
  Deployment deployment;
  std::vector<PairPaths> pairs;  // study[i] with study[j], i <= j
  std::vector<Row> leaving;      // LOC-007 (Table 2): rows by region, then subregion
  std::vector<Row> access;       // LOC-008 (Table 3): per scope, one row per group
  LatencyStats network_latency;
  LatencyStats application_latency;
};

LocalityReport analyse(const Topology& topology, const Deployment& deployment);

// "72%": count * 100 / total rounded half up, as the study prints its shares.
std::string percent(std::uint32_t count, std::uint32_t total);
// "12.3": microseconds as milliseconds rounded half up to a tenth.
std::string milliseconds(std::uint64_t us);

// LOC-009: deterministic renderings (same topology and deployment, same bytes).
std::string render_text(const Topology& topology, const LocalityReport& report, bool pairs);
nlohmann::ordered_json report_json(const Topology& topology, const LocalityReport& report);
std::string render_svg(const Topology& topology, const LocalityReport& report);

}  // namespace spmc::locality
