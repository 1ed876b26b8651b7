// The shared name tables as one JSON object (models/names.json).
#include "spmc/sim/names.hpp"

#include <array>
#include <cstddef>

#include "spmc/sim/abstract_event.hpp"

namespace spmc::sim {

const std::string& phone_trace_kind(phone::PhoneEventKind kind) {
  // Built once: the world records one of these per phone event.
  static const auto kinds = [] {
    std::array<std::string, phone::kPhoneEventNames.size()> out;
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i] = std::string(kPhoneTracePrefix) + std::string(phone::kPhoneEventNames[i].second);
    }
    return out;
  }();
  return kinds[static_cast<std::size_t>(kind)];
}

std::vector<std::string> known_invariant_names() {
  // The names the checkers, report.cpp and the adversary results give their results today,
  // in report order (tests/sim/names_test.cpp checks that every report stays within them).
  return {"exactly_once_delivery",
          "no_forged_accepted",
          "no_replay_accepted",
          "group_newcomer_heard",
          "no_plaintext_on_server",
          "no_key_material_exposed",
          "no_key_reuse",
          "u2u_honest_authenticates",
          "offline_store_empty_at_quiescence",
          "quiescence_reached",
          "adversary_reads_nothing",
          "forward_secrecy",
          "removed_member_reads_nothing",
          "no_pii_at_rest",
          "u2u_detects_mitm"};
}

nlohmann::json names_json() {
  nlohmann::json phone_events = nlohmann::json::array();
  for (const auto& entry : phone::kPhoneEventNames) {
    phone_events.push_back(entry.second);
  }
  nlohmann::json abstract_events = nlohmann::json::object();
  for (const auto& [event, text] : kAbstractEventNames) {
    abstract_events[std::string(text)] = static_cast<int>(event);
  }
  // The principals of the abstract alphabet (models/common/events.pml).
  const nlohmann::json principals = {{"net", 0}, {"A", 1}, {"B", 2}, {"C", 3}, {"S", 4}};
  return {{"phone_events", phone_events},
          {"phone_trace_prefix", kPhoneTracePrefix},
          {"abstract_events", abstract_events},
          {"principals", principals},
          {"invariants", known_invariant_names()}};
}

}  // namespace spmc::sim
