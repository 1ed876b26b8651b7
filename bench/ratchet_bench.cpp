// Ratchet derivations through the reference code: one chain (send and receive), the
// Crypto++ path for comparison, and many sessions stepped one by one or by step_many.
#include <benchmark/benchmark.h>

#include "bench_common.hpp"
#include "spmc/fast/ratchet_send_batch.hpp"
#include "spmc/ratchet_batch.hpp"

namespace spmc::bench {
namespace {

// SendChain::next on one chain (AES-NI fast path when the CPU has it).
void BM_RatchetSend(benchmark::State& state) {
  auto chains = make_send_chains(1, suite_arg(state.range(0)));
  ratchet::SendChain& chain = *chains.front();
  for (auto _ : state) {
    auto mk = chain.next();
    benchmark::DoNotOptimize(mk);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RatchetSend)->Arg(128)->Arg(256);

// ReceiveChain::accept of counters in order (prepare + commit, no skipped keys).
void BM_RatchetReceive(benchmark::State& state) {
  const Suite suite = suite_arg(state.range(0));
  DeterministicRng rng(8, "bench receive");
  const Bytes key = rng.bytes(master_key_size(suite));
  ratchet::ReceiveChain chain(suite, key, make_seed(rng), Limits{});
  std::uint32_t counter = 0;
  for (auto _ : state) {
    auto mk = chain.accept(counter++);
    benchmark::DoNotOptimize(mk);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RatchetReceive)->Arg(128)->Arg(256);

// RAT-002 steps with the Crypto++ cipher (what a CPU without AES-NI dispatch would run).
void BM_RatchetStepCryptopp(benchmark::State& state) {
  const Suite suite = suite_arg(state.range(0));
  DeterministicRng rng(9, "bench cryptopp");
  const crypto::AesBlockCipher cipher(rng.bytes(master_key_size(suite)),
                                      crypto::AesPath::kPortable);
  ratchet::SeedFile seed = make_seed(rng);
  std::uint32_t counter = 0;
  for (auto _ : state) {
    Block mk = ratchet::step(cipher, seed.n[counter++ % 4]);
    benchmark::DoNotOptimize(mk);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RatchetStepCryptopp)->Arg(128)->Arg(256);

// N sessions, each stepped once per iteration with next(), one after another.
void BM_RatchetSessionsOneByOne(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  auto chains = make_send_chains(n, Suite::kAes128);
  for (auto _ : state) {
    for (auto& c : chains) {
      auto mk = c->next();
      benchmark::DoNotOptimize(mk);
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RatchetSessionsOneByOne)->Arg(8)->Arg(16)->Arg(64);

// N sessions stepped together by ratchet::step_many (interleaved AES-NI lanes).
void BM_RatchetStepMany(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  auto owned = make_send_chains(n, Suite::kAes128);
  std::vector<ratchet::SendChain*> chains;
  for (auto& c : owned) {
    chains.push_back(c.get());
  }
  std::vector<ratchet::MessageKey> out(n);
  for (auto _ : state) {
    const Status s = ratchet::step_many(chains, out);
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RatchetStepMany)->Arg(8)->Arg(16)->Arg(64);

// N sessions owned by a ratchet::SendBatch (packed key schedules), all stepped per iteration.
// The label names the path taken (VAES-512 packed, or the AES-NI / Crypto++ lanes).
void BM_RatchetSendBatch(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<ratchet::SendChain> chains;
  for (auto& c : make_send_chains(n, Suite::kAes128)) {
    chains.push_back(std::move(*c));
  }
  ratchet::SendBatch batch(std::move(chains));
  std::vector<ratchet::MessageKey> out(n);
  for (auto _ : state) {
    const Status s = batch.step_all(out);
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetLabel(batch.wide() ? "vaes512 packed" : "lanes");
}
BENCHMARK(BM_RatchetSendBatch)->Arg(8)->Arg(16)->Arg(64)->Arg(256);

}  // namespace
}  // namespace spmc::bench
