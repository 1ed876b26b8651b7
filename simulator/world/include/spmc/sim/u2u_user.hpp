#pragma once
// What the simulated users of a U2U session do (Req5, section 3.5): each reacts to the state
// its screen shows after a short delay, with its own secret. The world and live runs drive
// U2U sessions with the same script.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "spmc/phone.hpp"
#include "spmc/sim/event_queue.hpp"

namespace spmc::sim {

struct U2uReaction {
  phone::Phone::U2uAction action;
  TimeUs delay_us;
};

// The user's next step when its phone shows `state` (a u2u_state event's detail), or nothing;
// `requester` is the user that asked for the session.
std::optional<U2uReaction> u2u_reaction(std::string_view state, bool requester);

// The secret the user of phone `index` types.
std::string u2u_secret(std::uint32_t index);

}  // namespace spmc::sim
