// The protocol checks that need real phones (spec/requirements_evidence.md, "Protocol
// experiments"): a group member forging a message as another member (REQ-5.group_origin,
// A-20) and the recovery after a lockout (REQ-7.recovery, STO-005), both in a LoopbackWorld
// (one honest server, phones joined by loss-free queues) with seed kOfflineSeed.
#include <algorithm>

#include "offline_common.hpp"
#include "spmc/check.hpp"
#include "spmc/envelope.hpp"
#include "spmc/group.hpp"
#include "spmc/ratchet.hpp"
#include "spmc/sim/loopback.hpp"
#include "spmc/sim/offline_attacks.hpp"

namespace spmc::sim {
namespace {

constexpr std::string_view kForgedText = "forged by the second member";

// The first msg_accept or msg_reject event C's phone reported from event `from` on.
std::string message_outcome(const LoopbackWorld& world, std::size_t phone, std::size_t from) {
  const auto& events = world.events(phone);
  for (std::size_t i = from; i < events.size(); ++i) {
    if (events[i].type == phone::PhoneEventKind::kMsgAccept) {
      return "accepted";
    }
    if (events[i].type == phone::PhoneEventKind::kMsgReject) {
      return events[i].detail;
    }
  }
  return "nothing delivered";
}

// What member `forger` builds from its own group state: the envelope member 0 (the
// organiser) would send at counter 0, with the chain GRP-002 derives for index 0.
Bytes forge_as_member_zero(const phone::Phone& forger, const std::string& group_id,
                           const std::string& victim_id, TimeMs sent_ms) {
  const phone::GroupMembership& g = forger.state().groups.at(group_id);
  SPMC_CHECK(g.share.group && g.share.group->members.front() == victim_id);
  ratchet::SendChain chain(g.share.suite, g.share.master_key,
                           ratchet::SeedFile{group::member_seed(g.share.seed, 0)});
  auto mk = chain.next();
  SPMC_CHECK(mk.ok());
  envelope::EnvelopeHeader h;
  h.kind = envelope::Kind::kGroup;
  h.sender_id = victim_id;
  h.recipient_id = group_id;
  h.key_timestamp_ms = g.share.timestamp_ms;
  h.epoch = g.share.group->epoch;
  h.sender_index = 0;
  h.counter = mk->counter;
  h.sent_ms = sent_ms;
  return envelope::seal(h, mk->key, {envelope::ContentType::kText, bytes_of(kForgedText)});
}

// Delivers `payload` to phone `to` as the server's Deliver from `from`; C's verdict.
std::string deliver_as(LoopbackWorld& world, std::size_t to, const std::string& from,
                       const Bytes& payload) {
  const std::size_t before = world.events(to).size();
  world.server().inject_deliver(world.phone(to).state().user_id, from,
                                proto::PayloadKind::kEnvelope, payload, world.server_effects());
  world.run();
  return message_outcome(world, to, before);
}

bool delivered_from(const LoopbackWorld& world, std::size_t phone, const std::string& from) {
  const auto& inbox = world.inbox(phone);
  return std::any_of(inbox.begin(), inbox.end(), [&](const phone::Delivered& d) {
    return d.from == from && d.body == bytes_of(kForgedText);
  });
}

bool event_after(const LoopbackWorld& world, std::size_t phone, std::size_t from,
                 phone::PhoneEventKind type, const std::string& peer) {
  const auto& events = world.events(phone);
  return std::any_of(events.begin() + static_cast<std::ptrdiff_t>(from), events.end(),
                     [&](const phone::PhoneEvent& e) { return e.type == type && e.peer == peer; });
}

}  // namespace

GroupForgery observe_group_forgery(const Profile& profile) {
  LoopbackWorld world(profile, kOfflineSeed);
  const std::size_t a = world.add_signed_up_phone("organiser@example.org");
  const std::size_t b = world.add_signed_up_phone("forger@example.org");
  const std::size_t c = world.add_signed_up_phone("reader@example.org");
  world.befriend(a, b);
  world.befriend(a, c);
  const std::string a_id = world.phone(a).state().user_id;
  const std::string b_id = world.phone(b).state().user_id;
  auto group_id =
      world.phone(a).create_group({b_id, world.phone(c).state().user_id}, world.effects(a));
  SPMC_CHECK(group_id.ok());
  world.run();
  SPMC_CHECK(world.phone(b).state().groups.contains(*group_id) &&
             world.phone(c).state().groups.contains(*group_id));

  const Bytes forged =
      forge_as_member_zero(world.phone(b), *group_id, a_id, world.phone(b).app_now());
  GroupForgery out;
  // The honest server relays B's envelope with from = B (the user its session logged in).
  out.via_honest_relay = deliver_as(world, c, b_id, forged);
  // A server that names A on the relay (a malicious one, or B colluding with it).
  out.relay_names_sender = deliver_as(world, c, a_id, forged);
  out.shown_as_sender = delivered_from(world, c, a_id);
  return out;
}

RecoveryOutcome observe_recovery(const Profile& profile, bool reinstall) {
  LoopbackWorld world(profile, kOfflineSeed);
  const std::size_t a = world.add_signed_up_phone("contact@example.org");
  const std::size_t b = world.add_signed_up_phone("locked-out@example.org");
  world.befriend(a, b);
  const std::string a_id = world.phone(a).state().user_id;
  const std::string b_id = world.phone(b).state().user_id;
  const phone::PersistentState& before = world.phone(b).state();
  const crypto::Ed25519Public old_sign = before.sign_keys.public_key;
  const crypto::X25519Public old_enc = before.enc_keys.public_key;
  const std::uint64_t old_sign_serial = before.sign_cert->serial;
  const std::uint64_t old_enc_serial = before.enc_cert->serial;
  const TimeMs old_from_a = before.book->pairwise(a_id)->timestamp_ms;
  const TimeMs old_share = world.phone(a).state().book->pairwise(b_id)->timestamp_ms;

  const std::size_t a_events = world.events(a).size();
  world.clock().advance(60'000);  // the user reinstalls a minute later
  if (reinstall) {
    world.phone(b).reinstall("1234", world.effects(b));  // STO-005, PH-021
  } else {
    world.phone(b).crash();  // control: volatile state lost, the store kept
    world.phone(b).connect(world.effects(b));
  }
  world.run();
  SPMC_CHECK(world.phone(b).ready());
  const phone::PersistentState& now = world.phone(b).state();

  RecoveryOutcome out;
  out.new_keys = now.sign_keys.public_key != old_sign && now.enc_keys.public_key != old_enc;
  const auto& revoked = world.server().revoked();
  out.old_certificates_revoked =
      revoked.contains(old_sign_serial) && revoked.contains(old_enc_serial);
  // KS-019: both sides send fresh key shares at once, before anyone writes; then B's text
  // must open at A under B's new share.
  const keyshare::BookEntry* from_b = world.phone(a).state().book->pairwise(b_id);
  const bool newer = from_b != nullptr && from_b->timestamp_ms > old_share &&
                     event_after(world, a, a_events, phone::PhoneEventKind::kKeyshareAccept, b_id);
  const keyshare::BookEntry* from_a = now.book->pairwise(a_id);
  const bool b_holds_a = from_a != nullptr && from_a->timestamp_ms > old_from_a;
  const std::size_t inbox_before = world.inbox(a).size();
  SPMC_CHECK(world.phone(b).send_text(a_id, bytes_of("after recovery"), world.effects(b)).ok());
  world.run();
  const bool opened = world.inbox(a).size() == inbox_before + 1;
  out.new_key_share_sent = newer && b_holds_a && opened;
  out.detail = std::string(out.new_keys ? "new" : "same") +
               " signing and encryption keys; old "
               "certificates " +
               std::to_string(old_sign_serial) + ", " + std::to_string(old_enc_serial) +
               (out.old_certificates_revoked ? " revoked" : " not revoked") + " (new " +
               std::to_string(now.sign_cert->serial) + ", " + std::to_string(now.enc_cert->serial) +
               "); before anyone wrote, A's key share from B " +
               (newer ? "replaced by a newer one" : "unchanged") + " and B " +
               (b_holds_a ? "holds a newer share from A" : "holds no newer share from A") +
               "; B's next text " + (opened ? "opened" : "not opened") + " at A";
  return out;
}

namespace offline {

CheckResult group_origin_check(const Profile& profile) {
  CheckResult result = make_result(profile, "REQ-5.group_origin", "MAL",
                                   "group.forgery (loopback world: member B forges member A's "
                                   "group envelope with the group key it holds)");
  const GroupForgery seen = observe_group_forgery(profile);
  // the group key does not tell members apart, so a member that the server relays as
  // another member is believed; alone, through an honest relay, the relay's sender gives
  // it away. The check's adversary is the colluding server (spec/requirements.md).
  result.verdict = seen.via_honest_relay == "accepted" || seen.relay_names_sender == "accepted"
                       ? Verdict::kFails
                       : Verdict::kHolds;
  result.evidence =
      "B's envelope as A (sender_index 0, counter 0) relayed by the honest server (from = B): "
      "C " +
      seen.via_honest_relay + "; the same envelope with the relay naming A: C " +
      seen.relay_names_sender + (seen.shown_as_sender ? " and shows the text as A's" : "") +
      " (the group key does not authenticate members, A-20; only the relay's sender does)";
  return result;
}

CheckResult recovery_check(const Profile& profile) {
  CheckResult result = make_result(profile, "REQ-7.recovery", "-",
                                   "phone.reinstall (loopback world: B reinstalls, contact A)");
  const RecoveryOutcome seen = observe_recovery(profile, true);
  const int parts = static_cast<int>(seen.new_keys) +
                    static_cast<int>(seen.old_certificates_revoked) +
                    static_cast<int>(seen.new_key_share_sent);
  result.verdict = parts == 3 ? Verdict::kHolds : parts == 0 ? Verdict::kFails : Verdict::kPartly;
  result.evidence = "after reinstall: " + seen.detail + " (" + std::to_string(parts) +
                    " of 3: new keys, old certificates revoked, new key shares)";
  return result;
}

}  // namespace offline
}  // namespace spmc::sim
