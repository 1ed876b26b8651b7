#pragma once
// The message envelope (contract ENV-001..ENV-004): a cleartext header the relay routes
// on, and the AppPayload sealed with AES-128-GCM under the counter's message key, the
// header bound as associated data.
#include <cstdint>
#include <optional>
#include <string>

#include "spmc/bytes.hpp"
#include "spmc/clock.hpp"
#include "spmc/ratchet.hpp"
#include "spmc/result.hpp"
#include "spmc/wire.hpp"

namespace spmc::envelope {

inline constexpr std::uint16_t kVersion = 1;
inline constexpr std::size_t kIdMinSize = 1;
inline constexpr std::size_t kIdMaxSize = wire::kMaxIdLength;
inline constexpr std::size_t kMaxBodySize = 65536;  // ENV-003
// u8 content_type + u32 body length + body.
inline constexpr std::size_t kMaxPayloadEncodingSize = 1 + 4 + kMaxBodySize;
// ENV-001 names 16 .. 65536+16; the upper bound here admits every AppPayload ENV-003
// allows (body 65536 encodes to 65541 bytes), see the module report.
inline constexpr std::size_t kMinCiphertextSize = crypto::kGcmTagSize;
inline constexpr std::size_t kMaxCiphertextSize = kMaxPayloadEncodingSize + crypto::kGcmTagSize;

enum class Kind : std::uint8_t { kDirect = 1, kGroup = 2 };

// ENV-001, every field before the ciphertext (the version is implied: always kVersion).
struct EnvelopeHeader {
  Kind kind = Kind::kDirect;
  std::string sender_id;
  std::string recipient_id;  // the group id when kind = kGroup
  std::uint64_t key_timestamp_ms = 0;
  std::uint32_t epoch = 0;         // 0 for direct
  std::uint16_t sender_index = 0;  // 0 for direct
  std::uint32_t counter = 0;
  std::uint64_t sent_ms = 0;
  bool operator==(const EnvelopeHeader&) const = default;

  // ENV-001: a direct envelope has exactly one encoding, epoch and index zero.
  static Status direct_has_no_group(const EnvelopeHeader& h) {
    if (h.kind == Kind::kDirect && (h.epoch != 0 || h.sender_index != 0)) {
      return wire::field_error(ErrorCode::kBadValue, "direct envelope with a group epoch or index");
    }
    return ok_status();
  }
  static auto fields(auto& m) {
    using Ver = wire::Version<std::uint16_t, kVersion, "envelope">;
    using KindField = wire::Enum<Kind, Kind::kDirect, Kind::kGroup, "envelope kind">;
    using IdField = wire::Str16<kIdMinSize, kIdMaxSize>;
    return wire::fields<Ver, KindField, IdField, IdField, wire::U64, wire::U32, wire::U16,
                        wire::Check<direct_has_no_group>, wire::U32, wire::U64>(
        wire::fixed, m.kind, m.sender_id, m.recipient_id, m.key_timestamp_ms, m.epoch,
        m.sender_index, m, m.counter, m.sent_ms);
  }
};

struct Envelope {
  EnvelopeHeader header;
  Bytes ciphertext;  // GCM output: encrypted AppPayload || tag
  bool operator==(const Envelope&) const = default;

  static auto fields(auto& m) {
    using Ciphertext = wire::Bytes32<kMinCiphertextSize, kMaxCiphertextSize>;
    return wire::fields<wire::Struct<EnvelopeHeader>, Ciphertext>(m.header, m.ciphertext);
  }
};

// The header's encoding: the first bytes of the envelope and the AEAD's AAD (ENV-002).
Bytes encode_header(const EnvelopeHeader& header);
Bytes encode(const Envelope& envelope);
Result<Envelope> decode_envelope(ByteView in);

enum class ContentType : std::uint8_t {
  kText = 1,
  kU2uOptinRequest = 2,
  kU2uOptinAccept = 3,
  kU2uHash = 4,
  kU2uAuthRequest = 5,
  kU2uAuthResponse = 6,
};

// ENV-003: the plaintext of an envelope.
struct AppPayload {
  ContentType type = ContentType::kText;
  Bytes body;  // 0 .. kMaxBodySize
  bool operator==(const AppPayload&) const = default;

  static auto fields(auto& m) {
    using Type =
        wire::Enum<ContentType, ContentType::kText, ContentType::kU2uAuthResponse, "content type">;
    return wire::fields<Type, wire::Bytes32<0, kMaxBodySize>>(m.type, m.body);
  }
};

Bytes encode(const AppPayload& payload);
Result<AppPayload> decode_payload(ByteView in);

// ENV-002: nonce = 8 zero bytes || counter (u32).
crypto::GcmNonce nonce_for(std::uint32_t counter);

// Seals payload under mk and returns the full envelope bytes.
Bytes seal(const EnvelopeHeader& header, const Block& mk, const AppPayload& payload);
// Opens with a known key: kDecryptFailed, or the payload's decode error.
Result<AppPayload> open(const Envelope& envelope, const Block& mk);

// The receive path (RAT-009): derive the key for header.counter without touching the
// chain, open, and commit only if everything succeeded. The caller has chosen the chain
// from sender_id / recipient_id / key_timestamp_ms and checked the times (ENV-004).
Result<AppPayload> open_with_chain(const Envelope& envelope, ratchet::ReceiveChain& chain);

// ENV-004 / KS-014: key_end_ms is the exclusive end of a duration key's validity
// (timestamp + lifetime, KS-012), nothing for a session key. kExpired when
// sent_ms >= key_end_ms; kStaleTimestamp when sent_ms > now_ms + max_future_skew_ms.
Status check_times(const EnvelopeHeader& header, TimeMs now_ms, std::optional<TimeMs> key_end_ms,
                   TimeMs max_future_skew_ms);

}  // namespace spmc::envelope
