// The phone's end-to-end part: key shares (KS-), the ratchet (RAT-), envelopes (ENV-),
// groups (GRP-) and U2U (U2U-). Every receive path decodes and checks into locals and
// changes state only once the message has opened (PH-015).
#include <algorithm>

#include "phone_batch.hpp"
#include "spmc/phone.hpp"

namespace spmc::phone {

namespace {

// GRP-012: how far a sender's application clock may run ahead of the organiser's.
constexpr TimeMs kRekeyClockAllowanceMs = 1000;

std::string key_id(const Block& mk) {
  const crypto::Digest d = crypto::sha256(mk);
  return to_hex(ByteView(d.data(), 16));
}

crypto::Ed25519Public signing_key(const Contact& c) { return c.sign_cert.public_key; }

bool key_expired(const keyshare::Lifetime& lifetime, TimeMs key_ts, TimeMs now) {
  return lifetime.kind == keyshare::LifetimeKind::kDuration && now >= key_ts + lifetime.duration_ms;
}

}  // namespace

void Phone::send_key_share(const std::string& contact, PhoneEffects& fx) {
  Contact& c = m_state.contacts.at(contact);
  // KS-010: the receiver keeps the last timestamp per sender, so ours must grow strictly.
  const TimeMs ts = std::max(app_now(), c.send_key_timestamp + 1);
  keyshare::KeySharePlain plain =
      keyshare::make_pairwise(m_rng, m_profile.default_suite, ts, m_config.key_lifetime);
  const Bytes sealed = keyshare::seal(m_rng, m_profile, plain, m_state.user_id, contact,
                                      c.enc_cert.public_key, &m_state.sign_keys.secret_key);
  c.send.emplace(plain.suite, plain.master_key, ratchet::SeedFile{plain.seed});
  c.send_key_timestamp = ts;
  c.send_lifetime = plain.lifetime;
  fx.secret(plain.master_key);
  fx.event({PhoneEventKind::kKeyshareSend, contact, 0, ts, ""});
  queue_out(contact, proto::PayloadKind::kKeyShare, sealed, fx);
}

Status Phone::send_direct(const std::string& contact, const envelope::AppPayload& p,
                          PhoneEffects& fx) {
  auto it = m_state.contacts.find(contact);
  if (it == m_state.contacts.end()) {
    return make_error(ErrorCode::kUnknownUser, "not a contact");
  }
  Contact& c = it->second;
  const TimeMs now = app_now();
  // KS-014 / RAT-003: an expired or exhausted chain is replaced before sending.
  if (!c.send || key_expired(c.send_lifetime, c.send_key_timestamp, now) ||
      c.send->next_counter() == ratchet::kCounterLimit) {
    send_key_share(contact, fx);
  }
  SPMC_TRY(ratchet::MessageKey mk, c.send->next());
  envelope::EnvelopeHeader h;
  h.kind = envelope::Kind::kDirect;
  h.sender_id = m_state.user_id;
  h.recipient_id = contact;
  h.key_timestamp_ms = c.send_key_timestamp;
  h.counter = mk.counter;
  h.sent_ms = app_now();
  Bytes bytes = envelope::seal(h, mk.key, p);
  fx.secret(mk.key);
  fx.event({PhoneEventKind::kMsgSend, contact, mk.counter, h.key_timestamp_ms, key_id(mk.key)});
  secure_wipe(mk.key);
  queue_out(contact, proto::PayloadKind::kEnvelope, std::move(bytes), fx);
  return ok_status();
}

Status Phone::send_text(const std::string& contact, Bytes body, PhoneEffects& caller) {
  Batch fx(*this, caller);
  const Bytes kept = body;
  SPMC_TRY_STATUS(send_direct(
      contact, envelope::AppPayload{envelope::ContentType::kText, std::move(body)}, fx));
  remember(true, contact, m_state.user_id, false, app_now(), kept);  // PH-023
  m_skip_persist = m_config.bug == PhoneBug::kSkipsPersistOnSend;
  return ok_status();
}

void Phone::on_deliver(const proto::Deliver& d, PhoneEffects& fx) {
  const bool share = d.kind == proto::PayloadKind::kKeyShare;
  const Status st =
      share ? on_key_share(d.from, d.payload, fx) : on_envelope(d.from, d.payload, fx);
  report_reject(share, d.from, d.payload, st, fx);
}

void Phone::report_reject(bool share, const std::string& from, ByteView payload, const Status& st,
                          PhoneEffects& fx) {
  if (st.ok()) {
    return;
  }
  // The refused envelope's counter and key share, when its header decodes (trace
  // conformance: the ratchet model judges each rejection; nothing here changes state).
  std::uint64_t counter = 0;
  std::uint64_t key_ts = 0;
  std::string group;
  if (!share) {
    if (auto e = envelope::decode_envelope(payload); e.ok()) {
      counter = e->header.counter;
      key_ts = e->header.key_timestamp_ms;
      if (e->header.kind == envelope::Kind::kGroup) {
        group = e->header.recipient_id;
      }
    }
  }
  fx.event({share ? PhoneEventKind::kKeyshareReject : PhoneEventKind::kMsgReject, from, counter,
            key_ts, std::string(error_name(st.code())), std::move(group)});
}

// PH-014: the envelope names a key newer than any this phone holds for its sender (direct)
// or group: the share that carries it is behind the envelope (a member's message overtook
// the organiser's share, or the receiver was offline when the group was made). Or it is
// under a replaced group key from a sender this phone does not know as a member, while the
// share that (re-)adds the sender may still be on the way: it waits for that share until the
// grace period ends (GRP-012). Refusing either would lose a message the server accepted.
std::optional<TimeMs> Phone::awaits_key(const envelope::Envelope& e) const {
  const auto& h = e.header;
  // A share more than the future-skew allowance behind its envelope is not coming (or was
  // refused: a forged one): the envelope is judged then.
  const TimeMs key_wait_deadline = app_now() + m_profile.limits.max_future_skew_ms;
  if (h.kind == envelope::Kind::kDirect) {
    auto it = m_state.contacts.find(h.sender_id);
    if (it == m_state.contacts.end() || h.recipient_id != m_state.user_id) {
      return std::nullopt;
    }
    const auto& chains = it->second.receive;
    if (chains.empty() || h.key_timestamp_ms > chains.rbegin()->first) {
      return key_wait_deadline;
    }
    return std::nullopt;
  }
  auto git = m_state.groups.find(h.recipient_id);
  if (git == m_state.groups.end() || h.key_timestamp_ms > git->second.share.timestamp_ms) {
    return key_wait_deadline;
  }
  const GroupMembership& g = git->second;
  auto old = g.replaced.find(h.key_timestamp_ms);
  if (h.key_timestamp_ms < g.share.timestamp_ms && old != g.replaced.end()) {
    const ReplacedVerdict v = judge_replaced(g, old->second, h);
    if (!v.was_member && app_now() < v.grace_end) {
      return v.grace_end;
    }
  }
  return std::nullopt;
}

void Phone::hold(const std::string& from, ByteView payload, const envelope::EnvelopeHeader& h,
                 TimeMs decide_by, PhoneEffects& fx) {
  if (m_state.held.size() >= m_config.held_max) {
    // Bounded: the oldest waits no longer, and says so (a visible refusal, never a silent one).
    report_reject(false, m_state.held.front().from, m_state.held.front().payload,
                  make_error(ErrorCode::kQueueFull, "held envelopes full"), fx);
    m_state.held.pop_front();
  }
  m_state.held.push_back(HeldEnvelope{from, Bytes(payload.begin(), payload.end()), decide_by});
  fx.event({PhoneEventKind::kMsgHeld, from, h.counter, h.key_timestamp_ms,
            h.kind == envelope::Kind::kGroup ? h.recipient_id : ""});
}

// Takes out of the held queue, in arrival order, every envelope `due` selects.
std::vector<HeldEnvelope> Phone::take_held(
    const std::function<bool(const HeldEnvelope&, const envelope::Envelope&)>& due) {
  std::vector<HeldEnvelope> taken;
  std::deque<HeldEnvelope> keep;
  for (HeldEnvelope& item : m_state.held) {
    auto e = envelope::decode_envelope(item.payload);
    SPMC_CHECK(e.ok());  // only decoded envelopes are held
    if (due(item, *e)) {
      taken.push_back(std::move(item));
    } else {
      keep.push_back(std::move(item));
    }
  }
  m_state.held = std::move(keep);
  return taken;
}

// A key share from `from` (for `group_id`, or pairwise when empty) was accepted: every held
// envelope it may open is tried again, in arrival order.
void Phone::open_held(const std::string& from, const std::string& group_id, PhoneEffects& fx) {
  if (m_state.held.empty()) {
    return;
  }
  const auto ready = take_held([&](const HeldEnvelope&, const envelope::Envelope& e) {
    const auto& h = e.header;
    const bool match = group_id.empty()
                           ? h.kind == envelope::Kind::kDirect && h.sender_id == from
                           : h.kind == envelope::Kind::kGroup && h.recipient_id == group_id;
    return match && !awaits_key(e);
  });
  for (const HeldEnvelope& item : ready) {
    report_reject(false, item.from, item.payload, on_envelope(item.from, item.payload, fx), fx);
  }
}

// PH-014: a held envelope whose deadline passed is judged now, as it stands (GRP-012
// refuses it as expired unless a share that made its sender a member arrived meanwhile).
void Phone::decide_held(PhoneEffects& fx) {
  const TimeMs now = app_now();
  if (std::none_of(m_state.held.begin(), m_state.held.end(),
                   [now](const HeldEnvelope& item) { return item.decide_by <= now; })) {
    return;
  }
  const auto due = take_held(
      [now](const HeldEnvelope& item, const envelope::Envelope&) { return item.decide_by <= now; });
  for (const HeldEnvelope& item : due) {
    report_reject(false, item.from, item.payload,
                  on_envelope(item.from, item.payload, fx, /*may_hold=*/false), fx);
  }
}

Status Phone::on_key_share(const std::string& from, ByteView payload, PhoneEffects& fx) {
  SPMC_TRY(keyshare::KeyShareMessage msg, keyshare::decode_message(payload));
  if (msg.recipient_id != m_state.user_id || msg.sender_id != from) {
    return make_error(ErrorCode::kBadValue, "key share addressed or attributed elsewhere");
  }
  auto it = m_state.contacts.find(from);
  if (it == m_state.contacts.end()) {
    return make_error(ErrorCode::kUnknownUser, "key share from a non-contact");
  }
  // CERT-005: the contact's certificates must still be valid (not revoked since).
  const TimeMs cert_now = app_now() + m_profile.limits.max_future_skew_ms;
  SPMC_TRY_STATUS(cert::verify(it->second.sign_cert, m_ca, from, cert::Usage::kSignature, cert_now,
                               m_state.revoked));
  SPMC_TRY_STATUS(cert::verify(it->second.enc_cert, m_ca, from, cert::Usage::kEncryption, cert_now,
                               m_state.revoked));
  const crypto::Ed25519Public sender_key = signing_key(it->second);
  SPMC_TRY(keyshare::KeySharePlain plain,
           keyshare::open(m_profile, msg, m_state.enc_keys.secret_key, &sender_key));
  if (plain.group) {
    // GRP-004: only the group's organiser (member 0, and the one we first joined from)
    // distributes its key; anyone else could otherwise replace the key and read along.
    auto held = m_state.groups.find(plain.group->group_id);
    const std::string& organiser =
        held != m_state.groups.end() ? held->second.organiser : plain.group->members.front();
    if (from != organiser || plain.group->members.front() != organiser) {
      return make_error(ErrorCode::kNotMember, "group key share not from the organiser");
    }
  }
  SPMC_TRY(keyshare::Accepted accepted,
           m_state.book->validate(plain, from, app_now(), m_profile.limits));
  m_state.book->accept(std::move(accepted));
  fx.event({PhoneEventKind::kKeyshareAccept, from, 0, plain.timestamp_ms,
            plain.group ? plain.group->group_id : ""});
  if (plain.group) {
    join_group(from, plain, fx);
    open_held(from, plain.group->group_id, fx);
    return ok_status();
  }
  // KS-012: a session key is replaced by the newer share; only its chain is kept.
  Contact& c = it->second;
  c.receive.clear();
  c.receive.emplace(plain.timestamp_ms,
                    ratchet::ReceiveChain(plain.suite, plain.master_key,
                                          ratchet::SeedFile{plain.seed}, m_profile.limits));
  open_held(from, "", fx);
  return ok_status();
}

Status Phone::on_envelope(const std::string& from, ByteView payload, PhoneEffects& fx,
                          bool may_hold) {
  SPMC_TRY(envelope::Envelope e, envelope::decode_envelope(payload));
  if (e.header.sender_id != from) {
    return make_error(ErrorCode::kBadValue, "envelope sender differs from the relay's");
  }
  if (auto decide_by = may_hold ? awaits_key(e) : std::nullopt) {
    hold(from, payload, e.header, *decide_by, fx);
    return ok_status();
  }
  return e.header.kind == envelope::Kind::kDirect ? on_direct(e, fx) : on_group(e, fx);
}

Status Phone::on_direct(const envelope::Envelope& e, PhoneEffects& fx) {
  const auto& h = e.header;
  if (h.recipient_id != m_state.user_id) {
    return make_error(ErrorCode::kBadValue, "envelope for another user");
  }
  auto it = m_state.contacts.find(h.sender_id);
  if (it == m_state.contacts.end()) {
    return make_error(ErrorCode::kUnknownUser, "envelope from a non-contact");
  }
  SPMC_TRY_STATUS(m_state.book->check_message_time(h.sender_id, h.key_timestamp_ms, h.sent_ms,
                                                   app_now(), m_profile.limits));
  auto chain = it->second.receive.find(h.key_timestamp_ms);
  if (chain == it->second.receive.end()) {
    return make_error(ErrorCode::kNoSession, "no chain for that key share");
  }
  SPMC_TRY(envelope::AppPayload p, envelope::open_with_chain(e, chain->second));
  fx.event({PhoneEventKind::kMsgAccept, h.sender_id, h.counter, h.key_timestamp_ms,
            std::to_string(static_cast<int>(p.type))});
  on_app_payload(h.sender_id, p, std::nullopt, h.sent_ms, fx);
  return ok_status();
}

// GRP-012: a message under a share a rekey replaced is judged against that share;
// anything else against the held one (KS-021 decides what an unknown timestamp means).
const keyshare::KeySharePlain& Phone::group_share_for(const GroupMembership& g,
                                                      const envelope::EnvelopeHeader& h) {
  if (h.key_timestamp_ms < g.share.timestamp_ms) {
    if (auto it = g.replaced.find(h.key_timestamp_ms); it != g.replaced.end()) {
      return it->second;
    }
  }
  return g.share;
}

// GRP-012: a message under a replaced key opens within the grace period after the rekey
// that replaced it if its sender is a member now (it may not have had the newer keys yet)
// or was one when it wrote (below). A removed member writing afterwards is refused, so
// removal still ends its writes.
Phone::ReplacedVerdict Phone::judge_replaced(const GroupMembership& g,
                                             const keyshare::KeySharePlain& share,
                                             const envelope::EnvelopeHeader& h) const {
  auto next = g.replaced.upper_bound(share.timestamp_ms);
  const TimeMs replaced_at = next == g.replaced.end() ? g.share.timestamp_ms : next->first;
  // The writer's and the organiser's application clocks agree only up to a transit delay
  // and drift (PH-006): the writer was a member if a share listing it was current at any
  // time within kRekeyClockAllowanceMs of `sent_ms` (its last words just before a removal,
  // its first words just after a re-add). Each kept share is current from its timestamp
  // until the next one's.
  const TimeMs from = h.sent_ms > kRekeyClockAllowanceMs ? h.sent_ms - kRekeyClockAllowanceMs : 0;
  const TimeMs to = h.sent_ms + kRekeyClockAllowanceMs;
  bool member = group::sender_index(*g.share.group, h.sender_id).has_value();
  for (auto it = g.replaced.begin(); it != g.replaced.end() && !member; ++it) {
    const auto after = std::next(it);
    const TimeMs end = after == g.replaced.end() ? g.share.timestamp_ms : after->first;
    member = it->first <= to && end > from &&
             group::sender_index(*it->second.group, h.sender_id).has_value();
  }
  return {replaced_at + m_profile.limits.max_future_skew_ms, member};
}

Status Phone::check_group_time(const GroupMembership& g, const keyshare::KeySharePlain& share,
                               const envelope::EnvelopeHeader& h) const {
  const TimeMs now = app_now();
  std::optional<TimeMs> key_end;
  if (share.lifetime.kind == keyshare::LifetimeKind::kDuration) {
    key_end = share.timestamp_ms + share.lifetime.duration_ms;
  }
  if (&share != &g.share) {
    const ReplacedVerdict v = judge_replaced(g, share, h);
    if (now >= v.grace_end || !v.was_member) {
      return make_error(ErrorCode::kExpired, "sent under a group key replaced by a rekey");
    }
    return envelope::check_times(h, now, key_end, m_profile.limits.max_future_skew_ms);
  }
  if (g.organiser_state) {
    // The organiser drew this share itself; its book only holds shares it received.
    return envelope::check_times(h, now, key_end, m_profile.limits.max_future_skew_ms);
  }
  return m_state.book->check_group_message_time(h.recipient_id, h.key_timestamp_ms, h.sent_ms, now,
                                                m_profile.limits);
}

Status Phone::on_group(const envelope::Envelope& e, PhoneEffects& fx) {
  const auto& h = e.header;
  auto git = m_state.groups.find(h.recipient_id);
  if (git == m_state.groups.end()) {
    return make_error(ErrorCode::kNotMember, "not in that group");
  }
  GroupMembership& g = git->second;
  const keyshare::KeySharePlain& share = group_share_for(g, h);
  const auto& members = share.group->members;
  if (h.sender_index >= members.size() || members[h.sender_index] != h.sender_id ||
      h.sender_id == m_state.user_id) {
    return make_error(ErrorCode::kNotMember, "sender index does not match the member list");
  }
  SPMC_TRY_STATUS(check_group_time(g, share, h));
  if (h.key_timestamp_ms != share.timestamp_ms) {
    return make_error(ErrorCode::kNoSession, "group key share not held");
  }
  const auto key = std::pair{h.key_timestamp_ms, h.sender_index};
  auto chain = g.receive.find(key);
  if (chain == g.receive.end()) {
    // GRP-002: the sender's own chain, created only once a message under it opens.
    ratchet::ReceiveChain fresh(share.suite, share.master_key,
                                ratchet::SeedFile{group::member_seed(share.seed, h.sender_index)},
                                m_profile.limits);
    SPMC_TRY(envelope::AppPayload p, envelope::open_with_chain(e, fresh));
    g.receive.emplace(key, std::move(fresh));
    fx.event(
        {PhoneEventKind::kMsgAccept, h.recipient_id, h.counter, h.key_timestamp_ms, h.sender_id});
    on_app_payload(h.sender_id, p, h.recipient_id, h.sent_ms, fx);
    return ok_status();
  }
  SPMC_TRY(envelope::AppPayload p, envelope::open_with_chain(e, chain->second));
  fx.event(
      {PhoneEventKind::kMsgAccept, h.recipient_id, h.counter, h.key_timestamp_ms, h.sender_id});
  on_app_payload(h.sender_id, p, h.recipient_id, h.sent_ms, fx);
  return ok_status();
}

void Phone::on_app_payload(const std::string& from, const envelope::AppPayload& p,
                           std::optional<std::string> group_id, TimeMs sent_ms, PhoneEffects& fx) {
  if (p.type == envelope::ContentType::kText) {
    remember(false, group_id.value_or(from), from, group_id.has_value(), sent_ms, p.body);
    fx.deliver(Delivered{from, std::move(group_id), p.type, p.body, sent_ms});
    return;
  }
  if (group_id) {
    return;  // U2U runs over pairwise envelopes only (U2U-001)
  }
  auto msg = u2u::decode_body(static_cast<std::uint8_t>(p.type), p.body);
  Contact& c = m_state.contacts.at(from);
  if (!msg.ok()) {
    fx.event({PhoneEventKind::kU2uReject, from, 0, 0, std::string(error_name(msg.code()))});
    return;
  }
  if (!c.u2u) {
    c.u2u.emplace(m_profile);
  }
  auto out = c.u2u->handle(*msg);
  if (!out.ok()) {
    fx.event({PhoneEventKind::kU2uReject, from, 0, 0, std::string(error_name(out.code()))});
    return;
  }
  fx.event({PhoneEventKind::kU2uState, from, 0, 0, std::string(u2u::state_name(c.u2u->state()))});
  if (c.u2u->state() == u2u::State::kOptinReceived) {
    fx.ask_user({"u2u_accept_optin", from});  // U2U-001: only the user opts in
  }
  (void)send_u2u(from, *out, fx);
}

u2u::KeyFingerprints Phone::fingerprints(const Contact& c) const {
  u2u::KeyFingerprints f;
  if (m_state.enc_cert) {
    f.self = cert::fingerprint(*m_state.enc_cert);
  }
  f.peer = cert::fingerprint(c.enc_cert);
  return f;
}

Status Phone::u2u(const std::string& contact, U2uAction action, std::string_view secret,
                  PhoneEffects& caller) {
  Batch fx(*this, caller);
  auto it = m_state.contacts.find(contact);
  if (it == m_state.contacts.end()) {
    return make_error(ErrorCode::kUnknownUser, "not a contact");
  }
  Contact& c = it->second;
  if (!c.u2u) {
    c.u2u.emplace(m_profile);
  }
  Result<u2u::Outgoing> out = make_error(ErrorCode::kBadState, "unknown action");
  switch (action) {
    case U2uAction::kRequestOptin:
      out = c.u2u->request_optin();
      break;
    case U2uAction::kAcceptOptin:
      out = c.u2u->accept_optin();
      break;
    case U2uAction::kProvideSecret:
      out = c.u2u->provide_secret(secret, fingerprints(c));
      break;
    case U2uAction::kRequestAuth:
      out = c.u2u->request_auth(m_rng);
      break;
    case U2uAction::kAuthSecret:
      out = c.u2u->provide_auth_secret(m_rng, secret, fingerprints(c));
      break;
  }
  if (!out.ok()) {
    return out.error();
  }
  fx.event(
      {PhoneEventKind::kU2uState, contact, 0, 0, std::string(u2u::state_name(c.u2u->state()))});
  return send_u2u(contact, *out, fx);
}

Status Phone::send_u2u(const std::string& contact, const u2u::Outgoing& out, PhoneEffects& fx) {
  for (const u2u::Message& m : out.messages) {
    SPMC_TRY_STATUS(send_direct(
        contact,
        envelope::AppPayload{static_cast<envelope::ContentType>(m.type), u2u::encode_body(m)}, fx));
  }
  return ok_status();
}

}  // namespace spmc::phone
