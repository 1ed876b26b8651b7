// ANA (spec/requirements.md): during the safety phase it drops, replays and corrupts
// frames. It cannot read or forge inside the channel, so what it injects are recorded
// frames (replays, stale sessions) and corrupted copies.
#include "adversary.hpp"

namespace spmc::sim {

namespace {

class NetworkAttacker final : public Adversary {
 public:
  NetworkAttacker(WorldApi& world, AttackState& state)
      : m_world(world), m_state(state), m_rng(world.seeds().stream("adversary")) {}

  TapVerdict on_packet(Packet& packet) override {
    if (!m_world.in_safety()) {
      return TapVerdict::kForward;
    }
    const std::uint64_t roll = m_rng.uniform(1000);
    if (roll < 20) {
      ++m_state.network_drops;
      return TapVerdict::kDrop;
    }
    if (roll < 60) {
      ++m_state.network_replays;
      const TimeUs later = m_rng.uniform_range(kUsPerSecond, 20 * kUsPerSecond);
      m_world.inject_packet(packet.from, packet.to, packet.bytes, later);
    } else if (roll < 70 && packet.bytes.size() >= kKindAndSession) {
      // TLS would reject any modified record. Our channel has no MAC, so the attacker
      // modifies only what TLS's own checks stand for here: the frame kind and session
      // (CH-001, CH-003). A changed payload or sequence number would be a forgery inside
      // the channel, which this adversary cannot make (spec/requirements.md, ANA).
      Bytes corrupt = packet.bytes;
      corrupt[m_rng.uniform(kKindAndSession)] ^= static_cast<std::uint8_t>(1 + m_rng.uniform(255));
      ++m_state.network_replays;
      m_world.inject_packet(packet.from, packet.to, std::move(corrupt), kUsPerMs);
    }
    return TapVerdict::kForward;
  }

 private:
  static constexpr std::size_t kKindAndSession = 5;
  WorldApi& m_world;
  AttackState& m_state;
  Prng m_rng;
};

}  // namespace

AdversaryEntry network_attacker_adversary() {
  return {"network_attacker", "ANA", "drops, replays and corrupts frames during the safety phase",
          [](WorldApi& w, AttackState& s, Aim&) -> std::unique_ptr<Adversary> {
            return std::make_unique<NetworkAttacker>(w, s);
          },
          AimRules{}};  // acts on everything it sees: takes no target or timing
}

}  // namespace spmc::sim
