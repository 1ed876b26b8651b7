// The phone's account, connection and server plumbing (PH-001..PH-012). Messaging, key
// shares, groups and U2U are in phone_messaging.cpp.
#include "spmc/phone.hpp"

#include <algorithm>

#include "phone_batch.hpp"
#include "spmc/phone_store.hpp"

namespace spmc::phone {

Phone::Phone(const Profile& profile, Rng& rng, const Clock& local_clock, crypto::Ed25519Public ca,
             PhoneConfig config, Rng* store_rng)
    : m_profile(profile),
      m_rng(rng),
      m_store_rng(store_rng != nullptr ? *store_rng : rng),
      m_clock(local_clock),
      m_ca(ca),
      m_config(config) {}

Phone::Phone(const Profile& profile, Rng& rng, const Clock& local_clock, crypto::Ed25519Public ca,
             PhoneConfig config, storage::LocalStore store, Rng* store_rng)
    : Phone(profile, rng, local_clock, ca, config, store_rng) {
  m_store.emplace(std::move(store));
}

Phone::~Phone() = default;

TimeMs Phone::app_now() const {
  const std::int64_t t = static_cast<std::int64_t>(m_clock.now_ms()) + m_state.offset_ms;
  return t < 0 ? 0 : static_cast<TimeMs>(t);
}

void Phone::transmit(std::vector<Bytes>& frames, PhoneEffects& fx) {
  for (Bytes& f : frames) {
    fx.transmit(std::move(f));
  }
  frames.clear();
}

void Phone::request(proto::Body body, Pending what, PhoneEffects& fx, std::uint64_t out_seq) {
  if (!m_channel) {
    return;  // PH-003: nothing leaves a disconnected phone; callers retry on connect
  }
  const std::uint32_t id = m_next_request++;
  start_waiting();
  m_pending[id] = {what, out_seq};
  std::vector<Bytes> out;
  const Status st = channel_send(proto::encode(proto::Message{id, std::move(body)}), out);
  if (!st.ok()) {
    m_pending.erase(id);
    fx.event({PhoneEventKind::kChannelFull, "", 0, 0, std::string(error_name(st.code()))});
  }
  transmit(out, fx);
}

// PH-004: the no-answer timer starts when we start waiting, not at the last answer.
void Phone::start_waiting() {
  if (!awaiting_server()) {
    m_last_progress_local = m_clock.now_ms();
  }
}

Status Phone::channel_send(Bytes message, std::vector<Bytes>& out) {
  return m_channel->send(std::move(message), m_clock.now_ms(), out);
}

void Phone::send_ack(std::uint64_t message_id, PhoneEffects& fx) {
  if (!m_channel) {
    return;
  }
  std::vector<Bytes> out;
  start_waiting();
  // SRV-012: acknowledgements get no reply, so nothing waits on this request id.
  (void)channel_send(proto::encode(proto::Message{m_next_request++, proto::Ack{message_id}}), out);
  transmit(out, fx);
}

// PH-012: server message ids grow; anything at or below the last processed one is a
// re-push after a reconnect and is only acknowledged again.
bool Phone::seen(std::uint64_t message_id) {
  if (message_id <= m_state.last_message_id) {
    return true;
  }
  m_state.last_message_id = message_id;
  return false;
}

void Phone::sign_up(std::string email, Bytes password, std::string_view pin, PhoneEffects& caller) {
  Batch fx(*this, caller);
  SPMC_CHECK(m_state.account == AccountState::kNew && !m_store);
  m_state.email = email;
  m_state.password = password;
  // Section 3.3 step 3(c): the storage key is drawn now, wrapped under the PIN (STO-002).
  const Bytes initial = encode_state(m_state);
  m_store.emplace(storage::LocalStore::create(m_store_rng, m_profile, pin, initial));
  m_persisted = content_digest(initial);
  caller.persist(m_store->file());
  request(proto::SignUp{std::move(email), std::move(password)}, Pending::kSignUp, fx);
}

void Phone::receive_email(const std::string& text, PhoneEffects& caller) {
  Batch fx(*this, caller);
  // SU-002: "SPMC verification for <user id>: <code>".
  const std::string prefix = "SPMC verification for ";
  const auto colon = text.rfind(": ");
  if (text.rfind(prefix, 0) != 0 || colon == std::string::npos || colon < prefix.size()) {
    return;
  }
  const std::string id = text.substr(prefix.size(), colon - prefix.size());
  if (m_state.account == AccountState::kNew && !m_state.email.empty()) {
    m_early_mail = text;  // PH-002: mail can beat the sign-up reply; keep it for then
    return;
  }
  if (m_state.account != AccountState::kSignedUp || id != m_state.user_id) {
    return;
  }
  request(proto::VerifyEmail{id, text.substr(colon + 2)}, Pending::kVerify, fx);
}

void Phone::connect(PhoneEffects& caller) {
  Batch fx(*this, caller);
  std::uint32_t session = 0;
  while (session == 0) {
    session = static_cast<std::uint32_t>(m_rng.next_u64());
  }
  m_channel.emplace(session, m_config.channel);
  m_last_progress_local = m_clock.now_ms();
  m_logged_in = false;
  m_pending.clear();
  for (auto& [seq, item] : m_state.outbox) {
    item.in_flight = false;  // PH-010: unanswered relays are sent again after login
  }
  if (m_state.account == AccountState::kVerified || m_state.account == AccountState::kReady) {
    request(proto::Login{m_state.user_id, m_state.password}, Pending::kLogin, fx);
  }
}

void Phone::disconnect() {
  m_channel.reset();
  m_logged_in = false;
  m_pending.clear();
}

void Phone::crash() {
  disconnect();
  for (auto& [seq, item] : m_state.outbox) {
    item.in_flight = false;
  }
  m_last_sync_local = 0;
}

void Phone::reinstall(std::string_view pin, PhoneEffects& fx) {
  std::string email = m_state.email;
  std::string user_id = m_state.user_id;
  Bytes password = m_state.password;
  reinstall(std::move(email), std::move(user_id), std::move(password), pin, fx);
}

void Phone::reinstall(std::string email, std::string user_id, Bytes password, std::string_view pin,
                      PhoneEffects& caller) {
  Batch fx(*this, caller);
  install(std::move(email), std::move(user_id), std::move(password), pin, fx);
  crash();
  fx.event({PhoneEventKind::kReinstall, "", 0, 0, ""});
  connect(fx);
}

void Phone::on_packet(ByteView frame, PhoneEffects& caller) {
  Batch fx(*this, caller);
  if (!m_channel) {
    return;
  }
  std::vector<Bytes> out;
  const std::uint64_t heard = m_channel->frames_heard();
  auto payloads = m_channel->on_frame(frame, m_clock.now_ms(), out);
  transmit(out, fx);
  // PH-004: only a frame of this connection shows the server is alive for us. A server
  // that still answers on a session we abandoned (it took a late first frame of that
  // session for a new connection, CH-007) must not keep us from reconnecting.
  if (m_channel->frames_heard() != heard) {
    m_last_progress_local = m_clock.now_ms();
  }
  if (!payloads.ok()) {
    fx.event({PhoneEventKind::kBadFrame, "", 0, 0, std::string(error_name(payloads.code()))});
    return;
  }
  for (const Bytes& p : *payloads) {
    auto m = proto::decode(p);
    if (!m.ok()) {
      fx.event({PhoneEventKind::kBadMessage, "", 0, 0, std::string(error_name(m.code()))});
      continue;
    }
    on_message(*m, fx);
  }
}

void Phone::on_message(const proto::Message& m, PhoneEffects& fx) {
  if (m.request_id == 0) {
    on_push(m, fx);
    return;
  }
  auto it = m_pending.find(m.request_id);
  if (it == m_pending.end()) {
    return;
  }
  const auto [what, out_seq] = it->second;
  m_pending.erase(it);
  if (const auto* f = std::get_if<proto::Failure>(&m.body)) {
    fx.event({PhoneEventKind::kRequestFailed, "", f->code, 0, f->detail});
  }
  if (what == Pending::kOutbox) {
    on_outbox_reply(out_seq, m);
    return;
  }
  if (!std::holds_alternative<proto::Failure>(m.body)) {
    on_reply(what, m, fx);
  }
}

// PH-010: an answer settles the item, except queue_full, which waits and goes again.
// Contact requests and acceptances are settled by any answer too: a Failure to a
// repeated AcceptContact means the server took the first one (its reply was lost), and
// the ContactAdded it stored for us arrives as a push (SRV-014).
void Phone::on_outbox_reply(std::uint64_t out_seq, const proto::Message& m) {
  auto item = m_state.outbox.find(out_seq);
  if (item == m_state.outbox.end()) {
    return;
  }
  const auto* f = std::get_if<proto::Failure>(&m.body);
  if (f != nullptr && f->code == static_cast<std::uint16_t>(ErrorCode::kQueueFull)) {
    item->second.in_flight = false;
    item->second.retry_at = m_clock.now_ms() + m_config.send_retry_ms;
    return;
  }
  m_state.outbox.erase(item);
}

void Phone::on_reply(Pending what, const proto::Message& m, PhoneEffects& fx) {
  switch (what) {
    case Pending::kSignUp:
      if (const auto* r = std::get_if<proto::SignedUp>(&m.body)) {
        m_state.user_id = r->user_id;
        m_state.book.emplace(r->user_id);
        m_state.account = AccountState::kSignedUp;
        fx.event({PhoneEventKind::kSignedUp, r->user_id, 0, 0, ""});
        if (m_early_mail) {
          const std::string mail = std::move(*m_early_mail);
          m_early_mail.reset();
          receive_email(mail, fx);
        }
      }
      return;
    case Pending::kVerify:
      if (std::holds_alternative<proto::Ok>(m.body)) {
        m_state.account = AccountState::kVerified;
        request(proto::Login{m_state.user_id, m_state.password}, Pending::kLogin, fx);
      }
      return;
    case Pending::kLogin:
      if (const auto* r = std::get_if<proto::LoggedIn>(&m.body)) {
        on_logged_in(*r, fx);
      }
      return;
    case Pending::kCertify:
      if (const auto* r = std::get_if<proto::Certificates>(&m.body)) {
        on_certificates(*r, fx);
      }
      return;
    case Pending::kTime:
      if (const auto* r = std::get_if<proto::Time>(&m.body)) {
        m_state.offset_ms = static_cast<std::int64_t>(r->server_time_ms) -
                            static_cast<std::int64_t>(m_clock.now_ms());
      }
      return;
    case Pending::kOutbox:
      return;
  }
}

void Phone::on_logged_in(const proto::LoggedIn& m, PhoneEffects& fx) {
  m_logged_in = true;
  // KS-004: application time is server time at login plus local elapsed time.
  m_state.offset_ms =
      static_cast<std::int64_t>(m.server_time_ms) - static_cast<std::int64_t>(m_clock.now_ms());
  m_last_sync_local = m_clock.now_ms();
  m_state.revoked.insert(m.revoked.begin(), m.revoked.end());
  fx.event({PhoneEventKind::kLoggedIn, m_state.user_id, 0, 0, ""});
  if (m_state.account == AccountState::kVerified) {
    generate_keys(fx);
    request(
        proto::RequestCertificates{
            Bytes(m_state.sign_keys.public_key.begin(), m_state.sign_keys.public_key.end()),
            Bytes(m_state.enc_keys.public_key.begin(), m_state.enc_keys.public_key.end())},
        Pending::kCertify, fx);
    return;
  }
  flush_outbox(fx);
}

void Phone::generate_keys(PhoneEffects& fx) {
  m_state.sign_keys = crypto::ed25519_generate(m_rng);
  m_state.enc_keys = crypto::x25519_generate(m_rng);
  fx.secret(m_state.sign_keys.secret_key);
  fx.secret(m_state.enc_keys.secret_key);
}

void Phone::on_certificates(const proto::Certificates& m, PhoneEffects& fx) {
  auto sign = cert::decode(m.sign_cert);
  auto enc = cert::decode(m.enc_cert);
  // PH-005: our own certificates must be the CA's, for us, and for the keys we sent.
  // Application time trails server time by the reply's transit, so not_before is judged
  // with the same allowance as a key share timestamp (KS-011).
  const TimeMs now = app_now() + m_profile.limits.max_future_skew_ms;
  const bool ok =
      sign.ok() && enc.ok() &&
      cert::verify(*sign, m_ca, m_state.user_id, cert::Usage::kSignature, now, m_state.revoked)
          .ok() &&
      cert::verify(*enc, m_ca, m_state.user_id, cert::Usage::kEncryption, now, m_state.revoked)
          .ok() &&
      sign->public_key == m_state.sign_keys.public_key &&
      enc->public_key == m_state.enc_keys.public_key;
  if (!ok) {
    fx.event({PhoneEventKind::kCertificateRejected, m_state.user_id, 0, 0, ""});
    return;
  }
  m_state.sign_cert = *sign;
  m_state.enc_cert = *enc;
  m_state.account = AccountState::kReady;
  fx.event({PhoneEventKind::kCertified, m_state.user_id, 0, 0, ""});
  flush_outbox(fx);
}

Status Phone::add_contact(const std::string& target, PhoneEffects& caller) {
  Batch fx(*this, caller);
  if (!ready()) {
    return make_error(ErrorCode::kBadState, "not signed in");
  }
  queue_out(target, proto::PayloadKind::kEnvelope, {}, fx, OutOp::kAddContact);
  return ok_status();
}

Status Phone::accept_contact(const std::string& requester, PhoneEffects& caller) {
  Batch fx(*this, caller);
  if (!m_state.pending_requests.contains(requester)) {
    return make_error(ErrorCode::kBadState, "no request from that user");
  }
  m_state.pending_requests.erase(requester);
  // PH-013: the acceptance waits in the outbox until the server answers it, so a
  // disconnect between the push and the reply cannot leave the two sides disagreeing.
  queue_out(requester, proto::PayloadKind::kEnvelope, {}, fx, OutOp::kAcceptContact);
  return ok_status();
}

void Phone::on_push(const proto::Message& m, PhoneEffects& fx) {
  if (const auto* d = std::get_if<proto::Deliver>(&m.body)) {
    if (!seen(d->message_id)) {
      on_deliver(*d, fx);
    }
    send_ack(d->message_id, fx);
    return;
  }
  if (const auto* r = std::get_if<proto::ContactRequest>(&m.body)) {
    if (!seen(r->message_id)) {
      m_state.pending_requests.insert(r->from);
      fx.event({PhoneEventKind::kContactRequest, r->from, 0, 0, ""});
      if (m_config.auto_accept_contacts) {
        (void)accept_contact(r->from, fx);
      } else {
        fx.ask_user({"accept_contact", r->from});
      }
    }
    send_ack(r->message_id, fx);
    return;
  }
  if (const auto* a = std::get_if<proto::ContactAdded>(&m.body)) {
    if (!seen(a->message_id)) {
      (void)add_verified_contact(a->user_id, a->sign_cert, a->enc_cert, fx);
    }
    send_ack(a->message_id, fx);
  }
}

Status Phone::add_verified_contact(const std::string& user, ByteView sign_cert, ByteView enc_cert,
                                   PhoneEffects& fx) {
  SPMC_TRY(cert::Certificate sign, cert::decode(sign_cert));
  SPMC_TRY(cert::Certificate enc, cert::decode(enc_cert));
  const TimeMs now = app_now() + m_profile.limits.max_future_skew_ms;  // as in PH-005
  // Section 3.3: the certificates are what guarantee the keys belong to that user.
  for (const auto& [c, usage] :
       {std::pair{&sign, cert::Usage::kSignature}, std::pair{&enc, cert::Usage::kEncryption}}) {
    const Status st = cert::verify(*c, m_ca, user, usage, now, m_state.revoked);
    if (!st.ok()) {
      fx.event({PhoneEventKind::kContactRejected, user, 0, 0, st.error().detail});
      return st.error();
    }
  }
  auto it = m_state.contacts.find(user);
  if (it != m_state.contacts.end() && it->second.sign_cert == sign && it->second.enc_cert == enc) {
    return ok_status();  // the same certificates again: nothing to do
  }
  Contact& c = m_state.contacts[user];
  c.sign_cert = sign;
  c.enc_cert = enc;
  c.send.reset();  // new keys on the other side: start a new chain for them (STO-005)
  c.u2u.reset();   // U2U-010 bound the old keys; the users must opt in again
  fx.event({PhoneEventKind::kContactAdded, user, 0, 0, ""});
  send_key_share(user, fx);
  return ok_status();
}

void Phone::queue_out(std::string to, proto::PayloadKind kind, Bytes payload, PhoneEffects& fx,
                      OutOp op) {
  if (m_state.outbox.size() >= m_config.outbox_max) {
    fx.event({PhoneEventKind::kOutboxFull, to, 0, 0, ""});
    return;
  }
  m_state.outbox.emplace(m_state.next_out++,
                         OutItem{op, std::move(to), kind, std::move(payload), 0, false});
  flush_outbox(fx);
}

void Phone::flush_outbox(PhoneEffects& fx) {
  if (!ready()) {
    return;
  }
  const TimeMs now = m_clock.now_ms();
  // PH-010: relays to one recipient leave in outbox order. One that waits for a retry
  // (queue_full) holds back the later ones to the same recipient, so a key share is never
  // overtaken by the envelopes sealed under it, nor an envelope by the share replacing its key.
  std::set<std::string_view> waiting;
  for (auto& [seq, item] : m_state.outbox) {
    const bool relay = item.op == OutOp::kRelay;
    if (relay && waiting.contains(item.to)) {
      continue;
    }
    if (item.in_flight) {
      continue;
    }
    if (item.retry_at > now) {
      if (relay) {
        waiting.insert(item.to);
      }
      continue;
    }
    item.in_flight = true;
    switch (item.op) {
      case OutOp::kRelay:
        request(proto::Send{item.to, item.kind, item.payload}, Pending::kOutbox, fx, seq);
        break;
      case OutOp::kAddContact:
        request(proto::AddContact{item.to}, Pending::kOutbox, fx, seq);
        break;
      case OutOp::kAcceptContact:
        request(proto::AcceptContact{item.to}, Pending::kOutbox, fx, seq);
        break;
    }
  }
}

void Phone::on_timer(PhoneEffects& caller) {
  Batch fx(*this, caller);
  if (!m_channel) {
    return;
  }
  const TimeMs now = m_clock.now_ms();
  // PH-004: a server that stopped answering (it restarted, or a long partition) has lost
  // our session: open a new connection rather than retransmit into the void.
  if (awaiting_server() && now >= m_last_progress_local + m_config.reconnect_after_ms) {
    fx.event({PhoneEventKind::kReconnect, m_state.user_id, 0, 0, ""});
    connect(fx);
    return;
  }
  std::vector<Bytes> out;
  m_channel->on_timer(now, out);
  transmit(out, fx);
  decide_held(fx);
  // PH-006: periodic resync bounds the drift. PH-004: after a long silence the same
  // request doubles as a keepalive, so a server that restarted and forgot this connection
  // is noticed (the reconnect rule above then fires).
  if (m_logged_in &&
      (now >= m_last_sync_local + m_config.time_resync_ms ||
       (m_channel->idle() && now >= m_last_progress_local + m_config.keepalive_ms))) {
    m_last_sync_local = now;
    request(proto::TimeSync{}, Pending::kTime, fx);
  }
  flush_outbox(fx);
}

TimeMs Phone::next_deadline() const {
  if (!m_channel) {
    return 0;
  }
  TimeMs best = m_channel->next_deadline();
  if (awaiting_server()) {
    best = best == 0 ? m_last_progress_local + m_config.reconnect_after_ms
                     : std::min(best, m_last_progress_local + m_config.reconnect_after_ms);
  }
  auto consider = [&best](TimeMs t) {
    if (t != 0 && (best == 0 || t < best)) {
      best = t;
    }
  };
  if (m_logged_in) {
    consider(m_last_sync_local + m_config.time_resync_ms);
    consider(m_last_progress_local + m_config.keepalive_ms);
  }
  for (const HeldEnvelope& item : m_state.held) {
    // PH-014: application time back to the local clock (app = local + offset).
    const std::int64_t local = static_cast<std::int64_t>(item.decide_by) - m_state.offset_ms;
    consider(static_cast<TimeMs>(std::max<std::int64_t>(local, 1)));
  }
  if (ready()) {
    for (const auto& [seq, item] : m_state.outbox) {
      if (!item.in_flight) {
        consider(std::max<TimeMs>(item.retry_at, 1));
      }
    }
  }
  return best;
}

bool Phone::has_send_key(const std::string& contact) const {
  auto it = m_state.contacts.find(contact);
  return it != m_state.contacts.end() && it->second.send.has_value();
}

}  // namespace spmc::phone
