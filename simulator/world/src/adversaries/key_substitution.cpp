// The malicious server as certificate authority (spec/requirements_evidence.md):
//   server_substitutes_keys  one way: a's key shares to b go through the server's key;
//   server_mitm              both ways, and it answers the hardened U2U challenges itself
//                            it reads h_I and h_R on the channels it now controls,
//                            knows every certificate it issued, so it computes the value
//                            each phone derives and rewrites each authentication response
//                            into the one the other phone expects.
#include "key_substitution.hpp"

#include "edit_frame.hpp"
#include "spmc/envelope.hpp"
#include "spmc/schemes/u2u_scheme.hpp"
#include "spmc/sim/abstract_projection.hpp"

namespace spmc::sim {

namespace {

constexpr auto kEnc = static_cast<std::uint8_t>(cert::Usage::kEncryption);
constexpr auto kSign = static_cast<std::uint8_t>(cert::Usage::kSignature);

}  // namespace

KeySubstitution::KeySubstitution(WorldApi& world, AttackState& state, Aim& aim, bool both_ways)
    : m_world(world), m_state(state), m_aim(aim), m_both(both_ways) {
  // It acts from the contact exchange on, so its pair is fixed when the world is built: the
  // first contact edge, or the pair aimed at. Aimed at the U2U pair, it is the first edge
  // too, and the first U2U session is made of it (forces_u2u).
  const std::vector<std::uint32_t> first_edge{state.a, state.b};
  const auto pair =
      aim.role() == "u2u_pair" ? first_edge : aim.target(2, first_edge).value_or(first_edge);
  m_a = pair.at(0);
  m_b = pair.at(1);
  m_active = !aim.timed();
  if (aim.timed()) {
    aim.arm([this] { strike(); });  // now: `when.after` counts from the run's start
  }
  // The attack's own model replaces the ratchet projection: its SPIN counterexample is what
  // this run reproduces (models/key_share/key_substitution.pml one way, models/u2u/u2u.pml
  // for the man in the middle, whose counterexample round-trips).
  m_world.set_abstract_projection(m_both ? make_u2u_projection(m_a, m_b)
                                         : make_key_substitution_projection(m_a, m_b));
}

void KeySubstitution::start() { keep_victims_chatting(m_world, m_state, m_a, m_b); }

// A late substitution: from now on the server forges, and it tells each phone of the pair
// that the other has new certificates (the pushes are rewritten on the way out).
void KeySubstitution::strike() {
  if (m_active) {
    return;
  }
  const std::string& a = m_world.user_of(m_a);
  const std::string& b = m_world.user_of(m_b);
  if (a.empty() || b.empty()) {
    m_aim.missed("the pair is not signed up");
    return;
  }
  m_active = true;
  m_aim.struck({m_a, m_b}, "both told the other has new certificates (the server's keys)");
  m_world.server_push_contact(a, b);
  m_world.server_push_contact(b, a);
  m_world.server_wake();
  // The victims go on chatting after the late substitution, whenever it came.
  m_world.schedule_after(5 * kUsPerSecond, [this] { m_world.send_text(m_a, m_b); });
}

// The certificate the server made binding its own key to `user` for `usage`, made once.
const Bytes& KeySubstitution::forged_cert(const std::string& user, std::uint8_t usage) {
  Bytes& c = m_forged[{user, usage}];
  if (c.empty()) {
    c = m_world.forge_certificate(user, usage,
                                  usage == kEnc ? ByteView(m_state.fake_enc.public_key)
                                                : ByteView(m_state.fake_sign.public_key));
  }
  return c;
}

// Outbound: which of the peer's certificates the phone at `to` gets replaced. One way:
// a gets the server's key as b's encryption key and b gets it as a's signing key (hardened
// shares re-signed by the server then verify). Both ways: each gets both of the other's.
void KeySubstitution::on_server_transmit(server::Address to, Bytes& frame) {
  const std::uint32_t who = phone_index(to);
  if (!m_active || (who != m_a && who != m_b)) {
    return;
  }
  const bool to_a = who == m_a;
  const std::string& peer = m_world.user_of(to_a ? m_b : m_a);
  if (peer.empty()) {
    return;
  }
  const bool enc = m_both || to_a;
  const bool sign = m_both || !to_a;
  auto swap = [&](const std::string& user, Bytes& sign_cert, Bytes& enc_cert) {
    if (user != peer) {
      return false;
    }
    if (enc) {
      enc_cert = forged_cert(peer, kEnc);
    }
    if (sign) {
      sign_cert = forged_cert(peer, kSign);
    }
    return true;
  };
  auto edited = edit_frame(frame, [&](proto::Message& m) {
    if (auto* r = std::get_if<proto::ContactRequest>(&m.body)) {
      return swap(r->from, r->sign_cert, r->enc_cert);
    }
    if (auto* c = std::get_if<proto::ContactAdded>(&m.body)) {
      return swap(c->user_id, c->sign_cert, c->enc_cert);
    }
    return false;
  });
  if (!edited) {
    return;
  }
  ++m_certs_replaced;
  if (!(to_a ? m_told_a : m_told_b)) {
    (to_a ? m_told_a : m_told_b) = true;
    if (!m_aim.timed() && !(m_told_a && m_told_b)) {  // a timed strike is recorded in strike()
      m_aim.struck({m_a, m_b}, std::string("forged ") + (to_a ? "encryption" : "signature") +
                                   " certificate of " + peer + " pushed to phone " +
                                   std::to_string(who));
    }
    // models/README.md cert_issue(S, owner, keyowner): the CA binds its own key to `owner`.
    auto e = make_trace_event(m_world.now(), "adv_cert");
    e["phone"] = who;
    e["owner"] = peer;
    e["usage"] = to_a ? "encryption" : "signature";
    m_world.record(e);
  }
  frame = std::move(*edited);
}

// Inbound: a key share the phone sealed to the server's key is opened, kept and forwarded
// re-sealed to the recipient's real key (signed with the server's key under hardened); under
// server_mitm the U2U messages are read and the authentication responses rewritten.
TapVerdict KeySubstitution::on_packet(Packet& packet) {
  if (packet.to != kServerNode) {
    return TapVerdict::kForward;
  }
  const std::uint32_t from = phone_index(packet.from);
  if (from != m_a && !(m_both && from == m_b)) {
    return TapVerdict::kForward;
  }
  const std::string& me = m_world.user_of(from);
  const std::string& peer = m_world.user_of(from == m_a ? m_b : m_a);
  auto edited = edit_frame(packet.bytes, [&](proto::Message& m) {
    auto* s = std::get_if<proto::Send>(&m.body);
    if (s == nullptr || s->to != peer) {
      return false;
    }
    if (auto done = m_resealed.find(s->payload); done != m_resealed.end()) {
      s->payload = done->second;  // a retransmission: forward the same bytes again
      return true;
    }
    std::optional<Bytes> forwarded;
    if (s->kind == proto::PayloadKind::kKeyShare) {
      forwarded = reseal_share(me, peer, s->payload);
    } else if (m_both && m_world.profile().u2u->binds_keys()) {
      forwarded = rewrite_u2u(from, s->payload);
    }
    if (!forwarded) {
      return false;
    }
    m_resealed.emplace(s->payload, *forwarded);
    s->payload = std::move(*forwarded);
    return true;
  });
  if (edited) {
    packet.bytes = std::move(*edited);
  }
  return TapVerdict::kForward;
}

// The substituting server reads each message of a to b as it relays it (server_read of
// models/key_share/key_substitution.pml), with the share it opened in flight.
void KeySubstitution::on_relayed(const std::string& from, const std::string& to,
                                 proto::PayloadKind kind, ByteView payload) {
  if (kind != proto::PayloadKind::kEnvelope || from != m_world.user_of(m_a) ||
      to != m_world.user_of(m_b)) {
    return;
  }
  auto env = envelope::decode_envelope(payload);
  if (!env.ok()) {
    return;
  }
  if (auto read = m_state.knowledge.open_now(*env)) {
    auto e = make_trace_event(m_world.now(), "adv_msg_read");
    e["from"] = from;
    e["to"] = to;
    e["counter"] = env->header.counter;
    e["type"] = static_cast<int>(read->type);
    m_world.record(e);
  }
}

std::optional<Bytes> KeySubstitution::reseal_share(const std::string& me, const std::string& peer,
                                                   ByteView payload) {
  const Profile& profile = m_world.profile();
  auto message = keyshare::decode_message(payload);
  const auto my_sign = certified_key(m_world.server().account(me), false);
  const auto peer_enc = certified_key(m_world.server().account(peer), true);
  if (!message.ok() || !peer_enc) {
    return std::nullopt;
  }
  auto plain =
      keyshare::open(profile, *message, m_state.fake_enc.secret_key, my_sign ? &*my_sign : nullptr);
  if (!plain.ok()) {
    return std::nullopt;  // sealed to the real key: this share predates the substitution
  }
  ++m_state.shares_intercepted;
  m_state.knowledge.learn_share(me, peer, *plain);
  auto e = make_trace_event(m_world.now(), "adv_share_read");
  e["from"] = me;
  e["to"] = peer;
  e["key_ts"] = plain->timestamp_ms;
  m_world.record(e);
  return keyshare::seal(*m_state.rng, profile, *plain, me, peer, *peer_enc,
                        &m_state.fake_sign.secret_key);
}

// The U2U value the phone at `side` derives (U2U-010): its own real encryption certificate
// and the server's certificate for the peer, as that phone holds them.
std::optional<crypto::Digest> KeySubstitution::mitm_value(int side) const {
  const int other = 1 - side;
  if (!m_u2u_hash[side] || !m_u2u_hash[other] || m_u2u_initiator < 0) {
    return std::nullopt;
  }
  const phone::PersistentState& s = m_world.phone(side == 0 ? m_a : m_b).state();
  const auto peer = s.contacts.find(m_world.user_of(side == 0 ? m_b : m_a));
  if (!s.enc_cert || peer == s.contacts.end()) {
    return std::nullopt;
  }
  // The certificates are public: the server issued both; reading them off the phone is a
  // shortcut for the server's own records, not a secret.
  const u2u::KeyFingerprints fps{cert::fingerprint(*s.enc_cert),
                                 cert::fingerprint(peer->second.enc_cert)};
  return u2u::hardened_value(
      *m_u2u_hash[side], *m_u2u_hash[other], fps,
      side == m_u2u_initiator ? u2u::Role::kInitiator : u2u::Role::kResponder);
}

std::optional<Bytes> KeySubstitution::rewrite_u2u(std::uint32_t from, ByteView payload) {
  auto env = envelope::decode_envelope(payload);
  if (!env.ok()) {
    return std::nullopt;
  }
  const auto mk = m_state.knowledge.key_for(*env);
  if (!mk) {
    return std::nullopt;
  }
  auto p = envelope::open(*env, *mk);
  if (!p.ok() || p->type == envelope::ContentType::kText) {
    return std::nullopt;
  }
  auto msg = u2u::decode_body(static_cast<std::uint8_t>(p->type), p->body);
  if (!msg.ok()) {
    return std::nullopt;
  }
  const int side = from == m_a ? 0 : 1;
  switch (msg->type) {
    case u2u::MessageType::kOptinRequest:
      m_u2u_initiator = side;
      return std::nullopt;
    case u2u::MessageType::kHash:
      m_u2u_hash[side] = msg->digest;
      return std::nullopt;
    case u2u::MessageType::kAuthRequest:
      m_u2u_nonce[side] = msg->nonce;
      return std::nullopt;
    case u2u::MessageType::kAuthResponse:
      break;
    default:
      return std::nullopt;
  }
  m_u2u_nonce[side] = msg->nonce;
  const int other = 1 - side;
  const auto v = mitm_value(other);
  if (!v || !m_u2u_nonce[other] || !msg->nonce) {
    return std::nullopt;
  }
  // What the other phone checks: HMAC(v_other, its own nonce || this sender's nonce).
  msg->digest = u2u::hardened_response(*v, *m_u2u_nonce[other], *msg->nonce);
  ++m_u2u_rewritten;
  p->body = u2u::encode_body(*msg);
  return envelope::seal(env->header, *mk, *p);
}

void KeySubstitution::summary(std::vector<std::string>& findings) const {
  findings.push_back("certificates replaced in " + std::to_string(m_certs_replaced) +
                     " pushes; key shares intercepted " +
                     std::to_string(m_state.shares_intercepted) + "; U2U responses rewritten " +
                     std::to_string(m_u2u_rewritten));
}

void KeySubstitution::results(const AttackFindings& f, Report& report) const {
  (void)f;
  report.invariants.push_back(u2u_detects_mitm());
}

// Req5 against the man in the middle: a U2U run between a and b must not end with both
// phones showing "verified" while the server holds a substituted key between them.
InvariantResult KeySubstitution::u2u_detects_mitm() const {
  InvariantResult i = make_invariant(InvariantName::kU2uDetectsMitm);
  auto state_at = [this](std::uint32_t me, std::uint32_t other) -> std::string {
    const auto& contacts = m_world.phone(me).state().contacts;
    auto c = contacts.find(m_world.user_of(other));
    if (c == contacts.end() || !c->second.u2u) {
      return "none";
    }
    return std::string(u2u::state_name(c->second.u2u->state()));
  };
  const std::string at_a = state_at(m_a, m_b);
  const std::string at_b = state_at(m_b, m_a);
  i.checks = 2;
  if (m_certs_replaced == 0) {
    violate(i, "no certificate was substituted: the attack did not run");
  } else if (at_a == "authenticated" && at_b == "authenticated") {
    violate(i, "both phones show the other as verified (U2U state authenticated) although " +
                   m_world.user_of(m_b) + "'s encryption key seen by " + m_world.user_of(m_a) +
                   " is the server's");
  } else if (m_aim.timed() && at_a != "failed" && at_b != "failed") {
    violate(i, "re-certified after the U2U run, the phones dropped the verification (U2U states " +
                   at_a + " / " + at_b +
                   ") and nothing told the users: the server's keys were never checked");
  } else if (at_a != "failed" && at_b != "failed") {
    violate(i, "the U2U run did not finish: states " + at_a + " / " + at_b);
  }
  return i;
}

}  // namespace spmc::sim
