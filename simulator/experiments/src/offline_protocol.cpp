// Protocol checks of spec/requirements.md as focused experiments on the reference library
// (spec/requirements_evidence.md, "Protocol experiments"): U2U authentication under a
// wrong secret, a replayed response and a late key substitution (REQ-5), and the key
// share and message time rules under withholding, a shifted clock and late delivery
// (REQ-2, REQ-4). Every input comes from DeterministicRng(kOfflineSeed, label).
#include <algorithm>

#include "offline_common.hpp"
#include "spmc/check.hpp"
#include "spmc/envelope.hpp"
#include "spmc/key_share_book.hpp"
#include "spmc/ratchet.hpp"
#include "spmc/schemes/u2u_scheme.hpp"
#include "spmc/sim/offline_attacks.hpp"

namespace spmc::sim {
namespace {

using offline::make_result;

constexpr TimeMs kHour = 3600ULL * 1000;
constexpr TimeMs kDay = 24 * kHour;
constexpr TimeMs kT0 = 1'700'000'000'000ULL;  // the true time of every key share experiment
constexpr std::string_view kSecretI = "initiator secret";
constexpr std::string_view kSecretR = "responder secret";

std::string outcome_of(const u2u::U2uSession& session) {
  const Status status = session.auth_status();
  return status.ok() ? "verified" : std::string(error_name(status.code()));
}

template <typename T>
std::string error_of(const Result<T>& result) {
  return std::string(error_name(result.code()));
}

crypto::Digest fingerprint(std::string_view name) { return crypto::sha256(bytes_of(name)); }

// Certified encryption-key fingerprints as each phone sees them.
struct Views {
  u2u::KeyFingerprints initiator;
  u2u::KeyFingerprints responder;
};

Views honest_views() {
  const crypto::Digest fp_i = fingerprint("initiator encryption certificate");
  const crypto::Digest fp_r = fingerprint("responder encryption certificate");
  return {{fp_i, fp_r}, {fp_r, fp_i}};
}

// After a substitution of both certificates: each phone sees the server's key as its peer's.
Views substituted_views() {
  Views views = honest_views();
  views.initiator.peer = fingerprint("server key certified as the responder");
  views.responder.peer = fingerprint("server key certified as the initiator");
  return views;
}

// The opt-in of run_u2u_optin with explicit fingerprints.
std::pair<u2u::U2uSession, u2u::U2uSession> optin(const Profile& profile, const Views& views,
                                                  std::string_view secret_r = kSecretR) {
  u2u::U2uSession i(profile);
  u2u::U2uSession r(profile);
  auto one = [](Result<u2u::Outgoing> out) {
    SPMC_CHECK(out.ok());
    return std::move(out).value().messages;
  };
  const auto request = one(i.request_optin());
  (void)one(r.handle(request.at(0)));
  (void)one(i.handle(one(r.accept_optin()).at(0)));
  const auto hash_i = one(i.provide_secret(kSecretI, views.initiator));
  const auto hash_r = one(r.provide_secret(secret_r, views.responder));
  (void)one(r.handle(hash_i.at(0)));
  (void)one(i.handle(hash_r.at(0)));
  SPMC_CHECK(i.state() == u2u::State::kEstablished && r.state() == u2u::State::kEstablished);
  return {std::move(i), std::move(r)};
}

// Delivers messages to a session; the first error stops delivery and is returned.
std::optional<std::string> deliver(u2u::U2uSession& to, const std::vector<u2u::Message>& messages,
                                   std::vector<u2u::Message>* replies = nullptr) {
  for (const u2u::Message& m : messages) {
    auto out = to.handle(m);
    if (!out.ok()) {
      return error_of(out);
    }
    if (replies != nullptr) {
      replies->insert(replies->end(), out->messages.begin(), out->messages.end());
    }
  }
  return std::nullopt;
}

// One authentication round (U2U-003 / U2U-010) in the order the phones run it: the
// initiator asks, the responder's user answers first, then the initiator's user.
// `responses` records the responder's auth responses as they crossed the channel.
U2uRoundOutcome auth_round(u2u::U2uSession& i, u2u::U2uSession& r, Rng& rng,
                           std::string_view secret_r, const Views& views,
                           std::vector<u2u::Message>* responses = nullptr) {
  auto request = i.request_auth(rng);
  SPMC_CHECK(request.ok());
  SPMC_CHECK(!deliver(r, request->messages));
  auto from_r = r.provide_auth_secret(rng, secret_r, views.responder);
  SPMC_CHECK(from_r.ok());
  if (responses != nullptr) {
    *responses = from_r->messages;
  }
  if (auto error = deliver(i, from_r->messages)) {
    return {*error, outcome_of(r)};
  }
  auto from_i = i.provide_auth_secret(rng, kSecretI, views.initiator);
  SPMC_CHECK(from_i.ok());
  if (auto error = deliver(r, from_i->messages)) {
    return {outcome_of(i), *error};
  }
  return {outcome_of(i), outcome_of(r)};
}

// The initiator alone in a round, answered by `answer` instead of the responder.
std::string round_answered_by(u2u::U2uSession& i, Rng& rng, const std::vector<u2u::Message>& answer,
                              const Views& views) {
  SPMC_CHECK(i.request_auth(rng).ok());
  if (auto error = deliver(i, answer)) {
    return *error;
  }
  SPMC_CHECK(i.provide_auth_secret(rng, kSecretI, views.initiator).ok());
  return outcome_of(i);
}

std::string label(std::string_view name) { return "offline/protocol." + std::string(name); }

// ---- key shares and messages, through the functions the phone's receive path calls ----

struct Parties {
  crypto::Ed25519KeyPair sender_sign;
  crypto::X25519KeyPair recipient_enc;
};

Parties make_parties(Rng& rng) {
  Parties p{crypto::ed25519_generate(rng), crypto::x25519_generate(rng)};
  return p;
}

Bytes seal_share(const Profile& profile, Rng& rng, const Parties& parties,
                 const keyshare::KeySharePlain& plain) {
  return keyshare::seal(rng, profile, plain, "alice", "bob", parties.recipient_enc.public_key,
                        &parties.sender_sign.secret_key);
}

// Phone::on_key_share: decode, open (hardened verifies the signature), validate, accept.
std::string receive_share(const Profile& profile, keyshare::KeyShareBook& book,
                          const Parties& parties, ByteView bytes, TimeMs now) {
  auto message = keyshare::decode_message(bytes);
  if (!message.ok()) {
    return error_of(message);
  }
  auto plain = keyshare::open(profile, *message, parties.recipient_enc.secret_key,
                              &parties.sender_sign.public_key);
  if (!plain.ok()) {
    return error_of(plain);
  }
  auto accepted = book.validate(*plain, message->sender_id, now, profile.limits);
  if (!accepted.ok()) {
    return error_of(accepted);
  }
  book.accept(std::move(accepted).value());
  return "accepted";
}

Bytes seal_message(const keyshare::KeySharePlain& plain, TimeMs sent_ms, std::string_view text) {
  ratchet::SendChain chain(plain.suite, plain.master_key, ratchet::SeedFile{plain.seed});
  auto mk = chain.next();
  SPMC_CHECK(mk.ok());
  envelope::EnvelopeHeader h;
  h.sender_id = "alice";
  h.recipient_id = "bob";
  h.key_timestamp_ms = plain.timestamp_ms;
  h.counter = mk->counter;
  h.sent_ms = sent_ms;
  return envelope::seal(h, mk->key, {envelope::ContentType::kText, bytes_of(text)});
}

// Phone::on_direct: decode, the book's time checks (ENV-004, KS-014), open with the chain.
std::string receive_message(const Profile& profile, const keyshare::KeyShareBook& book,
                            ratchet::ReceiveChain& chain, ByteView bytes, TimeMs now) {
  auto e = envelope::decode_envelope(bytes);
  if (!e.ok()) {
    return error_of(e);
  }
  const Status times = book.check_message_time(e->header.sender_id, e->header.key_timestamp_ms,
                                               e->header.sent_ms, now, profile.limits);
  if (!times.ok()) {
    return std::string(error_name(times.code()));
  }
  auto payload = envelope::open_with_chain(*e, chain);
  return payload.ok() ? "opened" : error_of(payload);
}

std::string days_text(std::int64_t ms) {
  const std::int64_t magnitude = ms < 0 ? -ms : ms;
  const std::string sign = ms < 0 ? "-" : "+";
  if (magnitude % static_cast<std::int64_t>(kDay) == 0) {
    return sign + std::to_string(magnitude / static_cast<std::int64_t>(kDay)) + "d";
  }
  return sign + std::to_string(magnitude / 60000) + "min";
}

}  // namespace

// ---- REQ-5 ----

U2uRoundOutcome observe_u2u_wrong_secret(const Profile& profile, bool wrong) {
  DeterministicRng rng(kOfflineSeed, label("wrong_secret"));
  auto [i, r] = optin(profile, honest_views());
  return auth_round(i, r, rng, wrong ? "a different secret" : kSecretR, honest_views());
}

std::string observe_u2u_replay(const Profile& profile, U2uReplay mode) {
  DeterministicRng rng(kOfflineSeed, label("replay"));
  auto [i, r] = optin(profile, honest_views());
  // Round 1, honest: the adversary (server after a substitution before opt-in, reading the
  // end-to-end channel, or a store copy) records the responder's response.
  std::vector<u2u::Message> recorded;
  const U2uRoundOutcome first = auth_round(i, r, rng, kSecretR, honest_views(), &recorded);
  SPMC_CHECK(first.initiator == "verified" && first.responder == "verified");
  if (mode == U2uReplay::kRealPeer) {
    return auth_round(i, r, rng, kSecretR, honest_views()).initiator;
  }
  if (mode == U2uReplay::kOtherPeersResponse) {
    // The same initiator secret against another user (secret and session of its own).
    auto [i2, r2] = optin(profile, honest_views(), "another user's secret");
    (void)auth_round(i2, r2, rng, "another user's secret", honest_views(), &recorded);
  }
  // Round 2: the initiator asks again; the adversary answers with the recording.
  return round_answered_by(i, rng, recorded, honest_views());
}

U2uRoundOutcome observe_u2u_late_substitution(const Profile& profile, bool substituted) {
  DeterministicRng rng(kOfflineSeed, label("late_substitution"));
  auto [i, r] = optin(profile, honest_views());
  // The server relays (re-encrypts) the U2U messages between the two channels it opened
  // with its own keys, so they arrive unchanged; only each phone's view of its peer's
  // certificate differs, as the phones pass it to U2U (Phone::fingerprints).
  return auth_round(i, r, rng, kSecretR, substituted ? substituted_views() : honest_views());
}

// ---- REQ-2, REQ-4 ----

std::string observe_withheld_share(const Profile& profile, keyshare::Lifetime lifetime,
                                   TimeMs delay_ms) {
  DeterministicRng rng(kOfflineSeed, label("withhold"));
  const Parties parties = make_parties(rng);
  const auto plain = keyshare::make_pairwise(rng, profile.default_suite, kT0, lifetime);
  const Bytes sealed = seal_share(profile, rng, parties, plain);
  keyshare::KeyShareBook book("bob");
  return receive_share(profile, book, parties, sealed, kT0 + delay_ms);
}

std::string observe_late_open(const Profile& profile, TimeMs sent_after_ms,
                              TimeMs delivered_after_ms) {
  DeterministicRng rng(kOfflineSeed, label("late_open"));
  const Parties parties = make_parties(rng);
  const auto plain = keyshare::make_pairwise(rng, profile.default_suite, kT0,
                                             keyshare::Lifetime::duration(kLateOpenLifetimeMs));
  keyshare::KeyShareBook book("bob");
  // The share itself arrives at once; only the message is late.
  SPMC_CHECK(receive_share(profile, book, parties, seal_share(profile, rng, parties, plain), kT0) ==
             "accepted");
  ratchet::ReceiveChain chain(plain.suite, plain.master_key, ratchet::SeedFile{plain.seed},
                              profile.limits);
  const Bytes message = seal_message(plain, kT0 + sent_after_ms, "sent before expiry");
  return receive_message(profile, book, chain, message, kT0 + delivered_after_ms);
}

std::vector<std::int64_t> clock_shifts() {
  const auto day = static_cast<std::int64_t>(kDay);
  const std::int64_t minute = 60'000;
  return {-3650 * day, -30 * day,   -1 * day, -10 * minute, -4 * minute, 0,
          4 * minute,  10 * minute, 1 * day,  8 * day,      3650 * day};
}

ClockShiftOutcome observe_clock_shift(const Profile& profile, std::int64_t shift_ms) {
  DeterministicRng rng(kOfflineSeed, label("clock"));
  const Parties parties = make_parties(rng);
  const keyshare::Lifetime week = keyshare::Lifetime::duration(7 * kDay);
  const auto fresh = keyshare::make_pairwise(rng, profile.default_suite, kT0, week);
  const auto ended = keyshare::make_pairwise(rng, profile.default_suite, kT0 - 30 * kDay, week);
  const Bytes fresh_sealed = seal_share(profile, rng, parties, fresh);
  const Bytes ended_sealed = seal_share(profile, rng, parties, ended);
  // A-04, KS-004: the phone's application time is the server's time plus elapsed time, so
  // the server's lie arrives as `now` itself.
  const auto now = static_cast<TimeMs>(static_cast<std::int64_t>(kT0) + shift_ms);

  ClockShiftOutcome out;
  keyshare::KeyShareBook book("bob");
  out.fresh_share = receive_share(profile, book, parties, fresh_sealed, now);
  keyshare::KeyShareBook other("bob");
  out.ended_share = receive_share(profile, other, parties, ended_sealed, now);
  // The message is judged against an honestly accepted fresh share.
  keyshare::KeyShareBook honest("bob");
  SPMC_CHECK(receive_share(profile, honest, parties, fresh_sealed, kT0) == "accepted");
  ratchet::ReceiveChain chain(fresh.suite, fresh.master_key, ratchet::SeedFile{fresh.seed},
                              profile.limits);
  out.message = receive_message(profile, honest, chain, seal_message(fresh, kT0, "at T"), now);
  return out;
}

// ---- the checks ----

namespace {

CheckResult wrong_secret_check(const Profile& profile) {
  CheckResult result = make_result(profile, "REQ-5.wrong_secret", "-",
                                   "u2u.wrong_secret (opt-in, then authentication with a "
                                   "different responder secret)");
  const U2uRoundOutcome seen = observe_u2u_wrong_secret(profile, true);
  const bool any_verified = seen.initiator == "verified" || seen.responder == "verified";
  const bool both_mismatch = seen.initiator == "u2u_mismatch" && seen.responder == "u2u_mismatch";
  result.verdict = any_verified    ? Verdict::kFails
                   : both_mismatch ? Verdict::kHolds
                                   : Verdict::kPartly;
  result.evidence = "responder entered a different secret at authentication: initiator " +
                    seen.initiator + ", responder " + seen.responder;
  return result;
}

CheckResult replay_check(const Profile& profile) {
  CheckResult result =
      make_result(profile, "REQ-5.replay", "MAL",
                  "u2u.replay (round-1 auth response replayed into the initiator's round 2)");
  const std::string seen = observe_u2u_replay(profile, U2uReplay::kRecordedResponse);
  result.verdict = seen == "verified" ? Verdict::kFails : Verdict::kHolds;
  result.evidence =
      "responder's recorded auth response of round 1 replayed without its secret into "
      "round 2: initiator " +
      seen + (profile.u2u->challenges() ? " (fresh nonces, U2U-010)" : " (no nonce, U2U-003)");
  return result;
}

CheckResult late_substitution_check(const Profile& profile) {
  CheckResult result = make_result(profile, "REQ-5.late_substitution", "MAL",
                                   "u2u.late_substitution (both encryption certificates "
                                   "substituted after an honest opt-in)");
  const U2uRoundOutcome seen = observe_u2u_late_substitution(profile, true);
  const bool any_verified = seen.initiator == "verified" || seen.responder == "verified";
  result.verdict = any_verified ? Verdict::kFails : Verdict::kHolds;
  result.evidence = "authentication after the substitution, right secrets: initiator " +
                    seen.initiator + ", responder " + seen.responder +
                    (profile.u2u->binds_keys() ? " (fingerprints bound, U2U-010)"
                                               : " (value depends on the hashes only, U2U-002)");
  return result;
}

CheckResult withhold_check(const Profile& profile) {
  CheckResult result = make_result(profile, "REQ-2.withhold", "MAL",
                                   "keyshare.withhold (share delivered days after sealing)");
  const std::string session =
      observe_withheld_share(profile, keyshare::Lifetime::session(), 30 * kDay);
  const std::string within =
      observe_withheld_share(profile, keyshare::Lifetime::duration(7 * kDay), 6 * kDay);
  const std::string after =
      observe_withheld_share(profile, keyshare::Lifetime::duration(7 * kDay), 8 * kDay);
  const bool accepted = session == "accepted" || within == "accepted";
  result.verdict = accepted ? Verdict::kPartly : Verdict::kHolds;
  result.evidence = "session-lifetime share withheld 30 days: " + session +
                    "; 7-day share withheld 6 days: " + within + "; withheld 8 days: " + after +
                    " (no lower bound on a share's age, A-06)";
  return result;
}

CheckResult late_open_check(const Profile& profile) {
  CheckResult result = make_result(profile, "REQ-4.late_open", "ANA",
                                   "envelope.late_open (sent before its key expired, "
                                   "delivered after)");
  const TimeMs sent = kLateOpenLifetimeMs - 60'000;
  const std::string seen = observe_late_open(profile, sent, kLateOpenLifetimeMs + 2 * kDay);
  result.verdict = seen == "opened" ? Verdict::kHolds : Verdict::kFails;
  result.evidence =
      "1-day key, message sent 1 min before its end, delivered 2 days after: " + seen +
      " (judged at sent_ms, A-05)";
  return result;
}

CheckResult clock_check(const Profile& profile) {
  CheckResult result = make_result(profile, "REQ-2.clock", "MAL",
                                   "keyshare.clock (receiver's application time shifted)");
  const ClockShiftOutcome base = observe_clock_shift(profile, 0);
  std::int64_t largest = 0;
  std::string changes;
  for (std::int64_t shift : clock_shifts()) {
    const ClockShiftOutcome seen = observe_clock_shift(profile, shift);
    if (seen == base) {
      continue;
    }
    largest = std::max(largest, shift < 0 ? -shift : shift);
    changes += (changes.empty() ? "" : "; ") + days_text(shift) + ": fresh " + seen.fresh_share +
               ", ended " + seen.ended_share + ", message " + seen.message;
  }
  const auto skew = static_cast<std::int64_t>(profile.limits.max_future_skew_ms);
  result.verdict = largest == 0      ? Verdict::kHolds
                   : largest <= skew ? Verdict::kPartly
                                     : Verdict::kFails;
  result.evidence =
      "unshifted: fresh 7-day share " + base.fresh_share + ", share ended 23 days ago " +
      base.ended_share + ", message " + base.message + "; outcome changed at " +
      (changes.empty() ? std::string("no shift") : changes) + "; largest shift with an effect " +
      days_text(largest) + " (of " + days_text(clock_shifts().back()) + " tried)";
  return result;
}

}  // namespace

std::vector<CheckResult> run_protocol_checks(const Profile& profile) {
  return {withhold_check(profile),
          clock_check(profile),
          late_open_check(profile),
          wrong_secret_check(profile),
          replay_check(profile),
          late_substitution_check(profile),
          offline::group_origin_check(profile),
          offline::recovery_check(profile)};
}

}  // namespace spmc::sim
