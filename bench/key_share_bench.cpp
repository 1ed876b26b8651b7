// Key shares (KS-001..KS-015) per profile: build + seal on the sender, decode + open +
// validate on the receiver, against the raw X25519 agreement PKE-1 is built on.
#include <benchmark/benchmark.h>

#include "bench_common.hpp"
#include "spmc/key_share.hpp"
#include "spmc/key_share_book.hpp"

namespace spmc::bench {
namespace {

constexpr TimeMs kNow = 1'000'000;

const Profile& profile_arg(std::int64_t id) {
  return id == 0 ? paper_profile() : hardened_profile();
}

struct Parties {
  DeterministicRng rng{13, "bench key share"};
  crypto::X25519KeyPair bob_enc = crypto::x25519_generate(rng);
  crypto::Ed25519KeyPair alice_sign = crypto::ed25519_generate(rng);
};

void BM_KeyShareSeal(benchmark::State& state) {
  const Profile& profile = profile_arg(state.range(0));
  Parties p;
  for (auto _ : state) {
    const keyshare::KeySharePlain plain =
        keyshare::make_pairwise(p.rng, profile.default_suite, kNow, keyshare::Lifetime::session());
    Bytes wire = keyshare::seal(p.rng, profile, plain, "alice", "bob", p.bob_enc.public_key,
                                &p.alice_sign.secret_key);
    benchmark::DoNotOptimize(wire);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(profile.name));
}
BENCHMARK(BM_KeyShareSeal)->Arg(0)->Arg(1)->ArgName("hardened");

// Every iteration opens the same share against an empty book (validate, not accept), so
// the replay rule never rejects it and each run does the full work.
void BM_KeyShareOpen(benchmark::State& state) {
  const Profile& profile = profile_arg(state.range(0));
  Parties p;
  const keyshare::KeySharePlain plain =
      keyshare::make_pairwise(p.rng, profile.default_suite, kNow, keyshare::Lifetime::session());
  const Bytes wire = keyshare::seal(p.rng, profile, plain, "alice", "bob", p.bob_enc.public_key,
                                    &p.alice_sign.secret_key);
  const keyshare::KeyShareBook book("bob");
  for (auto _ : state) {
    auto message = keyshare::decode_message(wire);
    auto opened = keyshare::open(profile, *message, p.bob_enc.secret_key, &p.alice_sign.public_key);
    auto accepted = book.validate(*opened, message->sender_id, kNow, profile.limits);
    if (!accepted.ok()) {
      state.SkipWithError("key share rejected");
      break;
    }
    benchmark::DoNotOptimize(accepted);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(profile.name));
}
BENCHMARK(BM_KeyShareOpen)->Arg(0)->Arg(1)->ArgName("hardened");

void BM_X25519Agree(benchmark::State& state) {
  Parties p;
  const crypto::X25519KeyPair alice = crypto::x25519_generate(p.rng);
  for (auto _ : state) {
    auto shared = crypto::x25519_agree(alice.secret_key, p.bob_enc.public_key);
    benchmark::DoNotOptimize(shared);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_X25519Agree);

}  // namespace
}  // namespace spmc::bench
