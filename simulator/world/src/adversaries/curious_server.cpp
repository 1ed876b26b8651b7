// HBC: the server follows the protocol and records everything it relays; judged on what it
// reads, on what it keeps at rest (Req1) and on the metadata it cannot help seeing.
#include <set>

#include "adversary.hpp"

namespace spmc::sim {

namespace {

class CuriousServer final : public Adversary {
 public:
  CuriousServer(WorldApi& world, AttackState& state) : m_world(world), m_state(state) {}

  bool server_records() const override { return true; }
  bool judges_reads() const override { return true; }

  void results(const AttackFindings& f, Report& r) const override {
    (void)f;
    r.invariants.push_back(pii_at_rest());
    std::set<std::pair<std::string, std::string>> pairs;
    for (const RecordedPayload& p : m_state.knowledge.recorded()) {
      pairs.emplace(p.from, p.to);
    }
    r.findings.push_back("metadata: the server handled " + std::to_string(m_state.emails_seen) +
                         " email addresses at sign-up and saw " + std::to_string(pairs.size()) +
                         " distinct sender->recipient pairs over " +
                         std::to_string(m_state.knowledge.recorded().size()) +
                         " relayed items, with sizes and times");
  }

 private:
  // Req1 (SU-001): no email address or password in clear in anything the server keeps.
  // Every simulated address ends in "@sim.example" and every password contains its address,
  // so one pattern finds both.
  InvariantResult pii_at_rest() const {
    InvariantResult i = make_invariant(InvariantName::kNoPiiAtRest);
    static constexpr std::string_view kPattern = "@sim.example";
    m_world.server().visit_held_bytes([&i](std::string_view what, ByteView bytes) {
      ++i.checks;
      const auto* begin = reinterpret_cast<const char*>(bytes.data());
      const std::string_view text(begin, bytes.size());
      if (text.find(kPattern) != std::string_view::npos) {
        violate(i, "an email address in clear in " + std::string(what));
      }
    });
    return i;
  }

  WorldApi& m_world;
  AttackState& m_state;
};

}  // namespace

AdversaryEntry curious_server_adversary() {
  return {"curious_server", "HBC", "follows the protocol and records everything it relays",
          [](WorldApi& w, AttackState& s, Aim&) -> std::unique_ptr<Adversary> {
            return std::make_unique<CuriousServer>(w, s);
          },
          AimRules{}};  // acts on everything it sees: takes no target or timing
}

}  // namespace spmc::sim
