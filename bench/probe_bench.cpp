// The clock probe: a chain of dependent register adds, one cycle each on every x86-64 core
// of the last decade, so its rate is the core clock during this run (turbo, throttling and
// a busy neighbour included). report.py turns ns/item into cycles/item with it.
#include <benchmark/benchmark.h>

#include <cstdint>

namespace {

constexpr std::int64_t kAddsPerLoop = 64;

#if defined(__x86_64__)
#define SPMC_ADD8                                            \
  "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t" \
  "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
#endif

void BM_ClockProbe(benchmark::State& state) {
#if defined(__x86_64__)
  std::uint64_t x = 0;
  for (auto _ : state) {
    for (int i = 0; i < 16; ++i) {  // 16 x 64 adds: the loop counter runs alongside
      __asm__ volatile(
          SPMC_ADD8 SPMC_ADD8 SPMC_ADD8 SPMC_ADD8 SPMC_ADD8 SPMC_ADD8 SPMC_ADD8 SPMC_ADD8
          : "+r"(x));
    }
  }
  benchmark::DoNotOptimize(x);
  state.SetItemsProcessed(state.iterations() * 16 * kAddsPerLoop);
#else
  state.SkipWithError("clock probe is x86-64 only");
#endif
}
BENCHMARK(BM_ClockProbe);

}  // namespace
