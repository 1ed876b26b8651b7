// PRO-001, PRO-006: a profile is a composition of scheme objects, so a third profile is made
// from existing schemes and runs on the unchanged phone and server. `mixed` takes the paper's
// unsigned key share and groups' key rule with the hardened U2U.
#include "spmc/profile.hpp"

#include <gtest/gtest.h>

#include <set>

#include "spmc/schemes/group_policy.hpp"
#include "spmc/schemes/key_share_scheme.hpp"
#include "spmc/schemes/pin_kdf.hpp"
#include "spmc/schemes/u2u_scheme.hpp"
#include "spmc/sim/loopback.hpp"

namespace spmc {
namespace {

const Profile& mixed_profile() {
  static const Profile kMixed{
      .name = "mixed",
      .description = "paper's key share, rekeying groups, bound U2U",
      .default_suite = Suite::kAes128,
      .key_share = &keyshare::paper_key_share(),
      .group = &group::rekey_group_policy(),
      .u2u = &u2u::bound_u2u(),
      .pin_kdf = &storage::sha256_pin_kdf(),
      .limits = Limits{},
  };
  return kMixed;
}

using A = phone::Phone::U2uAction;

// Alice and Bob on a loopback world under `profile`, contacts, keys exchanged.
struct Pair {
  explicit Pair(const Profile& profile, std::uint64_t seed) : w(profile, seed) {
    a = w.add_signed_up_phone("a@x.org");
    b = w.add_signed_up_phone("b@x.org");
    w.befriend(a, b);
  }
  std::string user(std::size_t i) { return w.phone(i).state().user_id; }
  const std::optional<u2u::U2uSession>& session(std::size_t i, std::size_t peer) {
    return w.phone(i).state().contacts.at(user(peer)).u2u;
  }
  void act(std::size_t i, std::size_t peer, A action, std::string_view secret = "") {
    ASSERT_TRUE(w.phone(i).u2u(user(peer), action, secret, w.effects(i)).ok());
  }
  // Fig. 4 end to end: opt-in with "tulip"/"anchor", then a round with the given entries.
  void optin_then_authenticate(std::string_view a_enters, std::string_view b_enters) {
    act(a, b, A::kRequestOptin);
    w.run();
    act(b, a, A::kAcceptOptin);
    w.run();
    act(a, b, A::kProvideSecret, "tulip");
    act(b, a, A::kProvideSecret, "anchor");
    w.run();
    act(a, b, A::kRequestAuth);
    w.run();
    act(a, b, A::kAuthSecret, a_enters);
    act(b, a, A::kAuthSecret, b_enters);
    w.run();
  }

  sim::LoopbackWorld w;
  std::size_t a = 0, b = 0;
};

TEST(Profile, RegisteredProfilesHaveDistinctNamesAndAreFoundByName) {
  std::set<std::string_view> names;
  for (const Profile* p : all_profiles()) {
    EXPECT_TRUE(names.insert(p->name).second) << p->name;
    ASSERT_TRUE(profile_by_name(p->name).ok()) << p->name;
    EXPECT_EQ(*profile_by_name(p->name), p);
    EXPECT_NE(p->key_share, nullptr);
    EXPECT_NE(p->group, nullptr);
    EXPECT_NE(p->u2u, nullptr);
    EXPECT_NE(p->pin_kdf, nullptr);
  }
  EXPECT_EQ(profile_by_name("mixed").code(), ErrorCode::kBadValue) << "mixed is test-only";
}

TEST(Profile, ThirdProfileMessagesBetweenPhonesOnTheUnchangedServer) {
  Pair p(mixed_profile(), 31);
  ASSERT_TRUE(p.w.phone(p.a).send_text(p.user(p.b), bytes_of("hi"), p.w.effects(p.a)).ok());
  p.w.run();
  ASSERT_EQ(p.w.inbox(p.b).size(), 1U);
  EXPECT_EQ(p.w.inbox(p.b)[0].body, bytes_of("hi"));
}

// The U2U half comes from `hardened`: the bound value, kept opt-in hash, nonced round.
TEST(Profile, ThirdProfileAuthenticatesWithItsU2uSchemeAndRefusesAWrongSecret) {
  Pair good(mixed_profile(), 32);
  good.optin_then_authenticate("tulip", "anchor");
  ASSERT_TRUE(good.session(good.a, good.b).has_value());
  EXPECT_TRUE(good.session(good.a, good.b)->auth_status().ok());
  EXPECT_TRUE(good.session(good.b, good.a)->auth_status().ok());
  // The state names its U2U scheme, not its profile (PRO-006): it reloads under every profile
  // with the bound scheme and is refused under the paper's.
  const Bytes state = good.session(good.a, good.b)->encode_state();
  EXPECT_TRUE(u2u::U2uSession::decode_state(mixed_profile(), state).ok());
  EXPECT_TRUE(u2u::U2uSession::decode_state(hardened_profile(), state).ok());
  EXPECT_EQ(u2u::U2uSession::decode_state(paper_profile(), state).code(), ErrorCode::kBadValue);

  Pair bad(mixed_profile(), 33);
  bad.optin_then_authenticate("tulip", "wrong");
  EXPECT_EQ(bad.session(bad.a, bad.b)->auth_status().code(), ErrorCode::kU2uMismatch);
}

// The key-share half comes from `paper`: unsigned, so a paper receiver opens it and a
// signing (hardened) receiver refuses it.
TEST(Profile, ThirdProfileSealsKeySharesWithItsKeyShareScheme) {
  DeterministicRng rng(34, "profile test");
  const auto bob = crypto::x25519_generate(rng);
  const auto alice_sign = crypto::ed25519_generate(rng);
  const auto plain =
      keyshare::make_pairwise(rng, Suite::kAes128, 1000, keyshare::Lifetime::session());
  const auto m = keyshare::decode_message(keyshare::seal(
      rng, mixed_profile(), plain, "alice", "bob", bob.public_key, &alice_sign.secret_key));
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->signature.has_value());
  const auto opened = keyshare::open(paper_profile(), *m, bob.secret_key, nullptr);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, plain);
  EXPECT_EQ(keyshare::open(hardened_profile(), *m, bob.secret_key, &alice_sign.public_key).code(),
            ErrorCode::kBadSignature);
}

// The group half is GRP-010's: removing a member starts a new epoch at the members left.
TEST(Profile, ThirdProfileRekeysAGroupWithItsGroupPolicy) {
  Pair p(mixed_profile(), 35);
  const std::size_t c = p.w.add_signed_up_phone("c@x.org");
  p.w.befriend(p.a, c);
  auto id = p.w.phone(p.a).create_group({p.user(p.b), p.user(c)}, p.w.effects(p.a));
  ASSERT_TRUE(id.ok());
  p.w.run();
  ASSERT_EQ(p.w.phone(p.b).state().groups.at(*id).share.group->epoch, 0U);
  p.w.clock().advance(1000);
  ASSERT_TRUE(p.w.phone(p.a).group_remove(*id, p.user(c), p.w.effects(p.a)).ok());
  p.w.run();
  EXPECT_EQ(p.w.phone(p.b).state().groups.at(*id).share.group->epoch, 1U);
  EXPECT_EQ(p.w.phone(c).state().groups.at(*id).share.group->epoch, 0U);
}

}  // namespace
}  // namespace spmc
