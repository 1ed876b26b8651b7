#pragma once
// The key share of Figs. 2 and 3 (contract KS-001..KS-004, KS-020): the plain share a
// sender draws, and the wire message that carries it sealed to one recipient. The
// receiver's acceptance rules (KS-010..KS-015) live in key_share_book.hpp.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "spmc/bytes.hpp"
#include "spmc/clock.hpp"
#include "spmc/crypto.hpp"
#include "spmc/group.hpp"
#include "spmc/profile.hpp"
#include "spmc/result.hpp"
#include "spmc/rng.hpp"
#include "spmc/suite.hpp"
#include "spmc/wire_traits.hpp"

namespace spmc::keyshare {

inline constexpr std::uint16_t kVersion = 1;
inline constexpr std::size_t kMinSealedSize = 48;    // KS-002: enc (32) + tag (16)
inline constexpr std::size_t kMaxSealedSize = 4096;  // KS-002
inline constexpr std::size_t kMaxPlainSize = kMaxSealedSize - kMinSealedSize;
inline constexpr std::uint8_t kFlagSigned = 0x01;  // KS-002 flags bit 0

enum class Scope : std::uint8_t { kPairwise = 1, kGroup = 2 };
enum class LifetimeKind : std::uint8_t { kSession = 0, kDuration = 1 };

// KS-012: a session key lives until replaced; a duration key while sent_ms < timestamp +
// duration_ms. duration_ms is 0 iff the kind is session (KS-001).
struct Lifetime {
  LifetimeKind kind = LifetimeKind::kSession;
  TimeMs duration_ms = 0;

  static Lifetime session() { return {}; }
  static Lifetime duration(TimeMs ms) { return {LifetimeKind::kDuration, ms}; }
  bool valid() const { return (kind == LifetimeKind::kSession) == (duration_ms == 0); }
  bool operator==(const Lifetime&) const = default;

  // KS-001 u8 lifetime_kind; u64 lifetime_ms, judged together once both are read.
  static Status check(const Lifetime& lifetime);
  static auto fields(auto& m) {
    return wire::fields<wire::Unchecked, wire::U64, wire::Check<check>>(m.kind, m.duration_ms, m);
  }
};

using Seed = std::array<Block, 4>;  // RAT-001: the four numbers n[0..3]

// KS-001: u16 version; u8 scope; u64 timestamp_ms; u8 lifetime_kind; u64 lifetime_ms;
// u16 suite; 4 x 16-byte seed numbers; master key (size by suite); if scope = 2 the group
// part. The scope is not stored: it is 2 exactly when `group` is present.
struct KeySharePlain {
  TimeMs timestamp_ms = 0;
  Lifetime lifetime;
  Suite suite = Suite::kAes128;
  Seed seed{};
  Bytes master_key;
  std::optional<group::GroupPart> group;

  Scope scope() const { return group ? Scope::kGroup : Scope::kPairwise; }
  bool operator==(const KeySharePlain&) const = default;

  static std::size_t master_key_length(const KeySharePlain& m) { return master_key_size(m.suite); }
  static auto fields(auto& m) {
    using Ver = wire::Version<std::uint16_t, kVersion, "key share">;
    using ScopeTag = wire::Presence<std::uint8_t, static_cast<std::uint8_t>(Scope::kPairwise),
                                    static_cast<std::uint8_t>(Scope::kGroup), "key share scope">;
    using SuiteField = wire::Parsed<std::uint16_t, suite_from_wire>;
    using MasterKey = wire::Sized<master_key_length>;
    using Group = wire::Optional<wire::Struct<group::GroupPart>>;
    return wire::fields<Ver, ScopeTag, wire::U64, wire::Struct<Lifetime>, SuiteField, wire::Raw,
                        MasterKey, Group>(wire::fixed, m.group, m.timestamp_ms, m.lifetime, m.suite,
                                          m.seed, wire::with(m, m.master_key), m.group);
  }
};

Bytes encode(const KeySharePlain& plain);
Result<KeySharePlain> decode_plain(ByteView in);

// KS-002: u16 version; string16 sender_id; string16 recipient_id; u8 flags; bytes16 sealed
// (48..4096); if flags bit 0: a 64-byte Ed25519 signature over every preceding byte.
struct KeyShareMessage {
  std::string sender_id;
  std::string recipient_id;
  Bytes sealed;
  std::optional<crypto::Ed25519Signature> signature;

  bool operator==(const KeyShareMessage&) const = default;

  // Field counts of the prefixes KS-003 binds: the header (AAD) and what the signature covers.
  static constexpr std::size_t kHeaderFields = 4;
  static constexpr std::size_t kSignedFields = 5;
  // KS-002 flags: bit 0 says a signature follows (read at the end); the other bits are 0.
  static auto fields(auto& m) {
    using Ver = wire::Version<std::uint16_t, kVersion, "key share message">;
    using Flags = wire::Presence<std::uint8_t, 0, kFlagSigned, "key share flags">;
    using Sealed = wire::Bytes16<kMinSealedSize, kMaxSealedSize>;
    return wire::fields<Ver, wire::Id, wire::Id, Flags, Sealed, wire::Optional<wire::Raw>>(
        wire::fixed, m.sender_id, m.recipient_id, m.signature, m.sealed, m.signature);
  }
};

// KS-003 hardened AAD: the encoding of version, sender_id, recipient_id, flags.
Bytes header_bytes(const KeyShareMessage& message);
// What the hardened signature covers: the encoding up to the signature.
Bytes signed_bytes(const KeyShareMessage& message);
Bytes encode(const KeyShareMessage& message);
Result<KeyShareMessage> decode_message(ByteView in);

// A fresh pairwise share: draws the master key (size by suite), then n[0..3], from rng.
KeySharePlain make_pairwise(Rng& rng, Suite suite, TimeMs timestamp_ms, Lifetime lifetime);

// Whether the share's encoding fits a KeyShareMessage (KS-002 bounds the sealed box).
bool fits_in_message(const KeySharePlain& plain);

// KS-003: seals `plain` to the recipient and returns the encoded KeyShareMessage. The
// profile's key-share scheme picks the AAD and whether to sign with sender_sign_key (a
// signing scheme requires it; give it whenever the sender has one). The plaintext encoding
// is wiped.
Bytes seal(Rng& rng, const Profile& profile, const KeySharePlain& plain, std::string_view sender_id,
           std::string_view recipient_id, const crypto::X25519Public& recipient_enc_key,
           const crypto::Ed25519Secret* sender_sign_key);

// KS-003: the profile's key-share scheme checks the message first (a signing scheme verifies
// with sender_sign_key, the certified key of message.sender_id, non-null: bad_signature; the
// paper's refuses a signed message: bad_value). Any failure of the sealed box is
// decrypt_failed.
Result<KeySharePlain> open(const Profile& profile, const KeyShareMessage& message,
                           const crypto::X25519Secret& own_enc_secret,
                           const crypto::Ed25519Public* sender_sign_key);

}  // namespace spmc::keyshare
