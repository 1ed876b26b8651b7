// The shared name tables as one JSON object (models/names.json).
#include "spmc/sim/names.hpp"

#include <array>
#include <cstddef>

#include "spmc/sim/abstract_event.hpp"
#include "spmc/sim/invariants.hpp"

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
  // The invariant registry (invariants.hpp) is the one list; opt-in ones included, since a
  // scenario may expect them to fail.
  std::vector<std::string> out;
  for (const InvariantInfo& info : invariant_names()) {
    out.emplace_back(info.name);
  }
  return out;
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
