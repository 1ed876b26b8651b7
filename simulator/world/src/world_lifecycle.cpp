// The lifecycle of phones and their users (scenario `lifecycle`, SCHEMA.md): duration keys
// that expire mid-conversation (KS-012, KS-014, KS-017), reinstalls (PH-021, STO-005) and
// clock jumps (PH-006), during the safety phase. Every draw comes from the world's stream
// "lifecycle", so a world without the object draws exactly what it drew before.
#include <algorithm>

#include "world_impl.hpp"

namespace spmc::sim {

keyshare::Lifetime World::Impl::phone_key_lifetime(const LifecycleConfig& lifecycle) {
  return lifecycle.key_lifetime_ms == 0 ? keyshare::Lifetime::session()
                                        : keyshare::Lifetime::duration(lifecycle.key_lifetime_ms);
}

void World::Impl::start_lifecycle() {
  schedule_reinstall();
  schedule_clock_jump();
  schedule_pin_lockout();  // world_store.cpp
}

// `act` this often in the whole world through the safety phase, drawn from the lifecycle
// stream (exponential gaps).
void World::Impl::every_hour(std::uint32_t per_hour, void (World::Impl::*act)()) {
  if (per_hour == 0) {
    return;
  }
  m_queue.schedule_after(m_lifecycle_rng.exponential(3600 * kUsPerSecond / per_hour),
                         [this, per_hour, act] {
                           if (!m_safety) {
                             return;
                           }
                           (this->*act)();
                           every_hour(per_hour, act);
                         });
}

void World::Impl::schedule_reinstall() {
  every_hour(m_scenario.lifecycle.reinstalls_per_hour, &World::Impl::reinstall_one);
}

// A phone whose user can lose its store: up (no user at a crashed phone), ready (a phone not
// yet certified has nothing to lose) and not of a U2U pair (U2U data is not restored, STO-005,
// and u2u_honest_authenticates judges both ends at the end of the run). Nothing if none.
PhoneNode* World::Impl::draw_lifecycle_phone() {
  std::vector<std::uint32_t> eligible;
  for (const auto& node : m_phones) {
    const std::uint32_t i = node->index;
    const bool in_u2u = std::any_of(m_u2u_pairs.begin(), m_u2u_pairs.end(),
                                    [i](const U2uPair& u) { return u.a == i || u.b == i; });
    if (node->up && node->phone->state().account == phone::AccountState::kReady && !in_u2u) {
      eligible.push_back(i);
    }
  }
  if (eligible.empty()) {
    return nullptr;
  }
  return m_phones[eligible[m_lifecycle_rng.uniform(eligible.size())]].get();
}

// A user reinstalls the application (lost PIN, new phone): the store is gone, the account
// stays; online or not.
void World::Impl::reinstall_one() {
  PhoneNode* drawn = draw_lifecycle_phone();
  if (drawn == nullptr) {
    return;
  }
  PhoneNode& p = *drawn;
  note_reinstall(p, p.phone->state());
  p.phone->reinstall(p.pin, *p.fx);
  schedule_wakeup(p);
}

// What the world keeps track of when phone p's store is gone (a reinstall drawn here, or a
// store locked or unreadable at a restart, world_store.cpp): the trace line, the old
// installation for the reinstall invariants, and the groups the old store held.
void World::Impl::note_reinstall(PhoneNode& p, const phone::PersistentState& old) {
  auto e = make_trace_event(m_queue.now(), "reinstall");
  e["phone"] = p.index;
  e["user"] = p.user_id;
  e["old_certs"] = nlohmann::json::array();
  if (old.sign_cert && old.enc_cert) {
    e["old_certs"] = {old.sign_cert->serial, old.enc_cert->serial};
  }
  m_trace.record(e);
  p.last_delivered.reset();  // the new installation's history starts empty
  p.disk = PhoneDisk{};      // the old installation's store copies are deleted with it
  // A new installation has no U2U data (STO-005): the pair's users verify each other again,
  // the requester asking once the contact is back.
  for (const U2uPair& pair : m_u2u_pairs) {
    if (pair.a == p.index || pair.b == p.index) {
      u2u_action(pair.a, pair.b, phone::Phone::U2uAction::kRequestOptin, 5 * kUsPerSecond);
    }
  }
  if (m_lifecycle.enabled() && !p.user_id.empty()) {
    m_lifecycle.reinstalled(p.user_id, old);
  }
  // The new installation is in no group (its store is gone): the groups it organised are no
  // longer anyone's to change, and the user writes to none.
  std::erase_if(m_group_list, [&p](const auto& g) { return g.first == p.index; });
  p.groups.clear();
  for (auto it = m_last_pairwise_share.begin(); it != m_last_pairwise_share.end();) {
    it = it->first.first == p.index ? m_last_pairwise_share.erase(it) : std::next(it);
  }
}

void World::Impl::schedule_clock_jump() {
  every_hour(m_scenario.lifecycle.clock_jumps_per_hour, &World::Impl::jump_one_clock);
}

// The user sets the clock or its time zone by hand, or the clock is corrected: the local
// clock steps forward or back. The phone learns server time again at its next login or
// resync (PH-006); until then its application time carries the step.
void World::Impl::jump_one_clock() {
  PhoneNode& p = *m_phones[m_lifecycle_rng.uniform(m_phones.size())];
  const auto size_ms = static_cast<std::int64_t>(
      m_lifecycle_rng.uniform_range(1, m_scenario.lifecycle.clock_jump_max_ms));
  const std::int64_t jump_ms = m_lifecycle_rng.uniform(2) == 0 ? size_ms : -size_ms;
  p.clock->jump(jump_ms * static_cast<std::int64_t>(kUsPerMs));
  auto e = make_trace_event(m_queue.now(), "clock_jump");
  e["phone"] = p.index;
  e["jump_ms"] = jump_ms;
  e["offset_ms"] = p.clock->model().offset_us / static_cast<std::int64_t>(kUsPerMs);
  m_trace.record(e);
  schedule_wakeup(p);  // a deadline may have come closer
}

// What the lifecycle needs to know of a phone's events: which installation each key share
// was sealed for (reinstall invariants), and a pairwise share sent because the previous key
// expired (KS-017): the trace's `rekey`.
void World::Impl::lifecycle_phone_event(std::uint32_t index, const phone::PhoneEvent& ev) {
  const std::uint64_t lifetime_ms = m_scenario.lifecycle.key_lifetime_ms;
  if (!m_lifecycle.enabled() && lifetime_ms == 0) {
    return;
  }
  const std::string& user = m_phones[index]->phone->state().user_id;
  m_lifecycle.phone_event(user, ev);
  if (lifetime_ms == 0) {
    return;
  }
  if (ev.type == phone::PhoneEventKind::kKeyshareAccept) {
    m_shares_accepted.emplace(user, ev.detail.empty() ? ev.peer : ev.detail, ev.key_timestamp);
  }
  if (ev.type == phone::PhoneEventKind::kKeyshareReject && ev.detail == "expired") {
    m_expired_shares_refused.emplace(user, ev.peer);
  }
  if (ev.type != phone::PhoneEventKind::kKeyshareSend || !ev.detail.empty()) {
    return;
  }
  auto [last, first] = m_last_pairwise_share.try_emplace({index, ev.peer}, ev.key_timestamp);
  const TimeMs previous = last->second;
  last->second = ev.key_timestamp;
  // Within a user's send (m_current_uid): not a share for a new contact or new certificates
  // (KS-019), which arrive as pushes.
  if (!first && m_current_uid && ev.key_timestamp >= previous + lifetime_ms) {
    auto e = make_trace_event(m_queue.now(), "rekey");
    e["phone"] = index;
    e["peer"] = ev.peer;
    e["old_key_ts"] = previous;
    e["key_ts"] = ev.key_timestamp;
    e["detail"] = "expired";
    m_trace.record(e);
  }
}

// KS-014: a message sent at or after the end of its key's lifetime is refused (`expired`):
// it is owed to nobody. Only group messages are ever sent so (A-33, GRP-011: nothing renews
// an expired group key; the phone replaces an expired pairwise key before sending).
bool World::Impl::sent_after_key_end(const envelope::EnvelopeHeader& h) const {
  const std::uint64_t lifetime_ms = m_scenario.lifecycle.key_lifetime_ms;
  return lifetime_ms != 0 && h.sent_ms >= h.key_timestamp_ms + lifetime_ms;
}

}  // namespace spmc::sim

