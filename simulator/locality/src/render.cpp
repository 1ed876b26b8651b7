// Text and JSON renderings of a locality report (LOC-009): integers and fixed-rule decimals
// only, rows in the report's order, so the same input gives the same bytes.
#include <cstdarg>
#include <cstdio>
#include <set>
#include <string>

#include "spmc/locality/report.hpp"

namespace spmc::locality {

namespace {

using OrderedJson = nlohmann::ordered_json;

__attribute__((format(printf, 1, 2))) std::string line(const char* format, ...) {
  char buffer[256];
  va_list args;
  va_start(args, format);
  const int n = std::vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  SPMC_CHECK(n >= 0 && static_cast<std::size_t>(n) < sizeof buffer);
  return std::string(buffer, static_cast<std::size_t>(n));
}

std::string codes(const Topology& topology, const std::vector<CountryIndex>& path,
                  const char* separator) {
  std::string out;
  for (const CountryIndex c : path) {
    out += (out.empty() ? "" : separator) + topology.countries()[c].code;
  }
  return out;
}

std::vector<CountryIndex> servers_of(const Topology& topology, const Deployment& d) {
  std::vector<CountryIndex> out;
  if (d.kind == DeploymentKind::kCentral) {
    out.push_back(d.central);
  } else if (d.kind == DeploymentKind::kRegional) {
    for (const auto& [region, server] : d.regional) {
      out.push_back(server);
    }
  } else if (d.kind == DeploymentKind::kFederated) {
    out = topology.study();
  }
  return out;
}

std::string servers_text(const Topology& topology, const Deployment& d) {
  switch (d.kind) {
    case DeploymentKind::kCentral:
      return topology.countries()[d.central].code;
    case DeploymentKind::kRegional: {
      std::string out;
      for (const auto& [region, server] : d.regional) {
        out += (out.empty() ? "" : ", ") + region + " " + topology.countries()[server].code;
      }
      return out;
    }
    case DeploymentKind::kFederated:
      return "one in each user's country; server-to-server relay";
    case DeploymentKind::kDirect:
      return "none on the path (phone to phone while both are online; LOC-005)";
  }
  return "";
}

OrderedJson path_json(const Topology& topology, const std::vector<CountryIndex>& path,
                      std::uint64_t latency_us) {
  OrderedJson countries = OrderedJson::array();
  std::set<std::string> regions;
  for (const CountryIndex c : path) {
    countries.push_back(topology.countries()[c].code);
    regions.insert(topology.countries()[c].region);
  }
  OrderedJson groups = OrderedJson::array();
  for (std::size_t g = 0; g < topology.groups().size(); ++g) {
    for (const CountryIndex c : path) {
      if (topology.member(g, c)) {
        groups.push_back(topology.groups()[g].id);
        break;
      }
    }
  }
  return OrderedJson{{"countries", countries},
                     {"latency_us", latency_us},
                     {"regions", regions},
                     {"groups", groups}};
}

OrderedJson latency_json(const LatencyStats& s) {
  return OrderedJson{{"median_us", s.median_us}, {"p90_us", s.p90_us}, {"max_us", s.max_us}};
}

}  // namespace

std::string render_text(const Topology& topology, const LocalityReport& report, bool pairs) {
  const std::string name = deployment_name(report.deployment, topology);
  std::string out;
  out += "deployment " + name + "; topology as of " + topology.as_of() + ": " +
         std::to_string(topology.countries().size()) + " countries (" +
         std::to_string(topology.study().size()) + " endpoints), " +
         std::to_string(topology.links().size()) + " links\n";
  out += "servers: " + servers_text(topology, report.deployment) + "\n\n";

  out += "Traffic leaving its region (pairs with both ends in the scope; LOC-007)\n";
  out += line("%-26s %-9s %6s  %-12s  %s\n", "scope", "level", "pairs", "network path",
              "application path");
  for (const Row& r : report.leaving) {
    out += line("%-26s %-9s %6u  %5u %5s   %5u %5s\n", r.scope.c_str(), r.level.c_str(), r.pairs,
                r.network, percent(r.network, r.pairs).c_str(), r.application,
                percent(r.application, r.pairs).c_str());
  }
  out +=
      "\nAccessible to an interest group (a member on the path, ends and servers included; "
      "LOC-008)\n";
  out += line("%-26s %-15s %6s  %-12s  %s\n", "scope", "group", "pairs", "network path",
              "application path");
  for (const Row& r : report.access) {
    out += line("%-26s %-15s %6u  %5u %5s   %5u %5s\n", r.scope.c_str(),
                topology.groups()[r.group].name.c_str(), r.pairs, r.network,
                percent(r.network, r.pairs).c_str(), r.application,
                percent(r.application, r.pairs).c_str());
  }
  out += "\nRoute latency over " + std::to_string(report.pairs.size()) +
         " pairs in ms (LOC-002): network path median " +
         milliseconds(report.network_latency.median_us) + ", p90 " +
         milliseconds(report.network_latency.p90_us) + ", max " +
         milliseconds(report.network_latency.max_us) + "; application path median " +
         milliseconds(report.application_latency.median_us) + ", p90 " +
         milliseconds(report.application_latency.p90_us) + ", max " +
         milliseconds(report.application_latency.max_us) + "\n";
  if (pairs) {
    out += "\npair   network path (ms)  |  application path (ms)\n";
    for (const PairPaths& p : report.pairs) {
      out += topology.countries()[p.a].code + "-" + topology.countries()[p.b].code + "  " +
             codes(topology, p.network.countries, " ") + " (" + milliseconds(p.network.latency_us) +
             ")  |  " + codes(topology, p.application.countries, " ") + " (" +
             milliseconds(p.application.latency_us) + ")\n";
    }
  }
  return out;
}

OrderedJson report_json(const Topology& topology, const LocalityReport& report) {
  OrderedJson out;
  out["deployment"] = deployment_name(report.deployment, topology);
  OrderedJson servers = OrderedJson::array();
  for (const CountryIndex s : servers_of(topology, report.deployment)) {
    servers.push_back(topology.countries()[s].code);
  }
  out["servers"] = servers;
  out["topology"] = {{"as_of", topology.as_of()},
                     {"countries", topology.countries().size()},
                     {"endpoints", topology.study().size()},
                     {"links", topology.links().size()}};
  const auto rows = [&](const std::vector<Row>& table, bool group) {
    OrderedJson a = OrderedJson::array();
    for (const Row& r : table) {
      OrderedJson row{{"scope", r.scope}, {"level", r.level}};
      if (group) {
        row["group"] = topology.groups()[r.group].id;
      }
      row["pairs"] = r.pairs;
      row["network"] = r.network;
      row["application"] = r.application;
      a.push_back(row);
    }
    return a;
  };
  out["leaving_region"] = rows(report.leaving, false);
  out["accessible"] = rows(report.access, true);
  out["latency"] = {{"network", latency_json(report.network_latency)},
                    {"application", latency_json(report.application_latency)}};
  OrderedJson pairs = OrderedJson::array();
  for (const PairPaths& p : report.pairs) {
    OrderedJson application =
        path_json(topology, p.application.countries, p.application.latency_us);
    OrderedJson servers_on = OrderedJson::array();
    for (const CountryIndex s : p.application.servers) {
      servers_on.push_back(topology.countries()[s].code);
    }
    application["servers"] = servers_on;
    pairs.push_back({{"a", topology.countries()[p.a].code},
                     {"b", topology.countries()[p.b].code},
                     {"network", path_json(topology, p.network.countries, p.network.latency_us)},
                     {"application", application}});
  }
  out["pairs"] = pairs;
  return out;
}

}  // namespace spmc::locality
