// REQ-5.brute_force as an experiment on the reference U2U sessions: the opt-in
// hash H(keyword) that crosses the end-to-end channel (and that hardened keeps as h_peer)
// is searched offline with u2u::dictionary_attack.
#include <optional>

#include "offline_common.hpp"
#include "spmc/check.hpp"
#include "spmc/sim/offline_attacks.hpp"

namespace spmc::sim {
namespace {

using offline::log2_text;
using offline::make_result;
using offline::rate_text;
using offline::short_number;

constexpr std::string_view kDigits = "0123456789";
constexpr std::string_view kLowercase = "abcdefghijklmnopqrstuvwxyz";
constexpr std::size_t kKeywordLength = 6;
constexpr std::size_t kBoundedLength = 4;  // the lowercase run stops here, then extrapolates
constexpr double kDicewareWords = 7776;    // the spec's 4-word secret (REQ-5.brute_force)
constexpr double kTwoTo64 = 18446744073709551616.0;
constexpr std::string_view kInitiatorKeyword = "initiator keyword";

crypto::Digest fingerprint(std::string_view name) { return crypto::sha256(bytes_of(name)); }

u2u::Outgoing expect_one(Result<u2u::Outgoing> out) {
  SPMC_CHECK(out.ok() && out->messages.size() <= 1);
  return std::move(out).value();
}

// Strings of length 1..length-1 over the alphabet, then the keyword's rank among those of
// its length, plus one: the guesses dictionary_attack makes to find it (shortest first).
std::uint64_t guesses_to_find(std::string_view keyword, std::string_view alphabet) {
  std::uint64_t shorter = 0;
  std::uint64_t power = 1;
  for (std::size_t len = 1; len < keyword.size(); ++len) {
    power *= alphabet.size();
    shorter += power;
  }
  std::uint64_t rank = 0;
  for (char c : keyword) {
    rank = rank * alphabet.size() + alphabet.find(c);
  }
  return shorter + rank + 1;
}

std::uint64_t space_up_to(std::size_t length, std::size_t alphabet_size) {
  std::uint64_t total = 0;
  std::uint64_t power = 1;
  for (std::size_t len = 1; len <= length; ++len) {
    power *= alphabet_size;
    total += power;
  }
  return total;
}

std::string random_keyword(Rng& rng, std::string_view alphabet) {
  std::string keyword(kKeywordLength, alphabet[0]);
  for (char& c : keyword) {
    c = alphabet[rng.uniform(alphabet.size())];
  }
  return keyword;
}

// What an adversary observes, and where: the responder's u2u_hash body, and whether the
// initiator's stored U2U state keeps it (hardened h_peer, U2U-010).
struct Observation {
  crypto::Digest hash{};
  bool stored = false;
};

Observation observe(const Profile& profile, std::string_view keyword) {
  U2uOptin optin = run_u2u_optin(profile, kInitiatorKeyword, keyword);
  const Plant plant{"h_peer", Bytes(optin.responder_hash.begin(), optin.responder_hash.end())};
  const Bytes stored = optin.initiator.encode_state();
  return {optin.responder_hash, !scan_for_plants(stored, std::span(&plant, 1)).empty()};
}

}  // namespace

std::vector<std::string> planted_keywords() {
  DeterministicRng rng(kOfflineSeed, kKeywordLabel);
  std::string digits = random_keyword(rng, kDigits);
  return {digits, random_keyword(rng, kLowercase)};
}

U2uOptin run_u2u_optin(const Profile& profile, std::string_view initiator_secret,
                       std::string_view responder_secret) {
  const crypto::Digest fp_i = fingerprint("initiator encryption certificate");
  const crypto::Digest fp_r = fingerprint("responder encryption certificate");
  U2uOptin out{u2u::U2uSession(profile), u2u::U2uSession(profile), {}};
  const u2u::Outgoing request = expect_one(out.initiator.request_optin());
  (void)expect_one(out.responder.handle(request.messages.at(0)));
  const u2u::Outgoing accept = expect_one(out.responder.accept_optin());
  (void)expect_one(out.initiator.handle(accept.messages.at(0)));
  const u2u::Outgoing hash_i =
      expect_one(out.initiator.provide_secret(initiator_secret, {fp_i, fp_r}));
  const u2u::Outgoing hash_r =
      expect_one(out.responder.provide_secret(responder_secret, {fp_r, fp_i}));
  (void)expect_one(out.responder.handle(hash_i.messages.at(0)));
  (void)expect_one(out.initiator.handle(hash_r.messages.at(0)));
  SPMC_CHECK(out.initiator.state() == u2u::State::kEstablished &&
             out.responder.state() == u2u::State::kEstablished);
  out.responder_hash = hash_r.messages.at(0).digest.value();
  return out;
}

std::vector<CheckResult> run_u2u_bruteforce_checks(const Profile& profile, const Stopwatch& clock) {
  CheckResult result = make_result(profile, "REQ-5.brute_force", "MAL",
                                   "u2u.dictionary_attack (opt-in hash of a 6-character keyword)");
  const std::vector<std::string> keywords = planted_keywords();
  const Observation digits = observe(profile, keywords[0]);
  const Observation lower = observe(profile, keywords[1]);

  std::uint64_t digit_guesses = 0;
  double start = clock();
  const std::optional<std::string> found =
      u2u::dictionary_attack(digits.hash, kDigits, kKeywordLength, digit_guesses);
  const double digit_seconds = clock() - start;

  std::uint64_t bounded_guesses = 0;
  start = clock();
  const std::optional<std::string> early =
      u2u::dictionary_attack(lower.hash, kLowercase, kBoundedLength, bounded_guesses);
  const double bounded_seconds = clock() - start;
  SPMC_CHECK(!early);  // a 6-character keyword is beyond the bounded lengths
  const std::uint64_t lower_needed = guesses_to_find(keywords[1], kLowercase);
  const std::uint64_t lower_space = space_up_to(kKeywordLength, kLowercase.size());
  const double words = kDicewareWords * kDicewareWords * kDicewareWords * kDicewareWords;

  const bool recovered = found && *found == keywords[0];
  const bool cheap = static_cast<double>(lower_needed) <= kTwoTo64 || words <= kTwoTo64;
  result.verdict = recovered || cheap ? Verdict::kFails : Verdict::kHolds;
  result.evidence =
      "observed H(keyword) in the opt-in u2u_hash body (end-to-end channel, read after a key "
      "substitution"
      " before opt-in); " +
      std::string(lower.stored && digits.stored
                      ? "also kept in the stored U2U state as h_peer (DEV)"
                      : "not in the stored U2U state (it keeps v = H(s || h_peer))") +
      "; 6 digits: " +
      (found ? "recovered \"" + *found + "\"" + (recovered ? " = planted" : " != planted")
             : std::string("not found")) +
      " after " + std::to_string(digit_guesses) + " SHA-256 guesses (space " +
      std::to_string(space_up_to(kKeywordLength, kDigits.size())) +
      ", real search); 6 lowercase \"" + keywords[1] + "\": " + std::to_string(lower_needed) +
      " guesses needed of " + std::to_string(lower_space) +
      " (extrapolated from a bounded run of " + std::to_string(bounded_guesses) +
      " guesses); 4 words of 7776: " + log2_text(words) +
      " hash evaluations; one SHA-256 per guess in both profiles; all below 2^64";
  const double rate =
      bounded_seconds > 0 ? static_cast<double>(bounded_guesses) / bounded_seconds : 0;
  result.measured =
      "digits: " + std::to_string(digit_guesses) + " guesses in " + short_number(digit_seconds) +
      " s (" + rate_text(static_cast<double>(digit_guesses), digit_seconds) +
      "); lowercase: " + std::to_string(bounded_guesses) + " timed guesses in " +
      short_number(bounded_seconds) + " s (" +
      rate_text(static_cast<double>(bounded_guesses), bounded_seconds) +
      "), extrapolated: keyword in " +
      (rate > 0 ? short_number(static_cast<double>(lower_needed) / rate) : std::string("n/a")) +
      " s, whole space in " +
      (rate > 0 ? short_number(static_cast<double>(lower_space) / rate) : std::string("n/a")) +
      " s";
  return {result};
}

}  // namespace spmc::sim
