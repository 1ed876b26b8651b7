// MAL replay (KS-010, RAT-006): items already relayed, pushed again to their recipients,
// a third and two thirds into the safety phase.
#include "adversary.hpp"
#include "spmc/envelope.hpp"

namespace spmc::sim {

namespace {

class ServerReplays final : public Adversary {
 public:
  ServerReplays(WorldApi& world, AttackState& state) : m_world(world), m_state(state) {}

  void start() override {
    const TimeUs safety_us = m_world.safety_length();
    for (TimeUs at : {safety_us / 3, 2 * safety_us / 3}) {
      m_world.schedule_after(at, [this] { replay(); });
    }
  }
  bool server_records() const override { return true; }

 private:
  void replay() {
    std::uint64_t n = 0;
    for (const auto& r : m_state.knowledge.recorded()) {
      if (n++ == 64) {
        break;
      }
      m_world.server_push(r.to, r.from, r.kind, r.payload);
      ++m_state.injected;
      if (r.kind != proto::PayloadKind::kEnvelope) {
        continue;
      }
      if (auto env = envelope::decode_envelope(r.payload); env.ok()) {
        // An extra copy of a relayed envelope in flight (the ratchet model's msg_dup).
        auto e = make_trace_event(m_world.now(), "adv_inject");
        e["from"] = r.from;
        e["to"] = r.to;
        e["counter"] = env->header.counter;
        e["key_ts"] = env->header.key_timestamp_ms;
        m_world.record(e);
      }
    }
    m_world.record("adv_replay", 0, std::to_string(n) + " relayed items pushed again");
    m_world.server_wake();
  }

  WorldApi& m_world;
  AttackState& m_state;
};

}  // namespace

AdversaryEntry server_replays_adversary() {
  return {"server_replays", "MAL", "pushes again items it relayed before, to their recipients",
          [](WorldApi& w, AttackState& s) -> std::unique_ptr<Adversary> {
            return std::make_unique<ServerReplays>(w, s);
          }};
}

}  // namespace spmc::sim
