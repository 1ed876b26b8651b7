// The phone's group part (GRP-001..GRP-010): create, add, remove, send.
#include <algorithm>

#include "phone_batch.hpp"
#include "spmc/phone.hpp"

namespace spmc::phone {

// GRP-012: the held share becomes a replaced one (a rekey is under way).
void Phone::replace_share(GroupMembership& g) {
  if (!g.share.master_key.empty()) {
    g.replaced.insert_or_assign(g.share.timestamp_ms, g.share);
  }
}

// Replaced shares whose grace period ended, and chains under any share no longer kept,
// can never open a message again (KS-012, GRP-012): drop them.
void Phone::keep_current_chains(GroupMembership& g) const {
  const TimeMs now = app_now();
  for (auto it = g.replaced.begin(); it != g.replaced.end();) {
    const auto next = std::next(it);
    const TimeMs replaced_at = next == g.replaced.end() ? g.share.timestamp_ms : next->first;
    it = now >= replaced_at + m_profile.limits.max_future_skew_ms ? g.replaced.erase(it) : next;
  }
  std::erase_if(g.receive, [&g](const auto& kv) {
    return kv.first.first != g.share.timestamp_ms && !g.replaced.contains(kv.first.first);
  });
}

void Phone::send_group_share(const std::string& member, const keyshare::KeySharePlain& share,
                             PhoneEffects& fx) {
  auto it = m_state.contacts.find(member);
  if (it == m_state.contacts.end()) {
    fx.event({PhoneEventKind::kGroupShareSkipped, member, 0, share.timestamp_ms, "not a contact"});
    return;
  }
  const Bytes sealed =
      keyshare::seal(m_rng, m_profile, share, m_state.user_id, member,
                     it->second.enc_cert.public_key, &m_state.sign_keys.secret_key);
  fx.event({PhoneEventKind::kKeyshareSend, member, 0, share.timestamp_ms, share.group->group_id});
  queue_out(member, proto::PayloadKind::kKeyShare, sealed, fx);
}

Result<std::string> Phone::create_group(const std::vector<std::string>& members,
                                        PhoneEffects& caller) {
  Batch fx(*this, caller);
  if (!ready()) {
    return make_error(ErrorCode::kBadState, "not signed in");
  }
  for (const std::string& m : members) {
    if (!m_state.contacts.contains(m)) {
      return make_error(ErrorCode::kUnknownUser, "group member is not a contact: " + m);
    }
  }
  const std::string id = m_state.user_id + "-g" + std::to_string(m_state.next_group_number);
  SPMC_TRY(group::GroupState gs,
           group::GroupState::create(m_rng, m_profile, id, m_state.user_id, members,
                                     m_profile.default_suite, m_config.key_lifetime, app_now()));
  ++m_state.next_group_number;
  const group::MembershipChange change = gs.distribution();
  GroupMembership g;
  g.organiser = m_state.user_id;
  g.share = gs.share();
  g.my_index = 0;
  g.organiser_state = std::move(gs);
  fx.secret(g.share.master_key);
  m_state.groups.emplace(id, std::move(g));
  fx.event({PhoneEventKind::kGroupCreate, id, members.size(), change.share.timestamp_ms, ""});
  for (const std::string& r : change.recipients) {
    send_group_share(r, change.share, fx);
  }
  return id;
}

void Phone::join_group(const std::string& organiser, const keyshare::KeySharePlain& share,
                       PhoneEffects& fx) {
  const std::string& id = share.group->group_id;
  GroupMembership& g = m_state.groups[id];
  const bool new_key = g.share.master_key != share.master_key || g.share.seed != share.seed;
  if (new_key) {
    replace_share(g);
  }
  g.organiser = organiser;
  g.share = share;
  g.my_index = *group::sender_index(*share.group, m_state.user_id);
  if (new_key) {
    g.send.reset();
  }
  keep_current_chains(g);
  fx.event({PhoneEventKind::kGroupJoin, id, g.my_index, share.timestamp_ms, organiser});
}

Status Phone::change_group(const std::string& group_id, const std::string& user, bool add,
                           PhoneEffects& fx) {
  auto it = m_state.groups.find(group_id);
  if (it == m_state.groups.end() || !it->second.organiser_state) {
    return make_error(ErrorCode::kNotMember, "not the organiser of that group");
  }
  if (add && !m_state.contacts.contains(user)) {
    return make_error(ErrorCode::kUnknownUser, "not a contact");
  }
  GroupMembership& g = it->second;
  SPMC_TRY(group::MembershipChange change, add ? g.organiser_state->add(m_rng, user, app_now())
                                               : g.organiser_state->remove(m_rng, user, app_now()));
  if (change.share.master_key != g.share.master_key) {
    g.send.reset();  // GRP-010: a new epoch starts every chain again
    replace_share(g);
    fx.secret(change.share.master_key);
  }
  g.share = change.share;
  keep_current_chains(g);
  fx.event({add ? PhoneEventKind::kGroupAdd : PhoneEventKind::kGroupRemove, group_id,
            change.rekey_required ? 1U : 0U, change.share.timestamp_ms, user});
  for (const std::string& r : change.recipients) {
    send_group_share(r, change.share, fx);
  }
  return ok_status();
}

Status Phone::group_add(const std::string& group_id, const std::string& user,
                        PhoneEffects& caller) {
  Batch fx(*this, caller);
  return change_group(group_id, user, true, fx);
}

Status Phone::group_remove(const std::string& group_id, const std::string& user,
                           PhoneEffects& caller) {
  Batch fx(*this, caller);
  return change_group(group_id, user, false, fx);
}

Status Phone::send_group_text(const std::string& group_id, Bytes body, PhoneEffects& caller) {
  Batch fx(*this, caller);
  auto it = m_state.groups.find(group_id);
  if (it == m_state.groups.end()) {
    return make_error(ErrorCode::kNotMember, "not in that group");
  }
  GroupMembership& g = it->second;
  if (!g.send) {
    g.send.emplace(g.share.suite, g.share.master_key,
                   ratchet::SeedFile{group::member_seed(g.share.seed, g.my_index)});
  }
  SPMC_TRY(ratchet::MessageKey mk, g.send->next());
  envelope::EnvelopeHeader h;
  h.kind = envelope::Kind::kGroup;
  h.sender_id = m_state.user_id;
  h.recipient_id = group_id;
  h.key_timestamp_ms = g.share.timestamp_ms;
  h.epoch = g.share.group->epoch;
  h.sender_index = g.my_index;
  h.counter = mk.counter;
  h.sent_ms = app_now();
  remember(true, group_id, m_state.user_id, true, h.sent_ms, body);  // PH-023
  const Bytes bytes = envelope::seal(
      h, mk.key, envelope::AppPayload{envelope::ContentType::kText, std::move(body)});
  fx.secret(mk.key);
  const crypto::Digest d = crypto::sha256(mk.key);
  fx.event({PhoneEventKind::kMsgSend, group_id, mk.counter, h.key_timestamp_ms,
            to_hex(ByteView(d.data(), 16))});
  secure_wipe(mk.key);
  // The organiser sends to the members it counts; a member to the share's list (GRP-003:
  // under `paper` that list still holds removed members).
  const std::vector<std::string>& to =
      g.organiser_state ? g.organiser_state->active_members() : g.share.group->members;
  for (const std::string& m : to) {
    if (m != m_state.user_id) {
      queue_out(m, proto::PayloadKind::kEnvelope, bytes, fx);
    }
  }
  return ok_status();
}

}  // namespace spmc::phone
