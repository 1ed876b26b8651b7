// MAL (or a faulty server): it never acts on an acknowledgement. Sitting where TLS ends at
// the server, it turns every Ack{message_id} a phone sends into Ack{0}, an id no item has,
// which the server ignores (SRV-011: an Ack for an id not in the store changes nothing), so
// the channel stays intact and nothing is ever deleted. The protocol must survive it: every
// item is pushed again at each login (SRV-010, at-least-once), the phone removes the
// duplicates by message id (PH-012), so exactly_once_delivery and no_replay_accepted hold;
// only offline_store_empty_at_quiescence, the server's own duty (Req6), fails.
#include "adversary.hpp"
#include "edit_frame.hpp"

namespace spmc::sim {

namespace {

class DropsAcks final : public Adversary {
 public:
  explicit DropsAcks(WorldApi& world) : m_world(world) {}

  TapVerdict on_packet(Packet& packet) override {
    if (packet.to != kServerNode) {
      return TapVerdict::kForward;
    }
    auto edited = edit_frame(packet.bytes, [](proto::Message& m) {
      auto* ack = std::get_if<proto::Ack>(&m.body);
      if (ack == nullptr || ack->message_id == kNoItem) {
        return false;
      }
      ack->message_id = kNoItem;
      return true;
    });
    if (edited) {
      ++m_dropped;
      packet.bytes = std::move(*edited);
    }
    return TapVerdict::kForward;
  }

  void results(const AttackFindings& f, Report& r) const override {
    (void)f;
    r.findings.push_back(
        "acknowledgements dropped: " + std::to_string(m_dropped) +
        "; items still in the offline store: " + std::to_string(m_world.server().store_depth()));
  }

 private:
  static constexpr std::uint64_t kNoItem = 0;  // message ids start at 1 (SRV-016)
  WorldApi& m_world;
  std::uint64_t m_dropped = 0;
};

}  // namespace

AdversaryEntry server_drops_acks_adversary() {
  return {"server_drops_acks", "MAL",
          "ignores every acknowledgement: nothing is deleted and every item is pushed again at "
          "each login",
          [](WorldApi& w, AttackState&, Aim&) -> std::unique_ptr<Adversary> {
            return std::make_unique<DropsAcks>(w);
          },
          AimRules{}};  // acts on everything it sees: takes no target or timing
}

}  // namespace spmc::sim
