#include "lifecycle_checker.hpp"

#include <algorithm>

#include "spmc/certificate.hpp"
#include "spmc/channel.hpp"
#include "spmc/envelope.hpp"
#include "spmc/key_share.hpp"
#include "spmc/server_proto.hpp"
#include "world_checkers.hpp"

namespace spmc::sim {

std::uint32_t LifecycleChecker::generation(const std::string& user) const {
  const auto it = m_generation.find(user);
  return it == m_generation.end() ? 0 : it->second;
}

std::uint64_t LifecycleChecker::enc_serial(const std::string& user) const {
  const auto index = m_world.index_of(user);
  if (!index) {
    return 0;
  }
  const auto& cert = m_world.phone(*index).state().enc_cert;
  return cert ? cert->serial : 0;
}

void LifecycleChecker::reinstalled(const std::string& user, const phone::PersistentState& old) {
  SPMC_CHECK(m_enabled);
  SPMC_CHECK(!user.empty());
  const std::uint32_t was = generation(user);
  OldInstallation kept{user, was, old.sign_cert, old.enc_cert, old.enc_keys.secret_key, {}, {}, {}};
  for (const auto& [contact, c] : old.contacts) {
    for (const auto& chain : c.receive) {
      kept.receive.emplace(contact, chain.first);
    }
    if (c.send) {
      kept.send.emplace(contact, c.send_key_timestamp);
    }
  }
  for (const auto& [id, g] : old.groups) {
    kept.groups.emplace(id, g.share.timestamp_ms);
    for (const auto& replaced : g.replaced) {
      kept.groups.emplace(id, replaced.first);
    }
  }
  m_old.push_back(std::move(kept));
  m_generation[user] = was + 1;
}

void LifecycleChecker::phone_event(const std::string& user, const phone::PhoneEvent& ev) {
  using phone::PhoneEventKind;
  if (!m_enabled) {
    return;
  }
  switch (ev.type) {
    case PhoneEventKind::kKeyshareAccept:
      m_accepted.emplace(user, ev.detail.empty() ? ev.peer : ev.detail, ev.key_timestamp);
      return;
    case PhoneEventKind::kKeyshareSend: {
      // Sealed to the recipient's encryption key as the sender holds it (KS-019 renews it).
      const std::string scope = ev.detail.empty() ? user : ev.detail;
      const auto sender = m_world.index_of(user);
      SPMC_CHECK(sender.has_value());
      const auto& contacts = m_world.phone(*sender).state().contacts;
      const auto held = contacts.find(ev.peer);
      SPMC_CHECK(held != contacts.end());  // a share goes to a contact only
      m_sealed_to[{ev.peer, scope, ev.key_timestamp}] = held->second.enc_cert.serial;
      if (ev.detail.empty()) {
        m_sender_generation[{ev.peer, user, ev.key_timestamp}] = generation(user);
      }
      return;
    }
    case PhoneEventKind::kGroupCreate:
    case PhoneEventKind::kGroupAdd:
    case PhoneEventKind::kGroupRemove:
      // The organiser's own copy of the share it drew lives in its store only.
      m_share_generation[{user, ev.peer, ev.key_timestamp}] = generation(user);
      return;
    default:
      return;
  }
}

void LifecycleChecker::relayed(const std::string& from, const std::string& to, std::uint64_t id,
                               proto::PayloadKind kind, ByteView payload) {
  if (!m_enabled) {
    return;
  }
  m_items.emplace(std::pair{to, id}, false);
  if (kind == proto::PayloadKind::kKeyShare) {
    if (generation(to) > 0) {
      check_share_to(from, to, payload);
    }
    return;
  }
  auto e = envelope::decode_envelope(payload);
  if (!e.ok()) {
    return;  // not ours to judge: the recipient refuses it
  }
  const auto& h = e->header;
  m_envelopes.push_back(
      Envelope{to, id, DeliveryChecker::Key{from, h.recipient_id, h.key_timestamp_ms, h.counter}});
  if (generation(to) > 0 || generation(from) > 0) {
    check_envelope(from, to, payload);
  }
}

void LifecycleChecker::received(const std::string& from, ByteView frame) {
  if (const auto id = acked_message_id(frame)) {
    if (const auto it = m_items.find({from, *id}); it != m_items.end()) {
      it->second = true;
    }
  }
}

// A key share the new installation of `to` can open must not open with any old key.
void LifecycleChecker::check_share_to(const std::string& from, const std::string& to,
                                      ByteView payload) {
  const auto to_index = m_world.index_of(to);
  const auto from_index = m_world.index_of(from);
  auto message = keyshare::decode_message(payload);
  if (!to_index || !from_index || !message.ok()) {
    return;
  }
  const crypto::Ed25519Public sender = m_world.phone(*from_index).state().sign_keys.public_key;
  const Profile& profile = m_world.profile();
  const auto& now_key = m_world.phone(*to_index).state().enc_keys.secret_key;
  if (!keyshare::open(profile, *message, now_key, &sender).ok()) {
    return;  // sealed to an older installation (its sender had not heard of the new one)
  }
  for (const OldInstallation& old : m_old) {
    if (old.user != to) {
      continue;
    }
    const bool opens = keyshare::open(profile, *message, old.enc_secret, &sender).ok();
    m_old_keys.check_with(!opens, [&] {
      return "a key share from " + from + " to the new installation of " + to +
             " opens with the key of its installation " + std::to_string(old.generation);
    });
  }
}

// Whether an old store holds the key of `h`: incoming, a receiving chain or group share of
// that timestamp; outgoing, the sending chain of that timestamp.
bool LifecycleChecker::held_by_old(const std::string& user, const envelope::EnvelopeHeader& h,
                                   bool outgoing, const std::string& peer) const {
  const TimeMs ts = h.key_timestamp_ms;
  return std::any_of(m_old.begin(), m_old.end(), [&](const OldInstallation& old) {
    if (old.user != user) {
      return false;
    }
    if (h.kind == envelope::Kind::kGroup) {
      return old.groups.contains({h.recipient_id, ts});
    }
    return (outgoing ? old.send : old.receive).contains({peer, ts});
  });
}

// An envelope under a share of a reinstalled user's current installation (to it, or from it)
// must be under no key its old installations held.
void LifecycleChecker::check_envelope(const std::string& from, const std::string& to,
                                      ByteView payload) {
  auto e = envelope::decode_envelope(payload);
  if (!e.ok()) {
    return;
  }
  const auto& h = e->header;
  const bool group = h.kind == envelope::Kind::kGroup;
  const TimeMs ts = h.key_timestamp_ms;
  if (generation(to) > 0) {
    const auto sealed_to = m_sealed_to.find({to, group ? h.recipient_id : from, ts});
    if (sealed_to != m_sealed_to.end() && sealed_to->second == enc_serial(to)) {
      m_old_keys.check_with(!held_by_old(to, h, false, from), [&] {
        return "an envelope from " + from + " to the new installation of " + to +
               " is under a key its old installation held";
      });
    }
  }
  if (generation(from) > 0) {
    const auto drawn_by = group ? m_share_generation.find({from, h.recipient_id, ts})
                                : m_sender_generation.find({to, from, ts});
    const auto& table = group ? m_share_generation : m_sender_generation;
    if (drawn_by != table.end() && drawn_by->second == generation(from)) {
      m_old_keys.check_with(!held_by_old(from, h, true, to), [&] {
        return "an envelope from the new installation of " + from + " to " + to +
               " is under a sending key its old installation held";
      });
    }
  }
}

void LifecycleChecker::excuse_unreadable(DeliveryChecker& delivery) {
  for (const Envelope& e : m_envelopes) {
    // Direct: the recipient id is `to` and the scope the sender; group: the group id, whose
    // shares its organiser draws (named in the id, GRP-004).
    const bool direct = e.key.recipient == e.to;
    const std::string& scope = direct ? e.key.sender : e.key.recipient;
    const TimeMs ts = e.key.key_timestamp;
    const auto sealed_to = m_sealed_to.find({e.to, scope, ts});
    if (generation(e.to) > 0 && sealed_to != m_sealed_to.end() &&
        sealed_to->second != enc_serial(e.to)) {
      delivery.unreadable_by_design(e.key, e.to);
      m_excused.emplace(e.to, e.id);
      continue;
    }
    const std::string drawer = direct ? e.key.sender : scope.substr(0, scope.rfind("-g"));
    const auto drawn_by = direct ? m_sender_generation.find({e.to, drawer, ts})
                                 : m_share_generation.find({drawer, scope, ts});
    const auto& table = direct ? m_sender_generation : m_share_generation;
    if (drawn_by != table.end() && drawn_by->second < generation(drawer) &&
        !m_accepted.contains({e.to, scope, ts})) {
      delivery.unreadable_by_design(e.key, e.to);
    }
  }
}

void LifecycleChecker::judge(std::vector<InvariantResult>& out) const {
  if (!m_enabled) {
    return;
  }
  Invariant revoked(InvariantName::kReinstallRevokesOldCertificates);
  const server::ChatServer& server = m_world.server();
  for (const OldInstallation& old : m_old) {
    const auto& s = old;
    if (!s.sign_cert || !s.enc_cert) {
      continue;  // reinstalled before it was ever certified: nothing to revoke
    }
    for (const cert::Certificate* c : {&*s.sign_cert, &*s.enc_cert}) {
      revoked.check_with(server.revoked().contains(c->serial), [&] {
        return "certificate " + std::to_string(c->serial) + " of " + old.user +
               " was not revoked after its reinstall";
      });
      // CERT-002 against the server's list: the old certificate is refused.
      const bool accepted = cert::verify(*c, server.ca_public(), old.user, c->usage,
                                         m_world.server_now_ms(), server.revoked())
                                .ok();
      revoked.check_with(!accepted, [&] {
        return "certificate " + std::to_string(c->serial) + " of " + old.user +
               " is still accepted after its reinstall";
      });
    }
    for (std::uint32_t i = 0; i < m_world.phone_count(); ++i) {
      const auto& contacts = m_world.phone(i).state().contacts;
      const auto held = contacts.find(old.user);
      if (held == contacts.end()) {
        continue;
      }
      const bool stale = held->second.sign_cert.serial == s.sign_cert->serial ||
                         held->second.enc_cert.serial == s.enc_cert->serial;
      revoked.check_with(!stale, [&] {
        return "phone " + std::to_string(i) + " still holds the certificates " + old.user +
               " had before its reinstall";
      });
    }
  }
  out.push_back(revoked.result());

  Invariant kept(InvariantName::kReinstallLosesNothing);
  // Named, not a structured binding: clang 14 cannot capture a binding in a lambda.
  for (const auto& entry : m_items) {
    const auto& item = entry.first;
    if (generation(item.first) == 0) {
      continue;
    }
    kept.check_with(entry.second, [&] {
      return "item " + std::to_string(item.second) + " accepted for " + item.first +
             " (reinstalled) was acknowledged by none of its installations" +
             (m_excused.contains(item) ? " (sealed to an old installation's share)" : "");
    });
  }
  out.push_back(kept.result());
  out.push_back(m_old_keys.result());
}

}  // namespace spmc::sim
