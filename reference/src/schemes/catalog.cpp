#include "spmc/schemes/catalog.hpp"

#include <array>

#include "spmc/schemes/group_policy.hpp"
#include "spmc/schemes/key_share_scheme.hpp"
#include "spmc/schemes/pin_kdf.hpp"
#include "spmc/schemes/u2u_scheme.hpp"

namespace spmc::schemes {

// The lists are built on first use from the schemes' own accessors, so a name here is
// always the scheme's name() (a test checks it).
std::span<const Choice<keyshare::KeyShareScheme>> key_share_choices() {
  static const std::array<Choice<keyshare::KeyShareScheme>, 2> kAll{{
      {"paper", &keyshare::paper_key_share(),
       "sealed to the recipient only, empty AAD, unsigned (KS-003)"},
      {"signed", &keyshare::signed_key_share(),
       "header bound as AAD, Ed25519 signature by the sender's certified key (KS-020)"},
  }};
  return kAll;
}

std::span<const Choice<group::GroupPolicy>> group_choices() {
  static const std::array<Choice<group::GroupPolicy>, 2> kAll{{
      {"keep_key", &group::keep_key_group_policy(),
       "a newcomer gets the current key; a removed member keeps it (GRP-003)"},
      {"rekey", &group::rekey_group_policy(), "a new epoch on every membership change (GRP-010)"},
  }};
  return kAll;
}

std::span<const Choice<u2u::U2uScheme>> u2u_choices() {
  static const std::array<Choice<u2u::U2uScheme>, 2> kAll{{
      {"paper", &u2u::paper_u2u(), "v = H(secret || h_peer), auth by re-sent hashes (U2U-002/003)"},
      {"bound", &u2u::bound_u2u(),
       "value bound to both key fingerprints, HMAC challenge with fresh nonces (U2U-010)"},
  }};
  return kAll;
}

std::span<const Choice<storage::PinKdf>> pin_kdf_choices() {
  static const std::array<Choice<storage::PinKdf>, 2> kAll{{
      {"sha256", &storage::sha256_pin_kdf(), "H(salt || PIN), no cost (STO-002 as written)"},
      {"scrypt", &storage::scrypt_pin_kdf(), "scrypt N = 2^14, r = 8, p = 1 (STO-002 hardened)"},
  }};
  return kAll;
}

std::span<const SuiteChoice> suite_choices() {
  static const std::array<SuiteChoice, 2> kAll{{
      {"SPMC_AES128_RATCHET_AES128GCM", Suite::kAes128, "AES-128 ratchet, AES-128-GCM messages"},
      {"SPMC_AES256_RATCHET_AES128GCM", Suite::kAes256,
       "AES-256 ratchet, AES-128-GCM messages (128-bit message keys)"},
  }};
  return kAll;
}

}  // namespace spmc::schemes
