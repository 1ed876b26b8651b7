#pragma once
// A profile is a named bundle of protocol choices (spec/profiles.md). `paper` follows
// the seed paper, ambiguities resolved as spec/ambiguities.md says; `hardened` carries
// every fix, so a designer can run the same world under both and compare.
#include <cstdint>
#include <span>
#include <string_view>

#include "spmc/clock.hpp"
#include "spmc/result.hpp"
#include "spmc/suite.hpp"

namespace spmc {

enum class ProfileId : std::uint8_t { kPaper = 1, kHardened = 2 };

struct Limits {
  std::uint32_t max_forward = 2000;           // RAT-007: furthest a receiver derives ahead
  std::uint32_t max_skipped_keys = 2000;      // RAT-008: skipped keys kept per chain
  TimeMs max_future_skew_ms = 5 * 60 * 1000;  // KS-011: key share from the future
  std::uint32_t pin_tries = 3;                // STO-004: wrong PINs before lockout
  std::uint32_t offline_queue_max = 10000;    // SRV-006: per-recipient offline store bound
};

struct Profile {
  ProfileId id;
  std::string_view name;
  Suite default_suite;
  // KS-020: sign the key share with the sender's certified Ed25519 key and bind both
  // user ids into the AEAD; the paper only encrypts it to the recipient.
  bool key_share_signed;
  // GRP-010: a new group key on every membership change; the paper never rekeys.
  bool group_rekey_on_change;
  // U2U-010: bind both parties' certified key fingerprints into the U2U value and prove
  // knowledge with a fresh challenge; the paper's value depends on exchanged hashes only.
  bool u2u_bound;
  // STO-002: PIN stretched by scrypt at this cost (paper: SHA-256 only, cost 0).
  std::uint64_t pin_kdf_cost_n;
  Limits limits;
};

const Profile& paper_profile();
const Profile& hardened_profile();
std::span<const Profile* const> all_profiles();
Result<const Profile*> profile_by_name(std::string_view name);

}  // namespace spmc
