#pragma once
// Certificates the membership server's CA issues for a user's signing and encryption keys
// (contract CERT-001, CERT-002; paper section 3.3 step 4).
#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "spmc/bytes.hpp"
#include "spmc/clock.hpp"
#include "spmc/crypto.hpp"
#include "spmc/result.hpp"
#include "spmc/wire.hpp"

namespace spmc::cert {

inline constexpr std::uint16_t kVersion = 1;

enum class Usage : std::uint8_t { kSignature = 1, kEncryption = 2 };

using PublicKey = std::array<std::uint8_t, 32>;  // an X25519 or Ed25519 public key

// CERT-001: u16 version; u64 serial; string16 user_id; u8 usage; bytes16 public_key (32);
// u64 not_before_ms; u64 not_after_ms; 64-byte Ed25519 signature over every preceding byte.
struct Certificate {
  std::uint64_t serial = 0;
  std::string user_id;
  Usage usage = Usage::kSignature;
  PublicKey public_key{};
  TimeMs not_before_ms = 0;
  TimeMs not_after_ms = 0;
  crypto::Ed25519Signature signature{};

  bool operator==(const Certificate&) const = default;
  // Every field but the signature is what the CA signs (kSignedFields, to_be_signed).
  static constexpr std::size_t kSignedFields = 7;
  static auto fields(auto& m) {
    using Ver = wire::Version<std::uint16_t, kVersion, "certificate">;
    using UsageField =
        wire::Enum<Usage, Usage::kSignature, Usage::kEncryption, "certificate usage">;
    return wire::fields<Ver, wire::U64, wire::Id, UsageField, wire::Bytes16<32, 32>, wire::U64,
                        wire::U64, wire::Raw>(wire::fixed, m.serial, m.user_id, m.usage,
                                              m.public_key, m.not_before_ms, m.not_after_ms,
                                              m.signature);
  }
};

// The bytes the CA signs: the encoding up to, not including, the signature.
Bytes to_be_signed(const Certificate& cert);
Bytes encode(const Certificate& cert);
Result<Certificate> decode(ByteView in);

Certificate issue(const crypto::Ed25519Secret& ca, std::uint64_t serial, std::string user_id,
                  Usage usage, const PublicKey& public_key, TimeMs not_before_ms,
                  TimeMs not_after_ms);

// CERT-002: every failure is bad_certificate; the detail names the check that failed.
Status verify(const Certificate& cert, const crypto::Ed25519Public& ca,
              std::string_view expected_user, Usage expected_usage, TimeMs now,
              const std::set<std::uint64_t>& revoked);

// SHA-256 of the full encoding: names a certified key (U2U-010 binds these).
crypto::Digest fingerprint(const Certificate& cert);

}  // namespace spmc::cert
