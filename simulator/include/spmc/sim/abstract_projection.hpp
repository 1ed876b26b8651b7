#pragma once
// Projection of the full simulator trace onto the abstract alphabet of models/README.md,
// for the ratchet model (models/ratchet/ratchet.pml): one direction A -> B of one pairwise
// key share. The pair is the first direct message a phone sends to another user (A its
// sender, B its recipient, K its key share); every later event of another pair or another
// key share is projected away.
#include "spmc/sim/trace.hpp"

namespace spmc::sim {

// Abstract events are {"t", "ev", "a", "b", "x"} with ev one of msg_send / msg_deliver,
// a and b "A" / "B", x the ratchet counter. Rejections of A's messages at B are projected
// away: the phone's reject event carries no counter. A rejection leaves the receiver's state
// unchanged (on any error, state is unchanged), so the model's run in which that copy is
// never handled reaches the same state; what is lost is only the check that rejections
// happen when the model says they must.
Trace::Projection make_ratchet_pair_projection();

}  // namespace spmc::sim
