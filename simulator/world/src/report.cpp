// The run's report: figures, invariants and the verdict, as text for people and JSON for
// tools.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "locality_exposure.hpp"
#include "world_impl.hpp"

namespace spmc::sim {

namespace {

// Workload the scenario asks for that this world could not carry out. Without these lines
// such a run reports PASS for invariants that had nothing to judge.
std::vector<std::string> workload_warnings(const Scenario& s, std::size_t contact_pairs,
                                           std::size_t groups_created, std::size_t u2u_pairs) {
  std::vector<std::string> out;
  const WorkloadConfig& w = s.workload;
  const std::string no_edges = " but the contact graph has no edges (" + std::to_string(s.phones) +
                               " phones, contacts.degree " + std::to_string(s.contacts.degree) +
                               "): ";
  if (w.messages_per_phone_per_minute > 0 && s.phases.safety_ms == 0) {
    out.push_back("workload.messages_per_phone_per_minute is " +
                  std::to_string(w.messages_per_phone_per_minute) +
                  " but phases.safety_ms is 0: no message is ever sent");
  } else if (w.messages_per_phone_per_minute > 0 && contact_pairs == 0) {
    out.push_back("workload.messages_per_phone_per_minute is " +
                  std::to_string(w.messages_per_phone_per_minute) + no_edges +
                  "no message can be sent");
  }
  if (w.groups.count > 0 && groups_created == 0) {
    out.push_back("workload.groups.count is " + std::to_string(w.groups.count) +
                  (contact_pairs == 0 ? no_edges + "no group can be created"
                                      : " but no group could be created (no organiser held a "
                                        "key for any of its contacts)"));
  }
  if (w.u2u_sessions > 0 && u2u_pairs == 0) {
    out.push_back("workload.u2u_sessions is " + std::to_string(w.u2u_sessions) +
                  (contact_pairs == 0 ? no_edges + "no U2U session can happen"
                                      : " but no U2U session started"));
  }
  return out;
}

// require_exercised: a named invariant with zero checks, or never judged at all (its
// checker had nothing to look at, or it is opt-in and was not asked for), fails the run.
std::vector<std::string> mark_required(const Scenario& s, std::vector<InvariantResult>& results) {
  std::vector<std::string> unexercised;
  for (const std::string& name : s.require_exercised) {
    auto it = std::find_if(results.begin(), results.end(),
                           [&name](const InvariantResult& i) { return i.name == name; });
    if (it == results.end()) {
      const auto id = invariant_by_name(name);
      InvariantResult absent;
      absent.name = name;
      absent.requirement = id ? std::string(invariant_info(*id).requirement) : std::string();
      absent.detail = id && !invariant_info(*id).always
                          ? "never judged: an opt-in invariant (spmc sim --invariant " + name + ")"
                          : "never judged: nothing in this run for it to look at";
      results.push_back(absent);
      it = results.end() - 1;
    }
    it->required = true;
    if (!it->exercised()) {
      unexercised.push_back(name);
    }
  }
  return unexercised;
}

std::string invariant_status(const InvariantResult& i) {
  if (!i.held) {
    return i.expected_violation ? "FAIL (expected)" : "FAIL";
  }
  if (i.expected_violation) {
    return "HELD?";
  }
  if (!i.exercised()) {
    return i.required ? "FAIL (not exercised)" : "not exercised";
  }
  return "ok";
}

}  // namespace

Report World::Impl::figures(bool calm) const {
  Report r;
  r.seed = m_seed;
  r.scenario = m_scenario.name;
  r.profile = std::string(m_profile.name);
  r.phones = m_scenario.phones;
  r.contact_pairs = m_edges.size();
  r.messages_sent = m_delivery.messages_sent();
  r.deliveries_expected = m_delivery.expected();
  r.deliveries = m_delivery.deliveries();
  r.latency = m_delivery.latency();
  r.peak_store_depth = m_server->stats().peak_store_depth;
  r.wire_bytes = m_network->stats().bytes_sent;
  r.wire_packets = m_network->stats().packets_sent;
  r.key_shares_relayed = m_key_shares_relayed;
  r.key_share_bytes = m_key_share_bytes;
  r.envelopes_relayed = m_envelopes_relayed;
  r.envelope_bytes = m_envelope_bytes;
  r.events = m_queue.stats().executed;
  r.sim_time_ms = m_queue.now() / kUsPerMs;
  r.quiescent = calm;
  r.trace_hash = m_trace.trace_hash();
  r.rejects = m_rejects;
  r.locality = locality_exposure(m_scenario, m_edges);
  return r;
}

// A stopped run is not judged: its deliveries are still in flight and its liveness phase
// never ran, so any verdict on the invariants would be a guess.
Report World::Impl::stopped_report() const {
  Report r = figures(false);
  r.stopped = true;
  r.pass = false;
  const StopCondition& stop = m_options.stop;
  const bool by_events = stop.max_events != 0 && r.events >= stop.max_events;
  r.verdict = "STOPPED: " +
              (by_events ? "event limit of " + std::to_string(stop.max_events) + " reached"
                         : m_options.stop_reason) +
              " after " + std::to_string(r.events) + " events and " +
              std::to_string(r.sim_time_ms) +
              " ms simulated; the run did not finish, nothing was judged";
  return r;
}

Report World::Impl::report(bool calm) const {
  Report r = figures(calm);
  for (const Checker* c : m_checkers) {
    c->judge(r.invariants);
  }
  m_adversaries->results(r);
  r.warnings =
      workload_warnings(m_scenario, m_edges.size(), m_group_list.size(), m_u2u_pairs.size());
  const std::vector<std::string> unexercised = mark_required(m_scenario, r.invariants);

  // A scenario may declare the violations it exists to show (issue: attacks as findings).
  bool exactly_expected = true;
  for (InvariantResult& i : r.invariants) {
    const auto& ex = m_scenario.expected_violations;
    i.expected_violation = std::find(ex.begin(), ex.end(), i.name) != ex.end();
    exactly_expected = exactly_expected && (i.held != i.expected_violation);
  }
  for (const std::string& name : m_scenario.expected_violations) {
    const bool known = std::any_of(r.invariants.begin(), r.invariants.end(),
                                   [&name](const InvariantResult& i) { return i.name == name; });
    exactly_expected = exactly_expected && known;
  }
  r.pass = exactly_expected && unexercised.empty();
  const auto failed = std::count_if(r.invariants.begin(), r.invariants.end(),
                                    [](const InvariantResult& i) { return !i.held; });
  if (r.pass) {
    r.verdict = failed == 0 ? "PASS: every invariant held"
                            : "PASS: exactly the expected violations occurred (" +
                                  std::to_string(failed) + ")";
  } else {
    const auto unexpected =
        std::count_if(r.invariants.begin(), r.invariants.end(),
                      [](const InvariantResult& i) { return !i.held && !i.expected_violation; });
    const auto missing =
        std::count_if(r.invariants.begin(), r.invariants.end(),
                      [](const InvariantResult& i) { return i.held && i.expected_violation; });
    r.verdict = "FAIL: " + std::to_string(unexpected) + " invariant(s) violated";
    if (missing != 0) {
      r.verdict += ", " + std::to_string(missing) + " expected violation(s) did not occur";
    }
    if (!unexercised.empty()) {
      std::string names;
      for (const std::string& n : unexercised) {
        names += (names.empty() ? "" : ", ") + n;
      }
      r.verdict += ", required but not exercised: " + names;
    }
  }
  return r;
}

std::string render_text(const Report& r) {
  std::string out;
  char line[256];
  auto add = [&out, &line] { out += line; };
  std::snprintf(line, sizeof line, "scenario %s, profile %s, seed %llu, %u phones\n",
                r.scenario.c_str(), r.profile.c_str(), static_cast<unsigned long long>(r.seed),
                r.phones);
  add();
  std::snprintf(line, sizeof line,
                "messages sent %llu, deliveries %llu of %llu expected, latency p50 %llu ms "
                "p90 %llu ms p99 %llu ms max %llu ms\n",
                static_cast<unsigned long long>(r.messages_sent),
                static_cast<unsigned long long>(r.deliveries),
                static_cast<unsigned long long>(r.deliveries_expected),
                static_cast<unsigned long long>(r.latency.p50_ms),
                static_cast<unsigned long long>(r.latency.p90_ms),
                static_cast<unsigned long long>(r.latency.p99_ms),
                static_cast<unsigned long long>(r.latency.max_ms));
  add();
  if (r.locality) {  // a world in countries: the exposure its latency comes with (LOC-013)
    const LocalityExposure& l = *r.locality;
    // Shares rounded half up, as `spmc locality` prints them (LOC-009).
    const auto share = [](std::uint64_t n, std::uint64_t of) {
      return std::to_string(n) + " (" +
             (of == 0 ? std::string("-") : std::to_string((200 * n + of) / (2 * of)) + "%") + ")";
    };
    out += "locality " + l.deployment + ": " + std::to_string(l.pairs) + " contact pairs; " +
           share(l.leaving, l.same_region) + " of the " + std::to_string(l.same_region) +
           " within one region leave it; accessible to";
    for (std::size_t g = 0; g < l.accessible.size(); ++g) {
      out += (g == 0 ? " " : ", ") + l.accessible[g].first + " " +
             share(l.accessible[g].second, l.pairs);
    }
    out += "\n";
  }
  const double per_message =
      r.deliveries_expected == 0
          ? 0.0
          : static_cast<double>(r.wire_bytes) / static_cast<double>(r.deliveries_expected);
  std::snprintf(line, sizeof line,
                "peak offline store %zu, wire %llu packets %llu bytes (%.0f bytes per delivered "
                "message), %llu events, %llu ms simulated\n",
                r.peak_store_depth, static_cast<unsigned long long>(r.wire_packets),
                static_cast<unsigned long long>(r.wire_bytes), per_message,
                static_cast<unsigned long long>(r.events),
                static_cast<unsigned long long>(r.sim_time_ms));
  add();
  for (const InvariantResult& i : r.invariants) {
    const std::string status = invariant_status(i);
    std::snprintf(line, sizeof line, "  %-4s %-34s %-26s %llu checks%s%s\n", status.c_str(),
                  i.name.c_str(), i.requirement.c_str(), static_cast<unsigned long long>(i.checks),
                  i.detail.empty() ? "" : ": ", "");
    add();
    if (!i.detail.empty()) {
      out += "       " + i.detail + "\n";
    }
  }
  for (const std::string& f : r.findings) {
    out += "  attack: " + f + "\n";
  }
  for (const std::string& w : r.warnings) {
    out += "warning: " + w + "\n";
  }
  out += "trace_hash " + r.trace_hash + "\n";
  out += r.verdict + "\n";
  return out;
}

std::string render_json(const Report& r) {
  nlohmann::ordered_json j;
  j["seed"] = r.seed;
  j["scenario"] = r.scenario;
  j["profile"] = r.profile;
  j["phones"] = r.phones;
  j["trace_hash"] = r.trace_hash;
  j["verdict"] = r.stopped ? "stopped" : r.pass ? "pass" : "fail";
  j["verdict_text"] = r.verdict;
  j["messages_sent"] = r.messages_sent;
  j["deliveries_expected"] = r.deliveries_expected;
  j["deliveries"] = r.deliveries;
  j["latency_ms"] = {{"count", r.latency.count},
                     {"p50", r.latency.p50_ms},
                     {"p90", r.latency.p90_ms},
                     {"p99", r.latency.p99_ms},
                     {"max", r.latency.max_ms}};
  j["peak_store_depth"] = r.peak_store_depth;
  j["wire_packets"] = r.wire_packets;
  j["wire_bytes"] = r.wire_bytes;
  j["events"] = r.events;
  j["sim_time_ms"] = r.sim_time_ms;
  j["quiescent"] = r.quiescent;
  if (r.locality) {
    auto groups = nlohmann::ordered_json::array();
    for (const auto& [name, pairs] : r.locality->accessible) {
      groups.push_back({{"group", name}, {"pairs", pairs}});
    }
    j["locality"] = {{"deployment", r.locality->deployment},
                     {"pairs", r.locality->pairs},
                     {"same_region", r.locality->same_region},
                     {"leaving_region", r.locality->leaving},
                     {"accessible", groups}};
  }
  auto inv = nlohmann::ordered_json::array();
  for (const InvariantResult& i : r.invariants) {
    inv.push_back({{"name", i.name},
                   {"requirement", i.requirement},
                   {"held", i.held},
                   {"expected_violation", i.expected_violation},
                   {"checks", i.checks},
                   {"status", invariant_status(i)},
                   {"required", i.required},
                   {"detail", i.detail}});
  }
  j["invariants"] = inv;
  j["findings"] = r.findings;
  j["warnings"] = r.warnings;
  return j.dump() + "\n";
}

}  // namespace spmc::sim
