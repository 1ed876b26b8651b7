#pragma once
// The store layout of a phone's PersistentState (spec/storage.md STO-010): the plaintext the
// local store seals (STO-006). Encoding is canonical (maps in key order, the outbox's
// in_flight flags written as false: they are volatile), so equal states encode to equal bytes
// and decode(encode(s)) == s up to those flags. The decoder is a typed-error parser of
// untrusted bytes (a stolen or corrupted file): it never reads past the input and checks every
// bound and ordering the state's invariants need.
#include "spmc/bytes.hpp"
#include "spmc/phone.hpp"
#include "spmc/profile.hpp"
#include "spmc/result.hpp"

namespace spmc::phone {

Bytes encode_state(const PersistentState& state);
// `profile` gives the limits the chains are decoded under and the group policy a stored
// organiser's GroupState is rebuilt with.
Result<PersistentState> decode_state(ByteView in, const Profile& profile);

}  // namespace spmc::phone
