// MAL: a key share "from a" that the server drew, sealed to b's certified key, then
// messages under it. Hardened shares must carry a's signature, which it cannot make.
#include "adversary.hpp"
#include "edit_frame.hpp"
#include "spmc/envelope.hpp"
#include "spmc/sim/adversary.hpp"
#include "spmc/sim/checkers.hpp"

namespace spmc::sim {

namespace {

class ForgesKeyShare final : public Adversary {
 public:
  ForgesKeyShare(WorldApi& world, AttackState& state) : m_world(world), m_state(state) {}

  void start() override {
    m_world.schedule_after(m_world.safety_length() / 2, [this] { forge(); });
    keep_victims_chatting(m_world, m_state);
  }
  // It does not record what it relays: its result is what b accepted, not what it read.

 private:
  void forge() {
    const Profile& profile = m_world.profile();
    const std::string& a = m_world.user_of(m_state.a);
    const std::string& b = m_world.user_of(m_state.b);
    const auto b_enc = certified_key(m_world.server().account(b), true);
    if (a.empty() || !b_enc) {
      return;
    }
    const TimeMs now = m_world.server_now_ms();
    const keyshare::KeySharePlain share = keyshare::make_pairwise(
        *m_state.rng, profile.default_suite, now, keyshare::Lifetime::session());
    Bytes sealed =
        keyshare::seal(*m_state.rng, profile, share, a, b, *b_enc, &m_state.fake_sign.secret_key);
    m_world.server_push(b, a, proto::PayloadKind::kKeyShare, std::move(sealed));
    ++m_state.injected;
    ratchet::SendChain chain(share.suite, share.master_key, ratchet::SeedFile{share.seed});
    for (std::uint32_t k = 0; k < 3; ++k) {
      auto mk = chain.next();
      SPMC_CHECK(mk.ok());
      envelope::EnvelopeHeader h{envelope::Kind::kDirect, a, b, now, 0, 0, mk->counter, now};
      const envelope::AppPayload body{envelope::ContentType::kText,
                                      make_canary_body(kForgedUidBase + k, 64)};
      m_world.server_push(b, a, proto::PayloadKind::kEnvelope, envelope::seal(h, mk->key, body));
      ++m_state.injected;
    }
    m_world.record("adv_forge", m_state.b, "key share and 3 messages pushed as " + a);
    m_world.server_wake();
  }

  WorldApi& m_world;
  AttackState& m_state;
};

}  // namespace

AdversaryEntry server_forges_key_share_adversary() {
  return {"server_forges_key_share", "MAL", "pushes b a key share and messages it made up, as a's",
          [](WorldApi& w, AttackState& s) -> std::unique_ptr<Adversary> {
            return std::make_unique<ForgesKeyShare>(w, s);
          }};
}

}  // namespace spmc::sim
