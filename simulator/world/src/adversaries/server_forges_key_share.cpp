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
  ForgesKeyShare(WorldApi& world, AttackState& state, Aim& aim)
      : m_world(world), m_state(state), m_aim(aim) {
    if (aim.timed()) {
      aim.arm([this] { forge(); });
    }
  }

  void start() override {
    if (m_aim.timed()) {
      return;  // armed when built: `when.after` counts from the run's start
    }
    m_world.schedule_after(m_world.safety_length() / 2, [this] { forge(); });
    keep_victims_chatting(m_world, m_state, m_state.a, m_state.b);
  }
  // It does not record what it relays: its result is what b accepted, not what it read.

 private:
  void forge() {
    const Profile& profile = m_world.profile();
    const auto pair = m_aim.target(2, {m_state.a, m_state.b});
    if (!pair) {
      m_aim.missed("no pair to forge between");
      return;
    }
    const std::uint32_t from = (*pair)[0];
    const std::uint32_t to = (*pair)[1];
    const std::string& a = m_world.user_of(from);
    const std::string& b = m_world.user_of(to);
    const auto b_enc = certified_key(m_world.server().account(b), true);
    if (a.empty() || !b_enc) {
      m_aim.missed("phone " + std::to_string(from) + " or " + std::to_string(to) +
                   " is not signed up");
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
    m_aim.struck({from, to}, "key share and 3 messages pushed as " + a);
    m_world.record("adv_forge", to, "key share and 3 messages pushed as " + a);
    m_world.server_wake();
    if (m_aim.spec().aimed() && m_state.victims_chatting.emplace(from, to).second) {
      // The victims go on chatting after the forgery: does b still read a's real messages?
      m_world.schedule_after(5 * kUsPerSecond, [this, from, to] { m_world.send_text(from, to); });
    }
  }

  WorldApi& m_world;
  AttackState& m_state;
  Aim& m_aim;
};

}  // namespace

AdversaryEntry server_forges_key_share_adversary() {
  return {
      "server_forges_key_share", "MAL", "pushes b a key share and messages it made up, as a's",
      [](WorldApi& w, AttackState& s, Aim& aim) -> std::unique_ptr<Adversary> {
        return std::make_unique<ForgesKeyShare>(w, s, aim);
      },
      AimRules{
          2, {"newest_member", "offline_recipient", "u2u_pair", "random_pair"}, true, true, true}};
}

}  // namespace spmc::sim
