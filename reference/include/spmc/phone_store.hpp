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

// STO-010's bounds beyond those of the nested layouts (each a count the decoder refuses with
// bad_length before it reads an element). Maps keyed like the key-share book (contacts,
// contact requests, groups) share its bound; the others bound what a phone accumulates.
inline constexpr std::size_t kMaxStoredRevoked = 1U << 20;   // revoked serials learnt
inline constexpr std::size_t kMaxStoredChains = 1U << 16;    // receive chains per map
inline constexpr std::size_t kMaxStoredReplaced = 1U << 10;  // replaced shares per group
inline constexpr std::size_t kMaxStoredQueue = 1U << 20;     // outbox, held, history items
inline constexpr std::size_t kMaxStoredShare = 1U << 17;     // a 1000-member group share fits

Bytes encode_state(const PersistentState& state);
// STO-012: the generation is the encoding's last 8 bytes (big-endian u64).
inline constexpr std::size_t kGenerationSize = 8;
// `profile` gives the limits the chains are decoded under and the group policy a stored
// organiser's GroupState is rebuilt with.
Result<PersistentState> decode_state(ByteView in, const Profile& profile);

}  // namespace spmc::phone
