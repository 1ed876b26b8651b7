// U2uSession (U2U-001..U2U-010): two sessions, Alice's and Bob's, driven by fuzzer-chosen
// user actions, deliveries of what the other side sent (possibly dropped, repeated or
// reordered) and fuzzer-made messages. Every call that fails leaves the state exactly as
// it was; the stored state always round-trips; the first byte picks the profile.
#include <fuzzer/FuzzedDataProvider.h>

#include <deque>

#include "fuzz_support.hpp"
#include "spmc/rng.hpp"
#include "spmc/u2u.hpp"

namespace {

using namespace spmc;

struct Side {
  u2u::U2uSession session;
  std::deque<u2u::Message> inbox;  // sent by the other side, not yet handled
};

std::string pick_secret(FuzzedDataProvider& in) {
  static const char* const kSecrets[] = {"blue fish", "red fish", ""};
  if (in.ConsumeBool()) {
    return kSecrets[in.ConsumeIntegralInRange<std::size_t>(0, 2)];
  }
  return in.ConsumeRandomLengthString(300);
}

u2u::KeyFingerprints pick_fps(FuzzedDataProvider& in, bool alice) {
  u2u::KeyFingerprints fps;
  fps.self.fill(alice ? 0xa1 : 0xb0);
  fps.peer.fill(alice ? 0xb0 : 0xa1);
  if (in.ConsumeBool()) {
    fps.peer[0] ^= 1;  // a substituted key (U2U-010 must then fail)
  }
  return fps;
}

Result<u2u::Outgoing> act(FuzzedDataProvider& in, Side& side, bool alice, Rng& rng) {
  switch (in.ConsumeIntegralInRange<int>(0, 4)) {
    case 0:
      return side.session.request_optin();
    case 1:
      return side.session.accept_optin();
    case 2:
      return side.session.provide_secret(pick_secret(in), pick_fps(in, alice));
    case 3:
      return side.session.request_auth(rng);
    default:
      return side.session.provide_auth_secret(rng, pick_secret(in), pick_fps(in, alice));
  }
}

std::optional<u2u::Message> next_message(FuzzedDataProvider& in, Side& side) {
  if (in.ConsumeBool()) {  // a fuzzer-made body of a fuzzer-chosen type
    const auto type = in.ConsumeIntegral<std::uint8_t>();
    const Bytes body = in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 64));
    auto m = u2u::decode_body(type, body);
    return m.ok() ? std::optional(*m) : std::nullopt;
  }
  if (side.inbox.empty()) {
    return std::nullopt;
  }
  const std::size_t i = in.ConsumeIntegralInRange<std::size_t>(0, side.inbox.size() - 1);
  u2u::Message m = side.inbox[i];
  if (!in.ConsumeBool()) {  // else: kept, to be delivered again (a replay)
    side.inbox.erase(side.inbox.begin() + static_cast<std::ptrdiff_t>(i));
  }
  return m;
}

void step(FuzzedDataProvider& in, Side& self, Side& other, bool alice, Rng& rng) {
  const Bytes before = self.session.encode_state();
  Result<u2u::Outgoing> out = make_error(ErrorCode::kBadState, "nothing done");
  if (in.ConsumeBool()) {
    out = act(in, self, alice, rng);
  } else {
    auto m = next_message(in, self);
    if (!m) {
      return;
    }
    out = self.session.handle(*m);
  }
  if (!out.ok()) {
    SPMC_FUZZ_CHECK(self.session.encode_state() == before);
    return;
  }
  for (const u2u::Message& m : out->messages) {
    SPMC_FUZZ_CHECK(u2u::shape_allowed(m));
    if (other.inbox.size() < 16) {
      other.inbox.push_back(m);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const Profile& profile = in.ConsumeBool() ? hardened_profile() : paper_profile();
  DeterministicRng rng(1, "u2u-fuzz");
  Side alice{u2u::U2uSession(profile), {}};
  Side bob{u2u::U2uSession(profile), {}};
  for (int i = 0; i < 48 && in.remaining_bytes() > 0; ++i) {
    const bool alice_moves = in.ConsumeBool();
    step(in, alice_moves ? alice : bob, alice_moves ? bob : alice, alice_moves, rng);
    for (const Side* s : {&alice, &bob}) {
      auto again = u2u::U2uSession::decode_state(profile, s->session.encode_state());
      SPMC_FUZZ_CHECK(again.ok() && *again == s->session);
    }
  }
  return 0;
}
