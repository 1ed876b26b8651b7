#include "spmc/sim/attacker.hpp"

#include "spmc/envelope.hpp"
#include "spmc/group.hpp"
#include "spmc/ratchet.hpp"
#include "spmc/sim/checkers.hpp"

namespace spmc::sim {

void AttackerKnowledge::record(const std::string& from, const std::string& to,
                               proto::PayloadKind kind, ByteView payload, TimeUs at) {
  Bytes bytes(payload.begin(), payload.end());
  if (!m_seen.insert(bytes).second) {
    return;
  }
  m_recorded.push_back(RecordedPayload{from, to, kind, std::move(bytes), at});
}

void AttackerKnowledge::learn_enc_secret(const std::string& user,
                                         const crypto::X25519Secret& secret) {
  m_enc_secrets.emplace(user, secret);
}

void AttackerKnowledge::learn_share(const std::string& sender, const std::string& recipient,
                                    const keyshare::KeySharePlain& share) {
  const bool group = share.group.has_value();
  m_learnt.insert_or_assign(
      ShareKey{group ? share.group->group_id : sender, group ? "" : recipient, share.timestamp_ms},
      share);
}

namespace {

// The key of `counter` under a share: the sender's chain fast-forwarded (RAT-002), so the
// attacker needs no receive window and no order.
std::optional<Block> message_key(const keyshare::KeySharePlain& share,
                                 const std::array<Block, 4>& seed, std::uint32_t counter) {
  if (counter == ratchet::kCounterLimit) {
    return std::nullopt;
  }
  ratchet::SendChain chain(share.suite, share.master_key, ratchet::SeedFile{seed}, counter);
  auto mk = chain.next();
  if (!mk.ok()) {
    return std::nullopt;
  }
  return mk->key;
}

}  // namespace

std::optional<Block> AttackerKnowledge::key_with(
    const std::map<ShareKey, keyshare::KeySharePlain>& shares, const envelope::Envelope& e) {
  const auto& h = e.header;
  const bool group = h.kind == envelope::Kind::kGroup;
  auto share = shares.find(ShareKey{group ? h.recipient_id : h.sender_id,
                                    group ? "" : h.recipient_id, h.key_timestamp_ms});
  if (share == shares.end()) {
    return std::nullopt;
  }
  const auto seed =
      group ? group::member_seed(share->second.seed, h.sender_index) : share->second.seed;
  return message_key(share->second, seed, h.counter);
}

std::optional<envelope::AppPayload> AttackerKnowledge::open_with(
    const std::map<ShareKey, keyshare::KeySharePlain>& shares, const envelope::Envelope& e) {
  const auto mk = key_with(shares, e);
  if (!mk) {
    return std::nullopt;
  }
  auto payload = envelope::open(e, *mk);
  if (!payload.ok()) {
    return std::nullopt;
  }
  return *payload;
}

std::optional<Block> AttackerKnowledge::key_for(const envelope::Envelope& e) const {
  return key_with(m_learnt, e);
}

std::optional<envelope::AppPayload> AttackerKnowledge::open_now(const envelope::Envelope& e) const {
  return open_with(m_learnt, e);
}

AttackFindings AttackerKnowledge::analyse(const SignKeyOf& sign_key_of) const {
  AttackFindings f;
  std::map<ShareKey, keyshare::KeySharePlain> shares = m_learnt;
  // Pass 1: every recorded key share sealed to a user whose secret the attacker holds.
  for (const RecordedPayload& r : m_recorded) {
    if (r.kind != proto::PayloadKind::kKeyShare) {
      continue;
    }
    ++f.shares_recorded;
    auto message = keyshare::decode_message(r.payload);
    if (!message.ok()) {
      continue;
    }
    const auto sign_key = sign_key_of(message->sender_id);
    auto [first, last] = m_enc_secrets.equal_range(message->recipient_id);
    for (auto it = first; it != last; ++it) {
      ++f.attempts;
      auto plain = keyshare::open(m_profile, *message, it->second, sign_key ? &*sign_key : nullptr);
      if (!plain.ok()) {
        continue;
      }
      ++f.shares_opened;
      const bool group = plain->group.has_value();
      shares.insert_or_assign(ShareKey{group ? plain->group->group_id : message->sender_id,
                                       group ? "" : message->recipient_id, plain->timestamp_ms},
                              *plain);
      break;
    }
  }
  // Pass 2: every recorded envelope under a share the attacker holds.
  for (const RecordedPayload& r : m_recorded) {
    if (r.kind != proto::PayloadKind::kEnvelope) {
      continue;
    }
    ++f.envelopes_recorded;
    auto e = envelope::decode_envelope(r.payload);
    if (!e.ok()) {
      continue;
    }
    auto payload = open_with(shares, *e);
    if (!payload) {
      continue;
    }
    ++f.attempts;
    if (payload->type != envelope::ContentType::kText) {
      ++f.u2u_hashes_seen;
      continue;
    }
    if (auto uid = canary_uid(payload->body)) {
      f.read.push_back(
          ReadMessage{*uid, e->header.sender_id, e->header.recipient_id, r.at, e->header.sent_ms});
    }
  }
  return f;
}

}  // namespace spmc::sim
