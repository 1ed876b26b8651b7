// MAL replay (KS-010, RAT-006): items already relayed, pushed again to their recipients,
// a third and two thirds into the safety phase.
#include "adversary.hpp"
#include "spmc/envelope.hpp"

namespace spmc::sim {

namespace {

class ServerReplays final : public Adversary {
 public:
  ServerReplays(WorldApi& world, AttackState& state, Aim& aim)
      : m_world(world), m_state(state), m_aim(aim) {
    if (aim.timed()) {
      aim.arm([this] { replay_aimed(); });
    }
  }

  void start() override {
    if (m_aim.spec().aimed()) {
      if (!m_aim.timed()) {  // timed: armed when built (`when.after` counts from the start)
        const TimeUs safety_us = m_world.safety_length();
        for (TimeUs at : {safety_us / 3, 2 * safety_us / 3}) {
          m_world.schedule_after(at, [this] { replay_aimed(); });
        }
      }
      return;
    }
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
      push_again(r);
    }
    m_world.record("adv_replay", 0, std::to_string(n) + " relayed items pushed again");
    m_world.server_wake();
  }

  // Aimed: the newest items, not the first ones (what was just relayed: a key share just
  // after it went out), up to 64, only those to the phone aimed at if any.
  void replay_aimed() {
    std::string to;
    std::vector<std::uint32_t> phones;
    if (m_aim.targeted()) {
      const auto target = m_aim.target(1, {});
      if (!target || m_world.user_of(target->front()).empty()) {
        m_aim.missed("no recipient to replay to");
        return;
      }
      phones = *target;
      to = m_world.user_of(target->front());
    }
    const auto& all = m_state.knowledge.recorded();
    std::vector<RecordedPayload> picked;  // copies: a push may record more
    for (auto it = all.rbegin(); it != all.rend() && picked.size() < 64; ++it) {
      if (to.empty() || it->to == to) {
        picked.push_back(*it);
      }
    }
    std::uint64_t shares = 0;
    for (auto it = picked.rbegin(); it != picked.rend(); ++it) {
      push_again(*it);
      shares += it->kind == proto::PayloadKind::kKeyShare ? 1 : 0;
    }
    m_aim.struck(phones, std::to_string(picked.size()) + " relayed items (" +
                             std::to_string(shares) + " key shares) pushed again" +
                             (to.empty() ? "" : " to " + to));
    m_world.record("adv_replay", phones.empty() ? 0 : phones.front(),
                   std::to_string(picked.size()) + " relayed items pushed again");
    m_world.server_wake();
  }

  void push_again(const RecordedPayload& r) {
    m_world.server_push(r.to, r.from, r.kind, r.payload);
    ++m_state.injected;
    if (r.kind != proto::PayloadKind::kEnvelope) {
      return;
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

  WorldApi& m_world;
  AttackState& m_state;
  Aim& m_aim;
};

}  // namespace

AdversaryEntry server_replays_adversary() {
  return {"server_replays", "MAL", "pushes again items it relayed before, to their recipients",
          [](WorldApi& w, AttackState& s, Aim& aim) -> std::unique_ptr<Adversary> {
            return std::make_unique<ServerReplays>(w, s, aim);
          },
          // Aimed at one recipient: only the items relayed to it.
          AimRules{1,
                   {"organiser", "newest_member", "offline_recipient", "u2u_pair", "random_pair"},
                   true,
                   true,
                   true}};
}

}  // namespace spmc::sim
