// Properties of U2U authentication (U2U-002, U2U-003, U2U-010) over random secrets and
// random event sequences, for both profiles.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "spmc/u2u.hpp"
#include "support/u2u_pair.hpp"

namespace spmc::u2u {
namespace {

using testing::U2uPair;

rc::Gen<std::string> gen_secret() {
  return rc::gen::map(rc::gen::nonEmpty(rc::gen::string<std::string>()), [](std::string s) {
    s.resize(std::min(s.size(), kMaxSecretBytes));
    return s;
  });
}

const Profile& gen_profile() { return **rc::gen::element(&paper_profile(), &hardened_profile()); }

RC_GTEST_PROP(U2u, SameSecretsAuthenticateInAnyOrder, ()) {
  const Profile& profile = gen_profile();
  const std::string sa = *gen_secret();
  const std::string sb = *gen_secret();
  const bool a_first = *rc::gen::arbitrary<bool>();
  U2uPair pair(profile, *rc::gen::arbitrary<std::uint64_t>());
  RC_ASSERT(pair.establish(sa, sb));
  RC_ASSERT(pair.authenticate(sa, sb, a_first));
  RC_ASSERT(pair.a.auth_status().ok());
  RC_ASSERT(pair.b.auth_status().ok());
}

RC_GTEST_PROP(U2u, AnyDifferentSecretGivesMismatch, ()) {
  const Profile& profile = gen_profile();
  const std::string sa = *gen_secret();
  const std::string sb = *gen_secret();
  const bool wrong_a = *rc::gen::arbitrary<bool>();
  const std::string wrong = *rc::gen::suchThat(
      gen_secret(), [&](const std::string& s) { return s != (wrong_a ? sa : sb); });
  U2uPair pair(profile, *rc::gen::arbitrary<std::uint64_t>());
  RC_ASSERT(pair.establish(sa, sb));
  RC_ASSERT(
      pair.authenticate(wrong_a ? wrong : sa, wrong_a ? sb : wrong, *rc::gen::arbitrary<bool>()));
  for (const U2uSession* side : {&pair.a, &pair.b}) {
    const Status status = side->auth_status();
    RC_ASSERT(!status.ok());
    RC_ASSERT(status.code() == ErrorCode::kU2uMismatch);
  }
}

// Any message, in or out of turn, shaped for either profile: it is either accepted or
// refused with the session exactly as before; the state always survives its encoding.
RC_GTEST_PROP(U2u, ArbitraryEventsNeverCorruptTheSession, ()) {
  const Profile& profile = gen_profile();
  U2uPair pair(profile, 5);
  const auto steps = *rc::gen::inRange<int>(1, 40);
  for (int i = 0; i < steps; ++i) {
    const bool on_a = *rc::gen::arbitrary<bool>();
    U2uSession& s = on_a ? pair.a : pair.b;
    const U2uSession before = s;
    const int action = *rc::gen::inRange<int>(0, 6);
    const std::string secret = *rc::gen::element<std::string>("s1", "s2");
    Result<Outgoing> r = make_error(ErrorCode::kBadState, "unset");
    switch (action) {
      case 0:
        r = s.request_optin();
        break;
      case 1:
        r = s.accept_optin();
        break;
      case 2:
        r = s.provide_secret(secret, on_a ? pair.fps_a() : pair.fps_b());
        break;
      case 3:
        r = s.request_auth(pair.rng());
        break;
      case 4:
        r = s.provide_auth_secret(pair.rng(), secret, on_a ? pair.fps_a() : pair.fps_b());
        break;
      default: {
        const auto type = static_cast<std::uint8_t>(*rc::gen::inRange<int>(2, 7));
        const auto body = *rc::gen::element<std::size_t>(0, 16, 32, 48);
        const auto decoded = decode_body(type, Bytes(body, static_cast<std::uint8_t>(i)));
        if (!decoded.ok()) {
          continue;
        }
        r = s.handle(*decoded);
      }
    }
    if (r.ok()) {
      // Deliver what was produced; the peer may refuse it, but nothing may break.
      for (const Message& m : r->messages) {
        U2uSession& peer = on_a ? pair.b : pair.a;
        const U2uSession peer_before = peer;
        if (!peer.handle(m).ok()) {
          RC_ASSERT(peer == peer_before);
        }
      }
    } else {
      RC_ASSERT(s == before);
    }
    for (const U2uSession* each : {&pair.a, &pair.b}) {
      const auto restored = U2uSession::decode_state(profile, each->encode_state());
      RC_ASSERT(restored.ok());
      RC_ASSERT(*restored == *each);
    }
  }
}

}  // namespace
}  // namespace spmc::u2u
