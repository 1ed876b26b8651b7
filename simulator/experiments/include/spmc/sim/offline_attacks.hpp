#pragma once
// The checks of spec/requirements.md that are focused experiments on the reference library
// rather than world runs (spec/requirements_evidence.md, "Experiments"): a lost phone's
// store (REQ-7.at_rest, online_guess, copy_bypass, offline_cost; A-12), attacked on real
// phones' store files from a LoopbackWorld run (seed kOfflineSeed), and offline dictionary
// search of the U2U opt-in hash (REQ-5.brute_force; A-11). Every other input comes from
// DeterministicRng(kOfflineSeed, label), so `evidence` is byte-stable; the only
// machine-dependent figures (seconds, guesses/s) go to CheckResult::measured.
#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "spmc/bytes.hpp"
#include "spmc/clock.hpp"
#include "spmc/crypto.hpp"
#include "spmc/key_share.hpp"
#include "spmc/profile.hpp"
#include "spmc/rng.hpp"
#include "spmc/sim/loopback.hpp"
#include "spmc/sim/requirements.hpp"
#include "spmc/u2u.hpp"

namespace spmc::sim {

inline constexpr std::uint64_t kOfflineSeed = 7;
// The DeterministicRng labels of the planted inputs (the tests redraw them).
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
// password), a canary chat text and a contact id, in a layout of its own: the tests' leaky
// store (REQ-7.at_rest scans the real phones' files).
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

// ---- Protocol experiments (offline_protocol.cpp, offline_group.cpp) ----
// Each check observes an outcome through the library functions (or, for the phone-level
// checks, the real phones of a LoopbackWorld); the observe_* functions take the switch that
// turns the attack off, so the tests can show each experiment also sees the other outcome.
// Outcomes are "verified", "accepted", "opened" or the error name that stopped the step.

// The outcome of one U2U authentication round at each phone.
struct U2uRoundOutcome {
  std::string initiator;
  std::string responder;
};
// REQ-5.wrong_secret: honest opt-in, then authentication where the responder enters a
// different secret (wrong = true) or its opt-in secret (the control).
U2uRoundOutcome observe_u2u_wrong_secret(const Profile& profile, bool wrong);

// REQ-5.replay: what answers the initiator's new authentication round.
enum class U2uReplay : std::uint8_t {
  kRecordedResponse,    // the peer's response recorded in an earlier round (the attack)
  kRealPeer,            // the peer itself, with the right secret (control)
  kOtherPeersResponse,  // a response recorded from another user's round (control)
};
// The outcome at the initiator.
std::string observe_u2u_replay(const Profile& profile, U2uReplay mode);

// REQ-5.late_substitution: honest opt-in with fingerprints, then authentication after the
// server substituted both encryption certificates (substituted = false: the control).
U2uRoundOutcome observe_u2u_late_substitution(const Profile& profile, bool substituted);

// REQ-2.withhold: a pairwise share sealed at t0 (KS-003) and delivered delay_ms later,
// through decode, open and KeyShareBook::validate as the phone does.
std::string observe_withheld_share(const Profile& profile, keyshare::Lifetime lifetime,
                                   TimeMs delay_ms);

// REQ-4.late_open: a message under a share of 1-day lifetime, sent sent_after_ms after the
// share's timestamp and delivered delivered_after_ms after it.
inline constexpr TimeMs kLateOpenLifetimeMs = 24ULL * 3600 * 1000;
std::string observe_late_open(const Profile& profile, TimeMs sent_after_ms,
                              TimeMs delivered_after_ms);

// REQ-2.clock: the receiver's application time shifted by shift_ms, at true time T:
// a fresh 7-day share (timestamp T), a share that ended 23 days ago (timestamp T - 30 days,
// 7-day lifetime) replayed to a fresh book, and a message sent at T under the fresh share.
struct ClockShiftOutcome {
  std::string fresh_share;
  std::string ended_share;
  std::string message;
  bool operator==(const ClockShiftOutcome&) const = default;
};
ClockShiftOutcome observe_clock_shift(const Profile& profile, std::int64_t shift_ms);
// The shifts the check tries (ms), in increasing order; 0 is the baseline.
std::vector<std::int64_t> clock_shifts();

// REQ-5.group_origin, on real phones: member B of A's group {A, B, C} forges a group
// envelope as A with the group key it holds; C receives it once relayed as the honest
// server relays B's envelopes (from = B) and once with the relay naming A.
struct GroupForgery {
  std::string via_honest_relay;  // "accepted" or the error C's phone reported
  std::string relay_names_sender;
  bool shown_as_sender = false;  // C's app got the forged text as A's
};
GroupForgery observe_group_forgery(const Profile& profile);

// REQ-7.recovery, on real phones: B after `reinstall` (or after `crash`, the control).
struct RecoveryOutcome {
  bool new_keys = false;                  // both public keys differ from before
  bool old_certificates_revoked = false;  // both old serials on the server's revocation list
  // Before anyone wrote, each side accepted a newer share from the other (KS-019), and B's
  // next text opened at A.
  bool new_key_share_sent = false;
  std::string detail;
};
RecoveryOutcome observe_recovery(const Profile& profile, bool reinstall);

std::vector<CheckResult> run_protocol_checks(const Profile& profile);

// ---- The user's part (offline_user.cpp) ----
// One loopback run whose user actions the world records (LoopbackWorld::user_actions) and
// whose phones report every prompt (PhoneEffects::ask_user); the four checks below judge
// what it recorded, so a test can hand them a run with one more field or action.

// A value the users typed at sign-up, and the messages that carried it to the server
// (none: it stayed on the phone).
struct SignUpInput {
  std::string name;  // "email", "password", ...
  std::set<std::string> carried_by;
};
// A's first message ever to B (REQ-2.seamless, REQ-4.first_contact_offline).
struct FirstContact {
  std::size_t a = 0;
  std::size_t b = 0;
  // The window: UserFlows::actions [send_action + 1, actions_at_read) and
  // UserFlows::prompts [prompts_at_send, prompts_at_read); read is observed right after the
  // world ran B's connection, before anyone acts again.
  std::size_t send_action = 0;  // index of A's send
  std::size_t actions_at_read = 0;
  std::size_t prompts_at_send = 0;
  std::size_t prompts_at_read = 0;
  TimeMs offline_ms = 0;  // from A's send to B's connection
  bool sent = false;
  bool read = false;
  bool recipient_offline_at_send = false;
  bool recipient_had_share = false;  // B held a key share from A when A wrote
  bool share_accepted_after_connect = false;
};
// REQ-6.device_history: one phone's chat history as its application saw it and as a thief
// with the PIN finds it in the phone's last store file (LocalStore::load, unlock, decode_state).
struct PhoneHistory {
  std::string name;  // "A", "B", ...
  // Every text the application sent or was delivered since the installation, in the order
  // it happened on the phone; outgoing entries carry sent_ms 0 (the phone stamps them).
  std::vector<phone::HistoryEntry> expected;
  std::size_t bound_bytes = 0;  // PhoneConfig::history_max_bytes (PH-023)
  std::size_t file_bytes = 0;
  std::string pin;
  std::string open_error;  // empty: the file opened and decoded
  std::vector<phone::HistoryEntry> stored;
};
struct UserFlows {
  std::size_t sign_ups = 0;
  std::vector<SignUpInput> sign_up_inputs;  // by name, over every sign-up
  std::size_t sign_up_message_fields = 0;   // fields of proto::SignUp's field list
  // Of those, the fewest that held a value the user typed, over every SignUp sent.
  std::size_t sign_up_fields_from_user = 0;
  std::vector<UserAction> actions;  // every user action of the run, in order
  std::vector<PromptSeen> prompts;  // every prompt a phone raised
  // "key shares", "encryptions", "decryptions", "rekeys", "recovery key shares": how many
  // the phones' events show (accepted shares and group joins, msg_send, msg_accept, ...).
  std::map<std::string, std::uint64_t> flows;
  FirstContact first_contact;
  std::vector<PhoneHistory> histories;  // one per phone
};
UserFlows observe_user_flows(const Profile& profile);
// REQ-1.asked: holds iff every sign-up input that reached the server is email or password and
// every field of the SignUp message holds one of the user's inputs.
CheckResult asked_check(const Profile& profile, const UserFlows& run);
// REQ-2.seamless: holds iff no user action or prompt on A or B between A's first send and
// its delivery.
CheckResult seamless_check(const Profile& profile, const UserFlows& run);
// REQ-3.no_prompts: fails unless every flow happened; holds with nothing asked of the user
// beyond the actions that start a flow, partly with at most one per key share.
CheckResult no_prompts_check(const Profile& profile, const UserFlows& run);
// REQ-4.first_contact_offline: holds iff B, offline and without A's key share when A wrote,
// accepted it and read the text after connecting.
CheckResult first_contact_offline_check(const Profile& profile, const UserFlows& run);
// REQ-6.device_history: holds iff every phone's store file opens with its PIN and its stored
// history holds every text the application sent or was delivered, in order, within the
// PH-023 bound (the newest that fit); fails otherwise, "not exercised" without any text.
CheckResult device_history_check(const Profile& profile, const UserFlows& run);
std::vector<CheckResult> run_user_checks(const Profile& profile);

}  // namespace spmc::sim
