// DEV: every secret of phone b at one instant, just before the safety phase ends; what
// matters for forward secrecy is its long-term encryption key, which opens every key share
// ever sealed to b. Judged by forward_secrecy: nothing recorded before the
// compromise may be read. The rest of its state (device_state.hpp) is counted apart, by
// the part that opens each recorded envelope, as a finding.
#include <algorithm>
#include <optional>

#include "adversary.hpp"
#include "device_state.hpp"
#include "edit_frame.hpp"

namespace spmc::sim {

namespace {

class DeviceCompromise final : public Adversary {
 public:
  DeviceCompromise(WorldApi& world, AttackState& state, Aim& aim)
      : m_world(world), m_state(state), m_aim(aim) {
    if (aim.timed()) {
      aim.arm([this] { strike(); });
    }
  }

  void start() override {
    if (m_aim.timed()) {
      return;  // armed when built: `when.after` counts from the run's start
    }
    m_strike_at = m_world.now() + m_world.safety_length() - kUsPerMs;
    m_world.schedule_at(m_strike_at, [this] { strike(); });
  }
  bool server_records() const override { return true; }

  void results(const AttackFindings& f, Report& r) const override {
    InvariantResult i = make_invariant(InvariantName::kForwardSecrecy);
    i.checks = f.envelopes_recorded;
    const auto past = std::count_if(f.read.begin(), f.read.end(), [this](const ReadMessage& m) {
      return m.recorded_at < m_strike_at;
    });
    if (!m_struck) {
      violate(i, "the compromise never happened");
    } else if (past != 0) {
      violate(i, "with " + m_victim + "'s keys taken at " + std::to_string(m_strike_at / kUsPerMs) +
                     " ms the adversary read " + std::to_string(past) +
                     " messages recorded before, first " + describe(f.read.front()));
    }
    r.invariants.push_back(i);
    if (m_taken) {
      const DeviceOpens o =
          count_device_opens(m_world.profile(), *m_taken, m_state.knowledge.recorded(), m_strike_at,
                             [this](const std::string& user) {
                               return certified_key(m_world.server().account(user), false);
                             });
      r.findings.push_back("device: " + describe(o));
    }
  }

 private:
  void strike() {
    if (m_struck) {
      return;  // one compromise per run: what is judged is the past before it
    }
    const auto target = m_aim.target(1, {m_state.b});
    if (!target || m_world.user_of(target->front()).empty()) {
      m_aim.missed("no phone to compromise");
      return;
    }
    const std::uint32_t victim = target->front();
    const phone::PersistentState& s = m_world.phone(victim).state();
    m_victim = s.user_id;
    m_struck = true;
    m_strike_at = m_world.now();
    m_state.knowledge.learn_enc_secret(s.user_id, s.enc_keys.secret_key);
    m_taken = take_device_state(s);
    m_aim.struck({victim}, "encryption key of " + s.user_id + " taken");
    m_world.record("adv_compromise", victim, "encryption key of " + s.user_id + " taken");
  }

  WorldApi& m_world;
  AttackState& m_state;
  Aim& m_aim;
  TimeUs m_strike_at = 0;
  bool m_struck = false;
  std::string m_victim;
  std::optional<DeviceState> m_taken;  // every key the phone held at the strike
};

}  // namespace

AdversaryEntry device_compromise_adversary() {
  return {"device_compromise", "DEV",
          "takes b's keys at the end of the safety phase and opens what it recorded",
          [](WorldApi& w, AttackState& s, Aim& aim) -> std::unique_ptr<Adversary> {
            return std::make_unique<DeviceCompromise>(w, s, aim);
          },
          AimRules{1,
                   {"organiser", "newest_member", "offline_recipient", "u2u_pair", "random_pair"},
                   true,
                   true,
                   false}};
}

}  // namespace spmc::sim
