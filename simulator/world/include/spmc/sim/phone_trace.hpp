#pragma once
// The trace lines a phone's reports become (simulator/TRACE.md), written by the simulated
// world and by live runs alike, so a live trace reads exactly as a simulated one.
#include <cstdint>

#include "spmc/phone.hpp"
#include "spmc/sim/event_queue.hpp"
#include "spmc/sim/trace.hpp"

namespace spmc::sim {

// ph_<event>: phone, peer, counter, key_ts, detail, [group].
TraceEvent phone_event_trace(TimeUs at, std::uint32_t phone, const phone::PhoneEvent& ev);
// app_deliver: phone, from, group, uid (the canary's id, 0 for another body).
TraceEvent app_deliver_trace(TimeUs at, std::uint32_t phone, const phone::Delivered& m);

}  // namespace spmc::sim
