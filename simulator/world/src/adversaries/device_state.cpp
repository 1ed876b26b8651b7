#include "device_state.hpp"

#include "spmc/envelope.hpp"
#include "spmc/ratchet.hpp"

namespace spmc::sim {

namespace {

void take_chains(const phone::PersistentState& s, DeviceState& out) {
  for (const auto& [contact, c] : s.contacts) {
    for (const auto& [ts, chain] : c.receive) {
      out.chains.push_back({contact, ts, 0, false, chain.encode_state(), chain.limits()});
    }
  }
  for (const auto& [group_id, g] : s.groups) {
    for (const auto& [key, chain] : g.receive) {
      out.chains.push_back(
          {group_id, key.first, key.second, true, chain.encode_state(), chain.limits()});
    }
    out.group_keys.push_back({"", group_id, g.share});
    for (const auto& [ts, share] : g.replaced) {
      out.group_keys.push_back({"", group_id, share});
    }
  }
}

bool opens_with(const envelope::Envelope& e, const std::optional<Block>& key) {
  return key && envelope::open(e, *key).ok();
}

// The live chains: a held skipped key or a counter ahead of the chain (within its window).
bool opens_with_chains(const envelope::Envelope& e, const std::vector<DeviceState::Chain>& chains) {
  const auto& h = e.header;
  const bool group = h.kind == envelope::Kind::kGroup;
  for (const DeviceState::Chain& c : chains) {
    if (c.group != group || c.key_timestamp != h.key_timestamp_ms ||
        c.sender != (group ? h.recipient_id : h.sender_id) ||
        (group && c.sender_index != h.sender_index)) {
      continue;
    }
    auto chain = ratchet::ReceiveChain::decode_state(c.state, c.limits);
    SPMC_CHECK(chain.ok());  // encoded by the phone's own chain
    auto pending = chain->prepare(h.counter);
    if (pending.ok() && envelope::open(e, pending->key).ok()) {
      return true;
    }
  }
  return false;
}

AttackerKnowledge knowing(const Profile& profile, const std::vector<DeviceState::Share>& shares) {
  AttackerKnowledge k(profile);
  for (const DeviceState::Share& s : shares) {
    k.learn_share(s.sender, s.recipient, s.share);
  }
  return k;
}

// The private key's part: every recorded key share sealed to the phone, opened with it.
AttackerKnowledge opened_shares(const Profile& profile, const DeviceState& taken,
                                const std::vector<RecordedPayload>& recorded,
                                const AttackerKnowledge::SignKeyOf& sign_key_of) {
  AttackerKnowledge k(profile);
  for (const RecordedPayload& r : recorded) {
    if (r.kind != proto::PayloadKind::kKeyShare) {
      continue;
    }
    auto message = keyshare::decode_message(r.payload);
    if (!message.ok() || message->recipient_id != taken.user_id) {
      continue;
    }
    const auto sign_key = sign_key_of(message->sender_id);
    auto plain =
        keyshare::open(profile, *message, taken.enc_secret, sign_key ? &*sign_key : nullptr);
    if (plain.ok()) {
      k.learn_share(message->sender_id,
                    plain->group ? plain->group->group_id : message->recipient_id, *plain);
    }
  }
  return k;
}

}  // namespace

DeviceState take_device_state(const phone::PersistentState& s) {
  DeviceState out;
  out.user_id = s.user_id;
  out.enc_secret = s.enc_keys.secret_key;
  // KS-022: a book entry holds a timestamp, a lifetime, a scope and a sender, no key, so
  // out.book stays empty (the book's part was 15 of 59 envelopes of attacks/device_compromise
  // at seed 1 while the book kept each share whole).
  take_chains(s, out);
  return out;
}

DeviceOpens count_device_opens(const Profile& profile, const DeviceState& taken,
                               const std::vector<RecordedPayload>& recorded, TimeUs before,
                               const AttackerKnowledge::SignKeyOf& sign_key_of) {
  DeviceOpens o;
  o.book_shares = taken.book.size();
  const AttackerKnowledge book = knowing(profile, taken.book);
  const AttackerKnowledge group_keys = knowing(profile, taken.group_keys);
  const AttackerKnowledge private_key = opened_shares(profile, taken, recorded, sign_key_of);
  for (const RecordedPayload& r : recorded) {
    if (r.kind != proto::PayloadKind::kEnvelope || r.at >= before) {
      continue;
    }
    ++o.recorded;
    auto e = envelope::decode_envelope(r.payload);
    if (!e.ok()) {
      continue;
    }
    const bool by_book = opens_with(*e, book.key_for(*e));
    const bool by_chains = opens_with_chains(*e, taken.chains);
    const bool by_group_keys = opens_with(*e, group_keys.key_for(*e));
    const bool by_private_key = opens_with(*e, private_key.key_for(*e));
    o.by_book += by_book ? 1 : 0;
    o.by_chains += by_chains ? 1 : 0;
    o.by_group_keys += by_group_keys ? 1 : 0;
    o.by_private_key += by_private_key ? 1 : 0;
    o.by_any += by_book || by_chains || by_group_keys || by_private_key ? 1 : 0;
  }
  return o;
}

std::string describe(const DeviceOpens& o) {
  return "the phone's state opens " + std::to_string(o.by_any) + " of the " +
         std::to_string(o.recorded) + " envelopes recorded before the compromise: key-share book " +
         std::to_string(o.by_book) + " (" + std::to_string(o.book_shares) +
         " shares held with their key), live chains " + std::to_string(o.by_chains) +
         ", group keys " + std::to_string(o.by_group_keys) + ", private key " +
         std::to_string(o.by_private_key);
}

}  // namespace spmc::sim