namespace spmc::sim {

void World::Impl::lifecycle_relayed(const std::string& from, const std::string& to,
                                    proto::PayloadKind kind, ByteView payload) {
  if (m_scenario.lifecycle.key_lifetime_ms == 0 || kind != proto::PayloadKind::kEnvelope) {
    return;
  }
  if (auto e = envelope::decode_envelope(payload); e.ok()) {
    const auto& h = e->header;
    m_lifetime_envelopes.emplace_back(
        to, DeliveryChecker::Key{from, h.recipient_id, h.key_timestamp_ms, h.counter});
  }
}

// Messages a rule of the spec makes unreadable are owed a delivery attempt, not an opening:
// sealed to a share that went to an installation the recipient has since replaced (STO-005,
// judged by reinstall_loses_nothing), or under a duration share that reached its recipient
// only after its lifetime ended, so the recipient refused the share (KS-013: an offline
// recipient loses what was written to it under a key that expired meanwhile).
void World::Impl::excuse_unreadable() {
  m_lifecycle.excuse_unreadable(m_delivery);
  for (const auto& [to, key] : m_lifetime_envelopes) {
    const bool direct = key.recipient == to;
    const std::string& scope = direct ? key.sender : key.recipient;
    // A group's shares come from its organiser, named in the group id (GRP-004).
    const std::string share_sender = direct ? key.sender : scope.substr(0, scope.rfind("-g"));
    if (!m_shares_accepted.contains({to, scope, key.key_timestamp}) &&
        m_expired_shares_refused.contains({to, share_sender})) {
      m_delivery.unreadable_by_design(key, to);
    }
  }
}

// A member added to a group waits to greet it until its phone holds the group's key; the key
// is not coming when the organiser's installation that drew it is gone (a reinstall) or the
// member refused an organiser's share as expired (KS-013: it came after its lifetime).
bool World::Impl::greeting_hopeless(std::uint32_t member, const std::string& group) const {
  if (m_scenario.lifecycle == LifecycleConfig{}) {
    return false;  // every other world waits as it always did
  }
  const bool organised = std::any_of(m_group_list.begin(), m_group_list.end(),
                                     [&group](const auto& g) { return g.second == group; });
  const std::string organiser = group.substr(0, group.rfind("-g"));
  return !organised ||
         m_expired_shares_refused.contains({m_phones[member]->phone->state().user_id, organiser});
}

}  // namespace spmc::sim
