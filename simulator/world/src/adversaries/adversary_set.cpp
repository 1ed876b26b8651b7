#include "adversary_set.hpp"

#include <algorithm>

#include "edit_frame.hpp"

namespace spmc::sim {

class AdversarySet::Tap final : public NetworkTap {
 public:
  explicit Tap(std::vector<std::unique_ptr<Adversary>>& attacks) : m_attacks(attacks) {}
  TapVerdict on_send(Packet& packet) override {
    for (auto& a : m_attacks) {
      if (a->on_packet(packet) == TapVerdict::kDrop) {
        return TapVerdict::kDrop;
      }
    }
    return TapVerdict::kForward;
  }

 private:
  std::vector<std::unique_ptr<Adversary>>& m_attacks;
};

AdversarySet::AdversarySet(WorldApi& world, const std::vector<AdversarySpec>& specs)
    : m_world(world), m_state(world.profile()) {
  for (const AdversarySpec& s : specs) {
    m_names.insert(s.name);
  }
  const std::set<std::string>& names = m_names;
  m_state.rng = std::make_unique<DeterministicRng>(world.seeds().seed("adversary"), "adversary");
  const auto& edges = world.contact_edges();
  if (!edges.empty()) {
    m_state.a = edges.front().first;
    m_state.b = edges.front().second;
  }
  if (names.empty()) {
    return;
  }
  // The malicious server's own keys (its own stream: no other draw changes).
  m_state.fake_enc = crypto::x25519_generate(*m_state.rng);
  m_state.fake_sign = crypto::ed25519_generate(*m_state.rng);
  for (const AdversaryEntry& e : adversary_registry()) {
    const auto spec = std::find_if(specs.begin(), specs.end(),
                                   [&e](const AdversarySpec& s) { return s.name == e.name; });
    if (spec != specs.end()) {
      m_aims.push_back(
          std::make_unique<Aim>(world, *spec, static_cast<std::size_t>(spec - specs.begin())));
      m_attacks.push_back(e.make(world, m_state, *m_aims.back()));
      m_server_records = m_server_records || m_attacks.back()->server_records();
    }
  }
  m_tap = std::make_unique<Tap>(m_attacks);
}

AdversarySet::~AdversarySet() = default;

void AdversarySet::start() {
  for (auto& a : m_attacks) {
    a->start();
  }
}

void AdversarySet::on_server_transmit(server::Address to, Bytes& frame) {
  for (auto& a : m_attacks) {
    a->on_server_transmit(to, frame);
  }
}

void AdversarySet::on_relayed(const std::string& from, const std::string& to,
                              proto::PayloadKind kind, ByteView payload) {
  if (m_server_records) {
    m_state.knowledge.record(from, to, kind, payload, m_world.now());
  }
  for (auto& a : m_attacks) {
    a->on_relayed(from, to, kind, payload);
  }
  if (kind == proto::PayloadKind::kKeyShare) {
    for (auto& aim : m_aims) {
      aim->on_event("key_share");
    }
  }
}

void AdversarySet::on_phone_event(std::uint32_t index, const phone::PhoneEvent& event) {
  for (auto& a : m_attacks) {
    a->on_phone_event(index, event);
  }
  // The events an aimed `when.after` counts (SCHEMA.md): an organiser's membership change
  // (`counter` 1 when it rekeyed, GRP-010), a phone's U2U run reaching "authenticated".
  using phone::PhoneEventKind;
  std::vector<std::string_view> seen;
  if (event.type == PhoneEventKind::kGroupAdd || event.type == PhoneEventKind::kGroupRemove) {
    seen.emplace_back("group_change");
    if (event.counter == 1) {
      seen.emplace_back("rekey");
    }
  } else if (event.type == PhoneEventKind::kU2uState && event.detail == "authenticated") {
    seen.emplace_back("u2u_verified");
  }
  for (std::string_view e : seen) {
    for (auto& aim : m_aims) {
      aim->on_event(e);
    }
  }
}

std::optional<ContactEdge> AdversarySet::u2u_session() const {
  for (const auto& a : m_attacks) {
    if (auto t = a->u2u_target(); t && a->forces_u2u()) {
      return t;
    }
  }
  return std::nullopt;
}

std::optional<ContactEdge> AdversarySet::u2u_target() const {
  for (const auto& a : m_attacks) {
    if (auto t = a->u2u_target()) {
      return t;
    }
  }
  return std::nullopt;
}

void AdversarySet::results(Report& r) const {
  if (m_names.empty()) {
    return;
  }
  const AttackFindings f = m_state.knowledge.analyse([this](const std::string& user) {
    return certified_key(m_world.server().account(user), false);
  });
  std::string names;
  for (const std::string& n : m_names) {
    names += (names.empty() ? "" : ", ") + n;
  }
  r.findings.push_back("adversaries: " + names);
  r.findings.push_back(
      "recorded " + std::to_string(f.shares_recorded) + " key shares and " +
      std::to_string(f.envelopes_recorded) + " envelopes; opened " +
      std::to_string(f.shares_opened) + " shares (" + std::to_string(m_state.shares_intercepted) +
      " intercepted in flight); read " + std::to_string(f.read.size()) + " messages and " +
      std::to_string(f.u2u_hashes_seen) + " U2U payloads after " + std::to_string(f.attempts) +
      " decryption attempts");
  for (const auto& a : m_attacks) {
    a->summary(r.findings);
  }
  for (const auto& aim : m_aims) {
    aim->summary(r.findings);
  }
  if (m_state.injected != 0 || m_state.network_replays != 0 || m_state.network_drops != 0) {
    r.findings.push_back(
        "pushed " + std::to_string(m_state.injected) +
        " forged or replayed items; network: " + std::to_string(m_state.network_replays) +
        " frames replayed or corrupted, " + std::to_string(m_state.network_drops) + " dropped");
  }
  if (std::any_of(m_attacks.begin(), m_attacks.end(),
                  [](const auto& a) { return a->judges_reads(); })) {
    InvariantResult i = make_invariant(InvariantName::kAdversaryReadsNothing);
    i.checks = f.envelopes_recorded;
    if (!f.read.empty()) {
      violate(i, "the adversary read " + std::to_string(f.read.size()) + " messages, first " +
                     describe(f.read.front()));
    } else if (f.u2u_hashes_seen != 0) {
      violate(i, "the adversary read " + std::to_string(f.u2u_hashes_seen) +
                     " U2U payloads (secret hashes: input to a dictionary attack, A-11)");
    }
    r.invariants.push_back(i);
  }
  for (const auto& a : m_attacks) {
    a->results(f, r);
  }
}

}  // namespace spmc::sim
