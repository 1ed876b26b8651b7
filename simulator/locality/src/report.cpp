// The two tables (LOC-007, LOC-008) and the latency summary of a deployment.
#include "spmc/locality/report.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace spmc::locality {

namespace {

// The scopes of the tables: every region with a study pair, each followed by its subregions
// (names sorted, so the order does not depend on the file's), then "all" pairs for Table 3.
struct Scope {
  std::string name;
  std::string level;
};

std::vector<Scope> scopes(const Topology& topology) {
  std::map<std::string, std::set<std::string>> regions;
  for (const CountryIndex c : topology.study()) {
    regions[topology.countries()[c].region].insert(topology.countries()[c].subregion);
  }
  std::vector<Scope> out;
  for (const auto& [region, subregions] : regions) {
    out.push_back({region, "region"});
    for (const std::string& sub : subregions) {
      out.push_back({sub, "subregion"});
    }
  }
  return out;
}

bool in_scope(const Country& c, const Scope& scope) {
  if (scope.level == "all") {
    return true;
  }
  return (scope.level == "region" ? c.region : c.subregion) == scope.name;
}

// LOC-007: a path leaves the scope when any country on it lies outside the scope.
bool leaves(const Topology& topology, const std::vector<CountryIndex>& path, const Scope& scope) {
  return std::any_of(path.begin(), path.end(),
                     [&](CountryIndex c) { return !in_scope(topology.countries()[c], scope); });
}

// LOC-008: a group can access a path when any country on it, ends and servers included, is a
// member.
bool accessible(const Topology& topology, const std::vector<CountryIndex>& path,
                std::size_t group) {
  return std::any_of(path.begin(), path.end(),
                     [&](CountryIndex c) { return topology.member(group, c); });
}

LatencyStats stats(std::vector<std::uint64_t> values) {
  LatencyStats s;
  if (values.empty()) {
    return s;
  }
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  s.median_us = values[(n - 1) / 2];
  s.p90_us = values[(9 * n + 9) / 10 - 1];  // the ceil(0.9 n)-th smallest
  s.max_us = values.back();
  return s;
}

}  // namespace

std::string percent(std::uint32_t count, std::uint32_t total) {
  if (total == 0) {
    return "-";
  }
  const std::uint64_t p = (200ULL * count + total) / (2ULL * total);
  return std::to_string(p) + "%";
}

std::string milliseconds(std::uint64_t us) {
  const std::uint64_t tenths = (us + 50) / 100;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

LocalityReport analyse(const Topology& topology, const Deployment& deployment) {
  LocalityReport report;
  report.deployment = deployment;
  const auto& study = topology.study();
  std::vector<std::uint64_t> network_latency;
  std::vector<std::uint64_t> application_latency;
  for (std::size_t i = 0; i < study.size(); ++i) {
    for (std::size_t j = i; j < study.size(); ++j) {
      PairPaths p{study[i], study[j], topology.path(study[i], study[j]),
                  application_path(topology, deployment, study[i], study[j])};
      network_latency.push_back(p.network.latency_us);
      application_latency.push_back(p.application.latency_us);
      report.pairs.push_back(std::move(p));
    }
  }
  report.network_latency = stats(std::move(network_latency));
  report.application_latency = stats(std::move(application_latency));

  std::vector<Scope> all = scopes(topology);
  for (const Scope& scope : all) {
    Row row{scope.name, scope.level, 0, 0, 0, 0};
    for (const PairPaths& p : report.pairs) {
      if (!in_scope(topology.countries()[p.a], scope) ||
          !in_scope(topology.countries()[p.b], scope)) {
        continue;
      }
      ++row.pairs;
      row.network += leaves(topology, p.network.countries, scope) ? 1 : 0;
      row.application += leaves(topology, p.application.countries, scope) ? 1 : 0;
    }
    report.leaving.push_back(row);
  }
  all.push_back({"all pairs", "all"});
  for (const Scope& scope : all) {
    for (std::size_t g = 0; g < topology.groups().size(); ++g) {
      Row row{scope.name, scope.level, g, 0, 0, 0};
      for (const PairPaths& p : report.pairs) {
        if (!in_scope(topology.countries()[p.a], scope) ||
            !in_scope(topology.countries()[p.b], scope)) {
          continue;
        }
        ++row.pairs;
        row.network += accessible(topology, p.network.countries, g) ? 1 : 0;
        row.application += accessible(topology, p.application.countries, g) ? 1 : 0;
      }
      report.access.push_back(row);
    }
  }
  return report;
}

}  // namespace spmc::locality
