// What a live run can honour of a scenario, and its report as text and JSON.
#include <nlohmann/json.hpp>

#include "spmc/live/live_run.hpp"

namespace spmc::live {

std::vector<std::string> live_unsupported(const sim::Scenario& s) {
  std::vector<std::string> out;
  const auto refuse = [&out](bool set, const std::string& what, const std::string& why) {
    if (set) {
      out.push_back(what + ": " + why);
    }
  };
  const std::string real_net = "a live run's network is the machine's own; it adds no faults";
  const sim::FaultConfig& n = s.faults.network;
  refuse(n.loss_ppm != 0, "faults.loss_ppm", real_net);
  refuse(n.duplication_ppm != 0, "faults.duplication_ppm", real_net);
  refuse(n.reorder_ppm != 0, "faults.reorder_ppm", real_net);
  refuse(n.spike_ppm != 0, "faults.spike_ppm", real_net);
  for (const auto& [name, link] : {std::pair{"topology.core_link", &s.topology.core_link},
                                   std::pair{"topology.region_link", &s.topology.region_link},
                                   std::pair{"topology.access_link", &s.topology.access_link}}) {
    refuse(link->loss_ppm != 0 || link->duplication_ppm != 0 || link->reorder_ppm != 0,
           std::string(name) + " faults", real_net);
  }
  refuse(s.faults.partitions.per_hour != 0, "faults.partitions.per_hour",
         "a live run does not cut the network (churn disconnects phones instead)");
  refuse(s.faults.crashes.phone_per_hour != 0, "faults.crashes.phone_per_hour",
         "a phone's state survives a crash only through its local store, which phones do not "
         "write yet (issue 17)");
  refuse(s.faults.clock.max_skew_ms != 0 || s.faults.clock.max_drift_ppm != 0, "faults.clock",
         "every live phone reads the machine's clock");
  refuse(!s.adversaries.empty(), "adversaries", "attacks run in the simulator only");
  refuse(s.locality.has_value(), "locality", "a live run has one broker and one server");
  refuse(s.workload.groups.changes_per_hour != 0, "workload.groups.changes_per_hour",
         "group changes are not driven live yet");
  refuse(!s.expected_violations.empty(), "expected_violations",
         "a live run expects every invariant to hold");
  return out;
}

namespace {
std::string ms_of(std::uint64_t us) {
  return std::to_string(us / 1000) + "." + std::to_string(us % 1000 / 100) + " ms";
}
}  // namespace

std::string render_live_text(const LiveReport& r) {
  std::string s;
  s += "live run: scenario " + r.scenario + ", seed " + std::to_string(r.seed) + ", " +
       std::to_string(r.phones) + " phones, broker " + r.broker + "\n";
  s += "messages: " + std::to_string(r.messages_sent) + " sent, " +
       std::to_string(r.deliveries_expected) + " deliveries owed, " + std::to_string(r.deliveries) +
       " delivered; latency p50 " + ms_of(r.latency_p50_us) + ", p99 " + ms_of(r.latency_p99_us) +
       ", max " + std::to_string(r.latency.max_ms) + " ms (offline recipients included)\n";
  s += "faults: server killed (SIGKILL) " + std::to_string(r.server_kills) +
       " times, broker restarted " + std::to_string(r.broker_restarts) + " times, " +
       std::to_string(r.disconnects) + " phone disconnects, " + std::to_string(r.reconnects) +
       " reconnections\n";
  for (const auto& k : r.kills) {
    s += "  server killed at " + std::to_string(k.at_ms) + " ms with " +
         std::to_string(k.phone_outbox) + " phone request(s) unanswered, " +
         std::to_string(k.relayed_undeleted) + " relayed item(s) not yet deleted, " +
         std::to_string(k.owed_undelivered) + " owed delivery(ies) not yet made\n";
  }
  if (r.transport_errors != 0) {
    s += "transport errors: " + std::to_string(r.transport_errors) +
         ", the first: " + r.first_transport_error + "\n";
  }
  s += "files at rest scanned:";
  for (const auto& f : r.scanned) {
    s += " " + f.name + " (" + std::to_string(f.bytes) + " B)";
  }
  s += "\ninvariants:\n";
  for (const auto& inv : r.invariants) {
    s += std::string("  ") + (inv.held ? "PASS " : "FAIL ") + inv.name + " (" + inv.requirement +
         ", " + std::to_string(inv.checks) + " checks)";
    if (!inv.held) {
      s += ": " + inv.detail;
    }
    s += "\n";
  }
  s += "wall time " + std::to_string(r.wall_ms) + " ms; trace sha256 " + r.trace_hash + "\n";
  s += std::string("verdict: ") + (r.pass ? "PASS" : "FAIL") + "\n";
  return s;
}

std::string render_live_json(const LiveReport& r) {
  nlohmann::ordered_json j;
  j["scenario"] = r.scenario;
  j["seed"] = r.seed;
  j["phones"] = r.phones;
  j["broker"] = r.broker;
  j["messages_sent"] = r.messages_sent;
  j["deliveries_expected"] = r.deliveries_expected;
  j["deliveries"] = r.deliveries;
  j["latency_us"] = {{"p50", r.latency_p50_us}, {"p99", r.latency_p99_us}};
  j["latency_ms"] = {{"p50", r.latency.p50_ms},
                     {"p90", r.latency.p90_ms},
                     {"p99", r.latency.p99_ms},
                     {"max", r.latency.max_ms}};
  j["server_kills"] = r.server_kills;
  nlohmann::ordered_json kills = nlohmann::ordered_json::array();
  for (const auto& k : r.kills) {
    kills.push_back({{"at_ms", k.at_ms},
                     {"phone_outbox", k.phone_outbox},
                     {"relayed_undeleted", k.relayed_undeleted},
                     {"owed_undelivered", k.owed_undelivered}});
  }
  j["kills"] = kills;
  j["broker_restarts"] = r.broker_restarts;
  j["disconnects"] = r.disconnects;
  j["reconnects"] = r.reconnects;
  j["transport_errors"] = r.transport_errors;
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const auto& f : r.scanned) {
    files.push_back({{"name", f.name}, {"bytes", f.bytes}});
  }
  j["scanned"] = files;
  nlohmann::ordered_json invs = nlohmann::ordered_json::array();
  for (const auto& inv : r.invariants) {
    invs.push_back({{"name", inv.name},
                    {"requirement", inv.requirement},
                    {"held", inv.held},
                    {"checks", inv.checks},
                    {"detail", inv.detail}});
  }
  j["invariants"] = invs;
  j["wall_ms"] = r.wall_ms;
  j["trace_hash"] = r.trace_hash;
  j["pass"] = r.pass;
  return j.dump() + "\n";
}

}  // namespace spmc::live
