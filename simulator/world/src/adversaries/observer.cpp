// PNO: a passive observer that reads every payload on the wire, as if TLS gave no secrecy.
#include "adversary.hpp"
#include "spmc/channel.hpp"

namespace spmc::sim {

namespace {

class Observer final : public Adversary {
 public:
  Observer(WorldApi& world, AttackState& state) : m_world(world), m_state(state) {}

  TapVerdict on_packet(Packet& packet) override {
    auto f = channel::decode(packet.bytes);
    if (!f.ok() || f->kind != channel::FrameKind::kData) {
      return TapVerdict::kForward;
    }
    auto m = proto::decode(f->payload);
    if (!m.ok()) {
      return TapVerdict::kForward;
    }
    const NodeId phone = packet.to == kServerNode ? packet.from : packet.to;
    const std::string& user = m_world.user_of(phone_index(phone));
    if (const auto* s = std::get_if<proto::Send>(&m->body)) {
      m_state.knowledge.record(user, s->to, s->kind, s->payload, m_world.now());
    } else if (const auto* d = std::get_if<proto::Deliver>(&m->body)) {
      m_state.knowledge.record(d->from, user, d->kind, d->payload, m_world.now());
    }
    return TapVerdict::kForward;
  }
  bool judges_reads() const override { return true; }

 private:
  WorldApi& m_world;
  AttackState& m_state;
};

}  // namespace

AdversaryEntry observer_adversary() {
  return {"observer", "PNO", "records every payload on the wire (as if TLS gave no secrecy)",
          [](WorldApi& w, AttackState& s, Aim&) -> std::unique_ptr<Adversary> {
            return std::make_unique<Observer>(w, s);
          },
          AimRules{}};  // acts on everything it sees: takes no target or timing
}

}  // namespace spmc::sim
