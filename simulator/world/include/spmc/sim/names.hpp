#pragma once
// The names the simulator shares with the Python tools (models/, paper/): phone events as
// the trace writes them, the abstract model alphabet and the invariant names, emitted by
// `spmc names --json` and committed as models/names.json (CTest models.names keeps the two
// equal).
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "spmc/phone_event.hpp"

namespace spmc::sim {

// The trace's name for a phone event: `ph_` and the event's name, e.g. ph_msg_send.
inline constexpr std::string_view kPhoneTracePrefix = "ph_";
const std::string& phone_trace_kind(phone::PhoneEventKind kind);

// Every invariant a report can name (and a scenario's expected_violations may list).
std::vector<std::string> known_invariant_names();

// {"phone_events", "phone_trace_prefix", "abstract_events", "principals", "invariants"}.
nlohmann::json names_json();

}  // namespace spmc::sim
