#include "spmc/server.hpp"

#include <algorithm>

#include "spmc/certificate.hpp"

namespace spmc::server {

namespace {
constexpr std::size_t kUserIdLength = 16;  // SU-003
constexpr std::string_view kIdAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::uint8_t kUsageSign = 1;
constexpr std::uint8_t kUsageEnc = 2;

Error fail(ErrorCode code, std::string detail) { return make_error(code, std::move(detail)); }
}  // namespace

ChatServer::ChatServer(const Profile& profile, Rng& rng, const Clock& clock, ServerConfig config)
    : m_profile(profile),
      m_rng(rng),
      m_clock(clock),
      m_config(config),
      m_ca(crypto::ed25519_generate(rng)) {
  m_identity.ca_secret = m_ca.secret_key;
  m_identity.email_salt = rng.bytes(kSaltLength);
  // SRV-010: a login pushes a whole offline queue at once; the channel must hold it.
  m_config.channel.queue_max =
      std::max<std::uint32_t>(m_config.channel.queue_max, profile.limits.offline_queue_max + 1024);
}

ChatServer::ChatServer(const Profile& profile, Rng& rng, const Clock& clock, ServerConfig config,
                       const DurableState& state)
    : m_profile(profile), m_rng(rng), m_clock(clock), m_config(config) {
  m_config.channel.queue_max =
      std::max<std::uint32_t>(m_config.channel.queue_max, profile.limits.offline_queue_max + 1024);
  load(state);
}

void ChatServer::load(const DurableState& state) {
  m_identity = state.identity;
  m_ca = crypto::ed25519_from_secret(state.identity.ca_secret);
  m_accounts = state.accounts;
  m_by_email.clear();
  for (const auto& [id, a] : m_accounts) {
    m_by_email.emplace(a.email_hash, id);
  }
  m_revoked = state.revoked;
  m_store = state.store;
  m_store_total = 0;
  for (auto& [user, queue] : m_store) {
    m_store_total += queue.size();
    for (StoredItem& item : queue) {
      item.pushed_session = 0;  // SRV-010: pushes were on connections that are gone
    }
  }
  // CH-008: every session a store remembers is retired, the ones open at the crash too.
  m_retired = state.sessions;
  m_next_message_id = state.next_message_id;
  m_next_serial = state.next_serial;
}

void ChatServer::recover(const DurableState& state) {
  m_sessions.clear();
  m_online.clear();
  m_deadlines.clear();
  m_deadline_of.clear();
  load(state);
}

void ChatServer::crash() { recover(durable_state()); }

DurableState ChatServer::durable_state() const {
  DurableState d;
  d.identity = m_identity;
  d.next_message_id = m_next_message_id;
  d.next_serial = m_next_serial;
  d.accounts = m_accounts;
  d.revoked = m_revoked;
  for (const auto& [user, queue] : m_store) {
    if (queue.empty()) {
      continue;
    }
    auto& out = d.store[user];
    for (const StoredItem& item : queue) {
      out.push_back(StoredItem{item.message_id, item.push, 0});
    }
  }
  // A store appends every session opened (SessionOpened); the server keeps the retired ones
  // and the current one apart.
  for (const auto& [address, retired] : m_retired) {
    if (!retired.empty()) {
      d.sessions[address] = retired;
    }
  }
  for (const auto& [address, s] : m_sessions) {
    auto& sessions = d.sessions[address];
    sessions.push_back(s.endpoint.session());
    if (sessions.size() > kRetiredSessions) {
      sessions.pop_front();
    }
  }
  return d;
}

crypto::Digest ChatServer::email_hash(std::string_view email) const {
  Bytes input = m_identity.email_salt;
  for (char c : email) {
    input.push_back(static_cast<std::uint8_t>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  return crypto::sha256(input);
}

std::string ChatServer::new_user_id() {
  for (;;) {
    std::string id;
    for (std::size_t i = 0; i < kUserIdLength; ++i) {
      id.push_back(kIdAlphabet[m_rng.uniform(kIdAlphabet.size())]);
    }
    if (!m_accounts.contains(id)) {
      return id;
    }
  }
}

Account* ChatServer::find(const std::string& user_id) {
  auto it = m_accounts.find(user_id);
  return it == m_accounts.end() ? nullptr : &it->second;
}

const Account* ChatServer::account(const std::string& user_id) const {
  auto it = m_accounts.find(user_id);
  return it == m_accounts.end() ? nullptr : &it->second;
}

void ChatServer::on_packet(Address from, ByteView frame, ServerEffects& fx) {
  auto decoded = channel::decode(frame);
  if (!decoded.ok()) {
    ++m_stats.bad_frames;
    return;
  }
  const channel::Frame& f = *decoded;
  auto it = m_sessions.find(from);
  if (it == m_sessions.end() || it->second.endpoint.session() != f.session) {
    // CH-007: a new connection opens with data frame 0 under a fresh session id.
    if (f.kind != channel::FrameKind::kData || f.number != 0 ||
        std::find(m_retired[from].begin(), m_retired[from].end(), f.session) !=
            m_retired[from].end()) {
      ++m_stats.bad_frames;
      return;
    }
    if (it != m_sessions.end()) {
      retire(from, it->second);
      m_sessions.erase(it);
      touch(from);
    }
    it =
        m_sessions.emplace(from, Session{channel::Endpoint(f.session, m_config.channel), {}}).first;
    fx.persist(SessionOpened{from, f.session});  // CH-008 across a restart (SRV-021)
  }
  std::vector<Bytes> out;
  auto payloads = it->second.endpoint.on_frame(frame, m_clock.now_ms(), out);
  for (Bytes& b : out) {
    fx.transmit(from, std::move(b));
  }
  if (!payloads.ok()) {
    ++m_stats.bad_frames;
    return;
  }
  for (const Bytes& p : *payloads) {
    auto message = proto::decode(p);
    if (!message.ok()) {
      ++m_stats.bad_frames;
      continue;
    }
    on_request(from, it->second, *message, fx);
  }
  touch(from);
}

// The retransmission deadlines of all connections, indexed so a timer costs O(log n)
// rather than a scan of every connection.
void ChatServer::touch(Address address) {
  auto old = m_deadline_of.find(address);
  if (old != m_deadline_of.end()) {
    m_deadlines.erase({old->second, address});
    m_deadline_of.erase(old);
  }
  auto it = m_sessions.find(address);
  if (it == m_sessions.end()) {
    return;
  }
  const TimeMs d = it->second.endpoint.next_deadline();
  if (d != 0) {
    m_deadlines.insert({d, address});
    m_deadline_of.emplace(address, d);
  }
}

void ChatServer::retire(Address from, const Session& s) {
  auto& retired = m_retired[from];
  retired.push_back(s.endpoint.session());
  if (retired.size() > kRetiredSessions) {
    retired.pop_front();
  }
  if (s.user_id) {
    auto online = m_online.find(*s.user_id);
    if (online != m_online.end() && online->second == from) {
      m_online.erase(online);
    }
  }
}

void ChatServer::on_request(Address from, Session& s, const proto::Message& m, ServerEffects& fx) {
  ++m_stats.requests;
  auto reply = dispatch(from, s, m.body, fx);
  if (!reply.ok()) {
    ++m_stats.failures;
    if (reply.code() == ErrorCode::kQueueFull) {
      ++m_stats.queue_full;
    }
    fx.log("failure type=" + std::string(proto::type_name(m.body)) +
           " error=" + std::string(error_name(reply.code())));
    (void)send_on(
        from, s,
        proto::Message{m.request_id, proto::Failure{static_cast<std::uint16_t>(reply.code()),
                                                    reply.error().detail}},
        fx);
    return;
  }
  if (reply->has_value()) {
    (void)send_on(from, s, proto::Message{m.request_id, std::move(**reply)}, fx);
  }
  if (s.user_id && std::holds_alternative<proto::Login>(m.body)) {
    push_pending(*s.user_id, fx);  // SRV-010: after LoggedIn, in store order
  }
}

Result<std::optional<ChatServer::Reply>> ChatServer::dispatch(Address from, Session& s,
                                                              const proto::Body& body,
                                                              ServerEffects& fx) {
  using R = std::optional<Reply>;
  if (const auto* m = std::get_if<proto::SignUp>(&body)) {
    SPMC_TRY(Reply r, sign_up(*m, fx));
    return R{std::move(r)};
  }
  if (const auto* m = std::get_if<proto::VerifyEmail>(&body)) {
    SPMC_TRY(Reply r, verify_email(*m, fx));
    return R{std::move(r)};
  }
  if (const auto* m = std::get_if<proto::Login>(&body)) {
    SPMC_TRY(Reply r, login(from, s, *m, fx));
    return R{std::move(r)};
  }
  if (std::holds_alternative<proto::TimeSync>(body)) {
    return R{proto::Time{m_clock.now_ms()}};
  }
  // SRV-003: everything else needs a logged-in session.
  Account* a = s.user_id ? find(*s.user_id) : nullptr;
  if (a == nullptr) {
    return fail(ErrorCode::kBadState, "not logged in");
  }
  if (const auto* m = std::get_if<proto::RequestCertificates>(&body)) {
    SPMC_TRY(Reply r, certify(*a, *m, fx));
    return R{std::move(r)};
  }
  if (const auto* m = std::get_if<proto::AddContact>(&body)) {
    SPMC_TRY(Reply r, add_contact(*a, *m, fx));
    return R{std::move(r)};
  }
  if (const auto* m = std::get_if<proto::AcceptContact>(&body)) {
    SPMC_TRY(Reply r, accept_contact(*a, *m, fx));
    return R{std::move(r)};
  }
  if (const auto* m = std::get_if<proto::Send>(&body)) {
    SPMC_TRY(Reply r, relay(*a, *m, fx));
    return R{std::move(r)};
  }
  if (const auto* m = std::get_if<proto::Ack>(&body)) {
    acknowledge(*a, m->message_id, fx);
    return R{};  // SRV-012: acknowledgements are not answered
  }
  return fail(ErrorCode::kBadValue, "not a request");
}

Result<ChatServer::Reply> ChatServer::sign_up(const proto::SignUp& m, ServerEffects& fx) {
  if (m.email.find('@') == std::string::npos) {
    return fail(ErrorCode::kBadValue, "email address without '@'");
  }
  const crypto::Digest h = email_hash(m.email);
  if (m_by_email.contains(h)) {
    return fail(ErrorCode::kBadState, "email already registered");
  }
  Account a;
  a.user_id = new_user_id();
  a.email_hash = h;
  a.password_salt = m_rng.bytes(16);
  a.password_verifier =
      crypto::scrypt(m.password, a.password_salt, m_config.password_kdf_cost_n, 8, 1, 32);
  a.verification_code = std::to_string(100000 + m_rng.uniform(900000));
  fx.persist(AccountPut{a});  // SRV-021: before the mail that reveals the code
  // SU-001: the address is used for this one mail and then only its salted hash is kept.
  fx.send_email(m.email, "SPMC verification for " + a.user_id + ": " + a.verification_code);
  fx.log("sign_up user=" + a.user_id);
  m_by_email.emplace(h, a.user_id);
  std::string id = a.user_id;
  m_accounts.emplace(id, std::move(a));
  return Reply{proto::SignedUp{id}};
}

Result<ChatServer::Reply> ChatServer::verify_email(const proto::VerifyEmail& m, ServerEffects& fx) {
  Account* a = find(m.user_id);
  if (a == nullptr) {
    return fail(ErrorCode::kUnknownUser, "no such user");
  }
  if (!equal_ct(bytes_of(m.code), bytes_of(a->verification_code))) {
    return fail(ErrorCode::kBadValue, "wrong verification code");
  }
  if (!a->verified) {
    a->verified = true;
    fx.persist(AccountPut{*a});
  }
  return Reply{proto::Ok{}};
}

Result<ChatServer::Reply> ChatServer::login(Address from, Session& s, const proto::Login& m,
                                            ServerEffects& fx) {
  Account* a = find(m.user_id);
  if (a == nullptr) {
    return fail(ErrorCode::kUnknownUser, "no such user");
  }
  const Bytes v =
      crypto::scrypt(m.password, a->password_salt, m_config.password_kdf_cost_n, 8, 1, 32);
  if (!equal_ct(v, a->password_verifier)) {
    return fail(ErrorCode::kBadValue, "wrong password");
  }
  if (!a->verified) {
    return fail(ErrorCode::kBadState, "email not verified");
  }
  auto prev = m_online.find(a->user_id);
  if (prev != m_online.end() && prev->second != from) {
    auto other = m_sessions.find(prev->second);
    if (other != m_sessions.end()) {
      other->second.user_id.reset();
    }
  }
  s.user_id = a->user_id;
  m_online[a->user_id] = from;
  auto& queue = m_store[a->user_id];
  if (m_config.bug == ServerBug::kForgetsUnackedOnReconnect) {
    m_store_total -= static_cast<std::size_t>(std::erase_if(queue, [&](const StoredItem& item) {
      if (item.pushed_session == 0) {
        return false;
      }
      fx.persist(ItemDeleted{a->user_id, item.message_id});
      return true;
    }));
  }
  for (auto& item : queue) {
    item.pushed_session = 0;  // SRV-010: a new session gets every pending item again
  }
  return Reply{proto::LoggedIn{m_clock.now_ms(),
                               std::vector<std::uint64_t>(m_revoked.begin(), m_revoked.end())}};
}

Bytes ChatServer::issue(const std::string& user_id, std::uint8_t usage, ByteView public_key,
                        ServerEffects& fx) {
  const TimeMs now = m_clock.now_ms();
  cert::PublicKey key{};
  SPMC_CHECK(public_key.size() == key.size());
  std::copy(public_key.begin(), public_key.end(), key.begin());
  const std::uint64_t serial = m_next_serial++;
  fx.persist(SerialIssued{serial});
  const cert::Certificate c =
      cert::issue(m_ca.secret_key, serial, user_id, static_cast<cert::Usage>(usage), key, now,
                  now + m_config.cert_validity_ms);
  return cert::encode(c);
}

Bytes ChatServer::forge_certificate(const std::string& user_id, std::uint8_t usage,
                                    ByteView public_key, ServerEffects& fx) {
  return issue(user_id, usage, public_key, fx);
}

std::uint64_t ChatServer::inject_deliver(const std::string& to, const std::string& from,
                                         proto::PayloadKind kind, Bytes payload,
                                         ServerEffects& fx) {
  SPMC_CHECK(find(to) != nullptr);
  return enqueue(to, proto::Deliver{0, from, kind, m_clock.now_ms(), std::move(payload)}, fx);
}

std::uint64_t ChatServer::inject_contact_added(const std::string& to, const std::string& user,
                                               ServerEffects& fx) {
  SPMC_CHECK(find(to) != nullptr);
  const Account& a = m_accounts.at(user);
  return enqueue(to, proto::ContactAdded{0, a.user_id, a.sign_cert, a.enc_cert}, fx);
}

Result<ChatServer::Reply> ChatServer::certify(Account& a, const proto::RequestCertificates& m,
                                              ServerEffects& fx) {
  // STO-005: a new pair of certificates (a reinstall) revokes the previous ones and tells
  // every contact the new keys.
  const bool reinstall = !a.cert_serials.empty();
  for (std::uint64_t serial : a.cert_serials) {
    m_revoked.insert(serial);
    fx.persist(SerialRevoked{serial});
  }
  a.cert_serials.clear();
  a.sign_cert = issue(a.user_id, kUsageSign, m.sign_public, fx);
  a.cert_serials.push_back(m_next_serial - 1);
  a.enc_cert = issue(a.user_id, kUsageEnc, m.enc_public, fx);
  a.cert_serials.push_back(m_next_serial - 1);
  fx.persist(AccountPut{a});
  fx.log("certify user=" + a.user_id + (reinstall ? " reinstall" : ""));
  if (reinstall) {
    // The contact list comes back from the server (section 3.7); each side then sends a
    // fresh key share to the other.
    for (const std::string& c : a.contacts) {
      const Account& other = m_accounts.at(c);
      enqueue(c, proto::ContactAdded{0, a.user_id, a.sign_cert, a.enc_cert}, fx);
      enqueue(a.user_id, proto::ContactAdded{0, other.user_id, other.sign_cert, other.enc_cert},
              fx);
    }
  }
  return Reply{proto::Certificates{a.sign_cert, a.enc_cert}};
}

Result<ChatServer::Reply> ChatServer::add_contact(Account& a, const proto::AddContact& m,
                                                  ServerEffects& fx) {
  std::string target = m.target;
  if (target.find('@') != std::string::npos) {
    auto it = m_by_email.find(email_hash(target));
    if (it == m_by_email.end()) {
      return fail(ErrorCode::kUnknownUser, "no user with that email");
    }
    target = it->second;
  }
  Account* t = find(target);
  if (t == nullptr || t->user_id == a.user_id) {
    return fail(ErrorCode::kUnknownUser, "no such user");
  }
  if (a.sign_cert.empty() || t->sign_cert.empty()) {
    return fail(ErrorCode::kBadState, "both users need certificates first");
  }
  if (a.contacts.contains(target) || t->pending_from.contains(a.user_id)) {
    return fail(ErrorCode::kBadState, "already a contact or already requested");
  }
  if (m_store[target].size() >= m_profile.limits.offline_queue_max) {
    return fail(ErrorCode::kQueueFull, "recipient's offline store is full");
  }
  t->pending_from.insert(a.user_id);
  fx.persist(AccountPut{*t});
  enqueue(target, proto::ContactRequest{0, a.user_id, a.sign_cert, a.enc_cert}, fx);
  return Reply{proto::Ok{}};
}

Result<ChatServer::Reply> ChatServer::accept_contact(Account& a, const proto::AcceptContact& m,
                                                     ServerEffects& fx) {
  Account* r = find(m.requester);
  if (r == nullptr || !a.pending_from.contains(m.requester)) {
    return fail(ErrorCode::kBadState, "no pending request from that user");
  }
  if (m_store[r->user_id].size() >= m_profile.limits.offline_queue_max ||
      m_store[a.user_id].size() >= m_profile.limits.offline_queue_max) {
    return fail(ErrorCode::kQueueFull, "an offline store is full");
  }
  a.pending_from.erase(m.requester);
  a.contacts.insert(r->user_id);
  r->contacts.insert(a.user_id);
  fx.persist(AccountPut{a});
  fx.persist(AccountPut{*r});
  // SRV-014: both sides learn the other's certificates from a stored, acknowledged push.
  // A reply would be lost with the connection it travels on, leaving the acceptor without
  // a contact the requester and the server already have (their messages then bounce).
  enqueue(r->user_id, proto::ContactAdded{0, a.user_id, a.sign_cert, a.enc_cert}, fx);
  enqueue(a.user_id, proto::ContactAdded{0, r->user_id, r->sign_cert, r->enc_cert}, fx);
  return Reply{proto::Ok{}};
}

Result<ChatServer::Reply> ChatServer::relay(Account& a, const proto::Send& m, ServerEffects& fx) {
  // SRV-005: any existing user. Group members need not be each other's contacts, and the
  // server is not told who is in which group.
  if (find(m.to) == nullptr) {
    return fail(ErrorCode::kUnknownUser, "no such recipient");
  }
  // SRV-006: bounded per-recipient store; refusing is the only way not to lose an
  // accepted message later.
  if (m_store[m.to].size() >= m_profile.limits.offline_queue_max) {
    return fail(ErrorCode::kQueueFull, "recipient's offline store is full");
  }
  const std::size_t size = m.payload.size();
  const std::uint64_t id =
      enqueue(m.to, proto::Deliver{0, a.user_id, m.kind, m_clock.now_ms(), m.payload}, fx);
  ++m_stats.relayed;
  fx.relayed(a.user_id, m.to, id, m.kind, m.payload);
  fx.log("relay id=" + std::to_string(id) + " from=" + a.user_id + " to=" + m.to +
         " bytes=" + std::to_string(size));
  return Reply{proto::Accepted{id}};
}

void ChatServer::acknowledge(Account& a, std::uint64_t message_id, ServerEffects& fx) {
  auto& queue = m_store[a.user_id];
  auto it = std::find_if(queue.begin(), queue.end(),
                         [message_id](const StoredItem& i) { return i.message_id == message_id; });
  if (it == queue.end()) {
    return;  // a duplicate acknowledgement: already deleted (idempotent)
  }
  if (m_config.bug == ServerBug::kKeepsDelivered) {
    return;
  }
  fx.persist(ItemDeleted{a.user_id, message_id});
  queue.erase(it);  // Req6 / SRV-011: deleted as soon as delivery is acknowledged
  --m_store_total;
  ++m_stats.deleted;
  fx.deleted(a.user_id, message_id);
  fx.log("delete id=" + std::to_string(message_id) + " to=" + a.user_id);
}

std::uint64_t ChatServer::enqueue(const std::string& user_id, proto::Body push, ServerEffects& fx) {
  const std::uint64_t id = m_next_message_id++;
  std::visit(
      [id](auto& m) {
        if constexpr (requires { m.message_id; }) {
          m.message_id = id;
        }
      },
      push);
  fx.persist(ItemStored{user_id, id, push});  // SRV-021: before push_pending sends it
  auto& queue = m_store[user_id];
  queue.push_back(StoredItem{id, std::move(push), 0});
  ++m_store_total;
  m_stats.peak_store_depth = std::max(m_stats.peak_store_depth, store_depth());
  push_pending(user_id, fx);
  return id;
}

void ChatServer::push_pending(const std::string& user_id, ServerEffects& fx) {
  auto online = m_online.find(user_id);
  if (online == m_online.end()) {
    return;
  }
  auto sit = m_sessions.find(online->second);
  SPMC_CHECK(sit != m_sessions.end());
  Session& s = sit->second;
  for (StoredItem& item : m_store[user_id]) {
    if (item.pushed_session == s.endpoint.session()) {
      continue;
    }
    // SRV-010: marked pushed only once the channel took it; otherwise it stays unpushed,
    // in order, and goes at the next login (the phone's de-duplication relies on order).
    if (!send_on(online->second, s, proto::Message{0, item.push}, fx)) {
      break;
    }
    item.pushed_session = s.endpoint.session();
  }
}

bool ChatServer::send_on(Address to, Session& s, const proto::Message& m, ServerEffects& fx) {
  std::vector<Bytes> out;
  auto st = s.endpoint.send(proto::encode(m), m_clock.now_ms(), out);
  if (!st.ok()) {
    fx.log("channel full to=" + std::to_string(to));
  }
  for (Bytes& b : out) {
    fx.transmit(to, std::move(b));
  }
  touch(to);
  return st.ok();
}

void ChatServer::on_timer(ServerEffects& fx) {
  const TimeMs now = m_clock.now_ms();
  std::vector<Address> due;
  for (auto it = m_deadlines.begin(); it != m_deadlines.end() && it->first <= now; ++it) {
    due.push_back(it->second);
  }
  for (Address address : due) {
    std::vector<Bytes> out;
    m_sessions.at(address).endpoint.on_timer(now, out);
    for (Bytes& b : out) {
      fx.transmit(address, std::move(b));
    }
    touch(address);
  }
}

TimeMs ChatServer::next_deadline() const {
  return m_deadlines.empty() ? 0 : m_deadlines.begin()->first;
}

// A connection has a deadline exactly when it has unacknowledged frames.
bool ChatServer::idle() const { return m_deadlines.empty(); }

std::size_t ChatServer::store_depth() const { return m_store_total; }

bool ChatServer::has_unpushed() const {
  for (const auto& [user, queue] : m_store) {
    if (queue.empty()) {
      continue;
    }
    auto online = m_online.find(user);
    if (online == m_online.end()) {
      return true;
    }
    const std::uint32_t session = m_sessions.at(online->second).endpoint.session();
    if (std::any_of(queue.begin(), queue.end(),
                    [session](const StoredItem& i) { return i.pushed_session != session; })) {
      return true;
    }
  }
  return false;
}

std::size_t ChatServer::store_depth(const std::string& user_id) const {
  auto it = m_store.find(user_id);
  return it == m_store.end() ? 0 : it->second.size();
}

void ChatServer::visit_held_bytes(
    const std::function<void(std::string_view what, ByteView)>& fn) const {
  for (const auto& [id, a] : m_accounts) {
    fn("account.email_hash", a.email_hash);
    fn("account.password_verifier", a.password_verifier);
    fn("account.sign_cert", a.sign_cert);
    fn("account.enc_cert", a.enc_cert);
  }
  for (const auto& [user, queue] : m_store) {
    for (const StoredItem& item : queue) {
      if (const auto* d = std::get_if<proto::Deliver>(&item.push)) {
        fn("store.payload", d->payload);
      }
    }
  }
}

}  // namespace spmc::server
