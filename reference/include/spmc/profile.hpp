#pragma once
// A profile is a named bundle of protocol choices (spec/profiles.md). `paper` follows
// the seed paper, ambiguities resolved as spec/ambiguities.md says; `hardened` carries
// every fix, so a designer can run the same world under both and compare.
//
// Each choice that differs between profiles is a scheme object (include/spmc/schemes/,
// one variant per file in src/schemes/): the code calls the scheme and never asks which
// profile it runs under, so a new profile is a new composition of schemes (PRO-006).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "spmc/clock.hpp"
#include "spmc/result.hpp"
#include "spmc/suite.hpp"

namespace spmc {

namespace keyshare {
class KeyShareScheme;
}
namespace group {
class GroupPolicy;
}
namespace u2u {
class U2uScheme;
}
namespace storage {
class PinKdf;
}

struct Limits {
  std::uint32_t max_forward = 2000;           // RAT-007: furthest a receiver derives ahead
  std::uint32_t max_skipped_keys = 2000;      // RAT-008: skipped keys kept per chain
  TimeMs max_future_skew_ms = 5 * 60 * 1000;  // KS-011: key share from the future
  std::uint32_t pin_tries = 3;                // STO-004: wrong PINs before lockout
  std::uint32_t offline_queue_max = 10000;    // SRV-006: per-recipient offline store bound
  friend bool operator==(const Limits&, const Limits&) = default;
};

// The schemes are shared, immutable objects that outlive every profile using them (the
// variants' accessors return statics); a profile is a cheap value that can be copied and
// varied (a test may swap one scheme or a limit, a designer writes one as a file: PRO-008).
// Never null. Nothing persisted names the profile: state that depends on a scheme records
// the scheme's own tag (PRO-006), so a file profile needs no number.
struct Profile {
  std::string name;
  std::string description;  // one line for listings
  Suite default_suite;
  // KS-003 / KS-020: how a key share is sealed, and whether it is signed.
  const keyshare::KeyShareScheme* key_share;
  // GRP-003 / GRP-010: what the organiser does on a membership change.
  const group::GroupPolicy* group;
  // U2U-002, U2U-003 / U2U-010: the U2U value and how a round proves it.
  const u2u::U2uScheme* u2u;
  // STO-002: how the PIN becomes the key-wrapping key.
  const storage::PinKdf* pin_kdf;
  Limits limits;
  // Same schemes (by identity), suite, limits, name and description.
  friend bool operator==(const Profile&, const Profile&) = default;
};

const Profile& paper_profile();
const Profile& hardened_profile();
// The built-in compositions, paper first; tools iterate it instead of naming profiles. The
// simulator's built-ins are the files simulator/profiles/*.json, which a test holds equal
// to these.
std::span<const Profile* const> all_profiles();
Result<const Profile*> profile_by_name(std::string_view name);

}  // namespace spmc
