#pragma once
// An adversary of spec/requirements.md as an object: it is given the WorldApi and the
// attack's shared state when the world is built, and the world calls its hooks where the
// adversary sits (the wire, where TLS ends at the server, the server's relay, the phones'
// events). Each attack lives in its own file in this folder and is listed once in
// registry.cpp; nothing outside this folder names an attack.
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "../world_api.hpp"
#include "aim.hpp"
#include "spmc/crypto.hpp"
#include "spmc/rng.hpp"
#include "spmc/sim/attacker.hpp"
#include "spmc/sim/invariants.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::sim {

// What every adversary of one run shares: one attacker's knowledge and keys, the attacked
// pair, and the counters the common findings report.
struct AttackState {
  explicit AttackState(const Profile& profile) : knowledge(profile) {}

  AttackerKnowledge knowledge;
  std::unique_ptr<DeterministicRng> rng;  // the adversary's own stream
  // The attacked pair: `a` sends to `b` (the first contact edge).
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  // The malicious server's own keys.
  crypto::X25519KeyPair fake_enc{};
  crypto::Ed25519KeyPair fake_sign{};
  std::uint64_t shares_intercepted = 0;
  std::uint64_t injected = 0;  // forged or replayed items the server pushed
  std::uint64_t network_replays = 0;
  std::uint64_t network_drops = 0;
  std::uint64_t emails_seen = 0;           // sign-up and verification mails the server handled
  std::set<ContactEdge> victims_chatting;  // pairs whose scripted a -> b text is scheduled
};

class Adversary {
 public:
  virtual ~Adversary() = default;

  // The safety phase begins: schedule the attack.
  virtual void start() {}
  // Every packet on the wire, before faults; may rewrite it or drop it.
  virtual TapVerdict on_packet(Packet& packet) {
    (void)packet;
    return TapVerdict::kForward;
  }
  // A frame the server sends, before it reaches the wire (where TLS ends at the server).
  virtual void on_server_transmit(server::Address to, Bytes& frame) { (void)to, (void)frame; }
  // The server relayed a payload.
  virtual void on_relayed(const std::string& from, const std::string& to, proto::PayloadKind kind,
                          ByteView payload) {
    (void)from, (void)to, (void)kind, (void)payload;
  }
  virtual void on_phone_event(std::uint32_t index, const phone::PhoneEvent& event) {
    (void)index, (void)event;
  }

  // The server keeps what it relays (HBC and every MAL).
  virtual bool server_records() const { return false; }
  // adversary_reads_nothing judges this attack.
  virtual bool judges_reads() const { return false; }
  // The pair whose U2U run this attack sits between, if any.
  virtual std::optional<ContactEdge> u2u_target() const { return std::nullopt; }
  // ... and whether the world's first U2U session must be that pair (else it is judged
  // only if the workload happens to pick it).
  virtual bool forces_u2u() const { return u2u_target().has_value(); }

  // After the run: a summary line before the common ones, then findings and invariants.
  virtual void summary(std::vector<std::string>& findings) const { (void)findings; }
  virtual void results(const AttackFindings& f, Report& report) const { (void)f, (void)report; }
};

// `aim`: where and when this entry strikes (aim.hpp); a plain name aims nothing.
using AdversaryFactory = std::unique_ptr<Adversary> (*)(WorldApi& world, AttackState& state,
                                                        Aim& aim);

// What an entry of this adversary may aim (SCHEMA.md, "Aimed adversaries"): the scenario
// loader rejects anything else, so no aim is ever silently ignored.
struct AimRules {
  std::uint32_t target_phones = 0;  // 0: no target; 1: one phone; 2: a pair (a sends to b)
  std::vector<std::string_view> roles;
  bool at = false;
  bool after = false;
  bool every = false;
};

struct AdversaryEntry {
  std::string_view name;
  std::string_view id;  // the spec's adversary class: PNO, HBC, MAL, ANA, DEV
  std::string_view what;
  AdversaryFactory make;
  AimRules aim;
};

// Every registered adversary, in registry order (registry.cpp).
const std::vector<AdversaryEntry>& adversary_registry();

// Shared by the attacks' files.
// a writes to b once, 5 s after the middle of the safety phase (once per pair and run).
void keep_victims_chatting(WorldApi& world, AttackState& state, std::uint32_t a, std::uint32_t b);
InvariantResult make_invariant(InvariantName name);
void violate(InvariantResult& r, const std::string& detail);
std::string describe(const ReadMessage& m);

}  // namespace spmc::sim
