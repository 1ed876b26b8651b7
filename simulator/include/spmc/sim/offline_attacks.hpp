#pragma once
// The checks of spec/requirements.md that are focused experiments on the reference library
// rather than world runs (spec/requirements_evidence.md, "Experiments"): a lost phone's
// store (REQ-7.at_rest, online_guess, copy_bypass, offline_cost; A-12) and offline
// dictionary search of the U2U opt-in hash (REQ-5.brute_force; A-11). Every input comes
// from DeterministicRng(kOfflineSeed, label), so `evidence` is byte-stable; the only
// machine-dependent figures (seconds, guesses/s) go to CheckResult::measured.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "spmc/bytes.hpp"
#include "spmc/crypto.hpp"
#include "spmc/profile.hpp"
#include "spmc/rng.hpp"
#include "spmc/sim/requirements.hpp"
#include "spmc/u2u.hpp"

namespace spmc::sim {

inline constexpr std::uint64_t kOfflineSeed = 7;
// The DeterministicRng labels of the planted inputs (the tests redraw them).
inline constexpr std::string_view kAtRestLabel = "offline/storage.at_rest";
inline constexpr std::string_view kCopyBypassLabel = "offline/storage.copy_bypass";
inline constexpr std::string_view kKeywordLabel = "offline/u2u.keyword";

// The PIN planted for REQ-7.copy_bypass: uniform over the 4-digit space for a fast KDF;
// under scrypt one of the first 10 of the search order, so the real recovery stays short
// (the cost of the whole space is REQ-7.offline_cost's subject).
std::string copy_bypass_pin(const Profile& profile);
// The 6-character keywords of REQ-5.brute_force: [0] over digits, [1] over lowercase.
std::vector<std::string> planted_keywords();

// A value planted in a store that must not appear in its file in clear.
struct Plant {
  std::string name;
  Bytes bytes;
};
struct ScanHit {
  std::string name;
  std::size_t offset = 0;  // first offset where a window of the value occurs
};
// Every plant of which any window of min(size, kScanWindow) consecutive bytes occurs in
// `file`: a partial copy (a truncated key, a chat text fragment) counts as in clear.
inline constexpr std::size_t kScanWindow = 8;
std::vector<ScanHit> scan_for_plants(ByteView file, std::span<const Plant> plants);

// A phone state with known secrets (keys, chains, held message keys, the U2U value,
// password), a canary chat text and a contact id, laid out as the phone would keep it.
struct PlantedState {
  Bytes state;
  std::vector<Plant> plants;
};
PlantedState make_planted_state(const Profile& profile, Rng& rng);

// An honest U2U opt-in (U2U-001, U2U-002) between two sessions; responder_hash is the
// u2u_hash body the responder sent: what reading the end-to-end channel reveals.
struct U2uOptin {
  u2u::U2uSession initiator;
  u2u::U2uSession responder;
  crypto::Digest responder_hash{};
};
U2uOptin run_u2u_optin(const Profile& profile, std::string_view initiator_secret,
                       std::string_view responder_secret);

// REQ-7.at_rest's verdict over a store file: holds iff no plant is found in it.
CheckResult at_rest_check(const Profile& profile, ByteView file, std::span<const Plant> plants);

// REQ-7.offline_cost's model: AES-equivalents (16-byte blocks through a primitive) per PIN
// guess under the profile's KDF, the KEK plus the AES-GCM check of the wrapped key.
std::uint64_t pin_guess_cost(const Profile& profile);

std::vector<CheckResult> run_storage_checks(const Profile& profile, const Stopwatch& clock);
std::vector<CheckResult> run_u2u_bruteforce_checks(const Profile& profile, const Stopwatch& clock);

}  // namespace spmc::sim
