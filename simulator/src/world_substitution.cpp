// The malicious server as certificate authority (spec/requirements_evidence.md):
//   server_substitutes_keys  one way: a's key shares to b go through the server's key;
//   server_mitm              both ways, and it answers the hardened U2U challenges itself
//                            it reads h_I and h_R on the channels it now controls,
//                            knows every certificate it issued, so it computes the value
//                            each phone derives and rewrites each authentication response
//                            into the one the other phone expects.
#include "adversary_util.hpp"
#include "spmc/envelope.hpp"
#include "spmc/schemes/u2u_scheme.hpp"
#include "spmc/sim/world_impl.hpp"
#include "spmc/u2u.hpp"

namespace spmc::sim {

namespace {

constexpr auto kEnc = static_cast<std::uint8_t>(cert::Usage::kEncryption);
constexpr auto kSign = static_cast<std::uint8_t>(cert::Usage::kSignature);

}  // namespace

bool AdversaryRun::substituting() const {
  return has("server_substitutes_keys") || has("server_mitm");
}

// The certificate the server made binding its own key to `user` for `usage`, made once.
const Bytes& World::Impl::forged_cert(const std::string& user, std::uint8_t usage) {
  AdversaryRun& adv = *adversary;
  Bytes& c = adv.forged[{user, usage}];
  if (c.empty()) {
    c = server->forge_certificate(
        user, usage,
        usage == kEnc ? ByteView(adv.fake_enc.public_key) : ByteView(adv.fake_sign.public_key));
  }
  return c;
}

// Outbound: which of the peer's certificates the phone at `to` gets replaced. One way:
// a gets the server's key as b's encryption key and b gets it as a's signing key (hardened
// shares re-signed by the server then verify). Both ways: each gets both of the other's.
void World::Impl::substitute_outbound(server::Address to, Bytes& frame) {
  AdversaryRun& adv = *adversary;
  const std::uint32_t who = phone_index(to);
  if (who != adv.a && who != adv.b) {
    return;
  }
  const bool to_a = who == adv.a;
  const std::string& peer = user_of(to_a ? adv.b : adv.a);
  if (peer.empty()) {
    return;
  }
  const bool both = adv.has("server_mitm");
  const bool enc = both || to_a;
  const bool sign = both || !to_a;
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
  ++adv.certs_replaced;
  if (!(to_a ? adv.told_a : adv.told_b)) {
    (to_a ? adv.told_a : adv.told_b) = true;
    // models/README.md cert_issue(S, owner, keyowner): the CA binds its own key to `owner`.
    auto e = make_trace_event(queue.now(), "adv_cert");
    e["phone"] = who;
    e["owner"] = peer;
    e["usage"] = to_a ? "encryption" : "signature";
    trace.record(e);
  }
  frame = std::move(*edited);
}

// Inbound: a key share the phone sealed to the server's key is opened, kept and forwarded
// re-sealed to the recipient's real key (signed with the server's key under hardened); under
// server_mitm the U2U messages are read and the authentication responses rewritten.
void World::Impl::substitute_inbound(Packet& packet) {
  AdversaryRun& adv = *adversary;
  const std::uint32_t from = phone_index(packet.from);
  const bool both = adv.has("server_mitm");
  if (from != adv.a && !(both && from == adv.b)) {
    return;
  }
  const std::string& me = user_of(from);
  const std::string& peer = user_of(from == adv.a ? adv.b : adv.a);
  auto edited = edit_frame(packet.bytes, [&](proto::Message& m) {
    auto* s = std::get_if<proto::Send>(&m.body);
    if (s == nullptr || s->to != peer) {
      return false;
    }
    if (auto done = adv.resealed.find(s->payload); done != adv.resealed.end()) {
      s->payload = done->second;  // a retransmission: forward the same bytes again
      return true;
    }
    std::optional<Bytes> forwarded;
    if (s->kind == proto::PayloadKind::kKeyShare) {
      forwarded = reseal_share(me, peer, s->payload);
    } else if (both && profile.u2u->binds_keys()) {
      forwarded = rewrite_u2u(from, s->payload);
    }
    if (!forwarded) {
      return false;
    }
    adv.resealed.emplace(s->payload, *forwarded);
    s->payload = std::move(*forwarded);
    return true;
  });
  if (edited) {
    packet.bytes = std::move(*edited);
  }
}

std::optional<Bytes> World::Impl::reseal_share(const std::string& me, const std::string& peer,
                                               ByteView payload) {
  AdversaryRun& adv = *adversary;
  auto message = keyshare::decode_message(payload);
  const auto my_sign = certified_key(server->account(me), false);
  const auto peer_enc = certified_key(server->account(peer), true);
  if (!message.ok() || !peer_enc) {
    return std::nullopt;
  }
  auto plain =
      keyshare::open(profile, *message, adv.fake_enc.secret_key, my_sign ? &*my_sign : nullptr);
  if (!plain.ok()) {
    return std::nullopt;  // sealed to the real key: this share predates the substitution
  }
  ++adv.shares_intercepted;
  adv.knowledge.learn_share(me, peer, *plain);
  auto e = make_trace_event(queue.now(), "adv_share_read");
  e["from"] = me;
  e["to"] = peer;
  e["key_ts"] = plain->timestamp_ms;
  trace.record(e);
  return keyshare::seal(*adv.rng, profile, *plain, me, peer, *peer_enc, &adv.fake_sign.secret_key);
}

// The U2U value the phone at `side` derives (U2U-010): its own real encryption certificate
// and the server's certificate for the peer, as that phone holds them.
std::optional<crypto::Digest> World::Impl::mitm_value(int side) const {
  const AdversaryRun& adv = *adversary;
  const int other = 1 - side;
  if (!adv.u2u_hash[side] || !adv.u2u_hash[other] || adv.u2u_initiator < 0) {
    return std::nullopt;
  }
  const phone::PersistentState& s = phones[side == 0 ? adv.a : adv.b]->phone->state();
  const auto peer = s.contacts.find(user_of(side == 0 ? adv.b : adv.a));
  if (!s.enc_cert || peer == s.contacts.end()) {
    return std::nullopt;
  }
  // The certificates are public: the server issued both; reading them off the phone is a
  // shortcut for the server's own records, not a secret.
  const u2u::KeyFingerprints fps{cert::fingerprint(*s.enc_cert),
                                 cert::fingerprint(peer->second.enc_cert)};
  return u2u::hardened_value(
      *adv.u2u_hash[side], *adv.u2u_hash[other], fps,
      side == adv.u2u_initiator ? u2u::Role::kInitiator : u2u::Role::kResponder);
}

std::optional<Bytes> World::Impl::rewrite_u2u(std::uint32_t from, ByteView payload) {
  AdversaryRun& adv = *adversary;
  auto env = envelope::decode_envelope(payload);
  if (!env.ok()) {
    return std::nullopt;
  }
  const auto mk = adv.knowledge.key_for(*env);
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
  const int side = from == adv.a ? 0 : 1;
  switch (msg->type) {
    case u2u::MessageType::kOptinRequest:
      adv.u2u_initiator = side;
      return std::nullopt;
    case u2u::MessageType::kHash:
      adv.u2u_hash[side] = msg->digest;
      return std::nullopt;
    case u2u::MessageType::kAuthRequest:
      adv.u2u_nonce[side] = msg->nonce;
      return std::nullopt;
    case u2u::MessageType::kAuthResponse:
      break;
    default:
      return std::nullopt;
  }
  adv.u2u_nonce[side] = msg->nonce;
  const int other = 1 - side;
  const auto v = mitm_value(other);
  if (!v || !adv.u2u_nonce[other] || !msg->nonce) {
    return std::nullopt;
  }
  // What the other phone checks: HMAC(v_other, its own nonce || this sender's nonce).
  msg->digest = u2u::hardened_response(*v, *adv.u2u_nonce[other], *msg->nonce);
  ++adv.u2u_rewritten;
  p->body = u2u::encode_body(*msg);
  return envelope::seal(env->header, *mk, *p);
}

}  // namespace spmc::sim
