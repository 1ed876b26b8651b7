#pragma once
// Stepping many independent sending chains at once (a server-side fan-out, a phone with many
// open conversations, the simulator). Each chain has its own key, so on the AES-NI fast path
// eight chains' encryptions run interleaved and hide the latency one chain cannot (RAT-002
// is two dependent AES calls per key). Results equal calling next() on each chain in order.
#include <span>

#include "spmc/ratchet.hpp"
#include "spmc/result.hpp"

namespace spmc::ratchet {

// out[i] = chains[i]->next() for every i, in order (a chain listed twice gets its next two
// keys). out.size() must equal chains.size() and no pointer may be null. kBadState if that
// order would exhaust any chain's counter (RAT-003); then no chain has moved.
Status step_many(std::span<SendChain* const> chains, std::span<MessageKey> out);

}  // namespace spmc::ratchet
