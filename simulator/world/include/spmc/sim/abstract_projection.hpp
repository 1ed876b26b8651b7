#pragma once
// Projection of the full simulator trace onto the abstract alphabet of models/README.md,
// for the ratchet model (models/ratchet/ratchet.pml): one direction A -> B of one pairwise
// key share. The pair is the first direct message a phone sends to another user (A its
// sender, B its recipient, K its key share); every later event of another pair or another
// key share is projected away.
#include <cstdint>

#include "spmc/sim/trace.hpp"

namespace spmc::sim {

// Abstract events are {"t", "ev", "a", "b", "x"} with ev one of msg_send / msg_deliver,
// a and b "A" / "B", x the ratchet counter; msg_reject when B refuses one of A's envelopes
// under K (the reject event carries the envelope's counter and key share); msg_dup right
// before B handles a second or later copy of a counter (a duplicate, a sender's retried
// relay, PH-010, or a replay by the server or the network). The model then checks that
// every refusal is one it allows (replay, too old, too far ahead).
Trace::Projection make_ratchet_pair_projection();

// For the key-substitution attack (adversary server_substitutes_keys), onto the alphabet of
// models/key_share/key_substitution.pml: one key share and one message of the attacked
// pair a -> b. cert_issue(S,B,S) / cert_issue(S,A,S) when a forged certificate first
// reaches a / b, keyshare_send(A,B,1), server_read(S,A,0) when the server opens the share
// in flight, keyshare_accept(B,A,1), msg_send(A,B,0) for a's first envelope to b,
// server_read(S,A,1) when the server opens it as it relays it, msg_deliver(B,A,0).
// `a_index` and `b_index` are the attacked phones.
Trace::Projection make_key_substitution_projection(std::uint32_t a_index, std::uint32_t b_index);

// For the U2U attack (adversary server_mitm), onto the alphabet of models/u2u/u2u.pml: the
// U2U session of the attacked phones, A the one that requests the opt-in. The phones report
// only their U2U state, so each send is placed at the first event that shows it happened
// (a linearisation the model judges like any other): cert_issue(S,B,S) / cert_issue(S,A,S)
// for the forged certificates, emitted when A is known; u2u_optin(A,B,0) when B accepts;
// when a phone reaches `established`, the two hash sends not yet emitted, then
// u2u_hash_recv(X,Y,Y); when it reaches `authenticated` / `failed`, the peer's
// u2u_auth_send(Y,X,Y) if not yet emitted, then u2u_auth_ok / u2u_auth_fail(X,Y,0).
Trace::Projection make_u2u_projection(std::uint32_t a_index, std::uint32_t b_index);

}  // namespace spmc::sim
