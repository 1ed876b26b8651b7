// Unlocking the local store (STO-002): the PIN KDF at each profile's cost plus unwrapping
// the storage key and opening a 4 KiB state.
#include <benchmark/benchmark.h>

#include "bench_common.hpp"
#include "spmc/storage.hpp"

namespace spmc::bench {
namespace {

void BM_StoreUnlock(benchmark::State& state) {
  const Profile& profile = state.range(0) == 0 ? paper_profile() : hardened_profile();
  DeterministicRng rng(15, "bench store");
  auto store = storage::LocalStore::create(rng, profile, "1234", Bytes(4096, 0x66));
  for (auto _ : state) {
    auto opened = store.unlock("1234");
    if (!opened.ok()) {
      state.SkipWithError("unlock failed");
      break;
    }
    benchmark::DoNotOptimize(opened);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(std::string(profile.name));
}
BENCHMARK(BM_StoreUnlock)->Arg(0)->Arg(1)->ArgName("hardened")->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace spmc::bench
