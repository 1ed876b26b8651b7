// Baselines the reference ratchet is judged against, compiled only here:
//  - the AES-NI limit of one sequential chain (two dependent AES calls per step),
//  - the interleaved limit of many independent sessions (AES-NI 8 lanes; VAES-512 32 lanes
//    when the CPU has it, chosen at run time),
//  - the same 4-slot ratchet through OpenSSL EVP,
//  - Signal's symmetric chain step (HMAC-SHA256 with 0x01 / 0x02) via the Crypto++ facade.
// The AES-NI baselines use random round keys: aesenc's timing does not depend on the data,
// and a key schedule here would only duplicate reference/fast/src/aesni.cpp.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <array>
#include <cstring>

#include "bench_common.hpp"
#include "spmc/crypto.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define SPMC_BENCH_X86 1
#define SPMC_AES __attribute__((target("aes,sse4.1")))
#define SPMC_VAES __attribute__((target("aes,vaes,avx512f")))
#endif

namespace spmc::bench {
namespace {

#if SPMC_BENCH_X86
template <int Rounds>
struct alignas(64) RoundKeys {
  __m128i k[Rounds + 1];
};

template <int Rounds>
RoundKeys<Rounds> random_round_keys(Rng& rng) {
  RoundKeys<Rounds> rk{};
  for (auto& k : rk.k) {
    const Block b = rng.block();
    std::memcpy(&k, b.data(), sizeof k);
  }
  return rk;
}

template <int Rounds>
SPMC_AES inline __m128i aes(const RoundKeys<Rounds>& rk, __m128i b) {
  b = _mm_xor_si128(b, rk.k[0]);
  for (int r = 1; r < Rounds; ++r) {
    b = _mm_aesenc_si128(b, rk.k[r]);
  }
  return _mm_aesenclast_si128(b, rk.k[Rounds]);
}

// Keeps a value in its xmm register without a store (DoNotOptimize would spill it and add
// store-forwarding latency to the chain being measured).
SPMC_AES inline void keep(__m128i& v) { __asm__ volatile("" : "+x"(v)); }

template <int Rounds>
SPMC_AES void chain_limit(benchmark::State& state) {
  DeterministicRng rng(1, "chain limit");
  const auto rk = random_round_keys<Rounds>(rng);
  __m128i slot = rk.k[1];
  for (auto _ : state) {
    const __m128i mk = aes(rk, slot);
    slot = _mm_xor_si128(aes(rk, mk), slot);  // the next step needs this one: dependent
    keep(slot);
  }
  benchmark::DoNotOptimize(slot);
  state.SetItemsProcessed(state.iterations());
}

// The ratchet's own shape: four slots under one key, stepped round-robin. Consecutive
// counters touch different slots, so four steps can be in flight at once.
template <int Rounds>
SPMC_AES void four_slot_limit(benchmark::State& state) {
  DeterministicRng rng(6, "four slot limit");
  const auto rk = random_round_keys<Rounds>(rng);
  __m128i slot[4] = {rk.k[1], rk.k[2], rk.k[3], rk.k[4]};
  for (auto _ : state) {
    for (auto& s : slot) {
      const __m128i mk = aes(rk, s);
      s = _mm_xor_si128(aes(rk, mk), s);
      keep(s);
    }
  }
  benchmark::DoNotOptimize(slot);
  state.SetItemsProcessed(state.iterations() * 4);
}

template <int Rounds>
SPMC_AES void interleaved_limit(benchmark::State& state) {
  constexpr int kLanes = 8;
  DeterministicRng rng(2, "interleaved limit");
  RoundKeys<Rounds> rk[kLanes];
  __m128i slot[kLanes];
  for (int i = 0; i < kLanes; ++i) {
    rk[i] = random_round_keys<Rounds>(rng);
    slot[i] = rk[i].k[2];
  }
  for (auto _ : state) {
    for (int i = 0; i < kLanes; ++i) {
      const __m128i mk = aes(rk[i], slot[i]);
      slot[i] = _mm_xor_si128(aes(rk[i], mk), slot[i]);
    }
    for (auto& s : slot) {
      keep(s);
    }
  }
  benchmark::DoNotOptimize(slot);
  state.SetItemsProcessed(state.iterations() * kLanes);
}

template <int Rounds>
SPMC_VAES inline __m512i vaes_enc(const __m512i* rk, __m512i b) {
  b = _mm512_xor_si512(b, rk[0]);
  for (int r = 1; r < Rounds; ++r) {
    b = _mm512_aesenc_epi128(b, rk[r]);
  }
  return _mm512_aesenclast_epi128(b, rk[Rounds]);
}

// 32 lanes = 8 zmm of 4 blocks; every lane its own key (round keys packed per zmm).
template <int Rounds>
SPMC_VAES void vaes_limit_body(benchmark::State& state) {
  constexpr int kRegs = 8;
  DeterministicRng rng(3, "vaes limit");
  alignas(64) __m512i rk[kRegs][Rounds + 1];
  __m512i slot[kRegs];
  for (int j = 0; j < kRegs; ++j) {
    for (auto& k : rk[j]) {
      const Bytes b = rng.bytes(64);
      std::memcpy(&k, b.data(), 64);
    }
    slot[j] = rk[j][1];
  }
  for (auto _ : state) {
    for (int j = 0; j < kRegs; ++j) {
      const __m512i mk = vaes_enc<Rounds>(rk[j], slot[j]);
      slot[j] = _mm512_xor_si512(vaes_enc<Rounds>(rk[j], mk), slot[j]);
    }
    for (auto& s : slot) {
      __asm__ volatile("" : "+v"(s));
    }
  }
  benchmark::DoNotOptimize(slot);
  state.SetItemsProcessed(state.iterations() * kRegs * 4);
}

bool has_aesni() { return __builtin_cpu_supports("aes"); }
bool has_vaes512() { return __builtin_cpu_supports("vaes") && __builtin_cpu_supports("avx512f"); }
#endif

void BM_AesniChainLimit(benchmark::State& state) {
#if SPMC_BENCH_X86
  if (has_aesni()) {
    state.range(0) == 128 ? chain_limit<10>(state) : chain_limit<14>(state);
    return;
  }
#endif
  state.SkipWithError("no AES-NI on this CPU");
}
BENCHMARK(BM_AesniChainLimit)->Arg(128)->Arg(256);

void BM_AesniFourSlotLimit(benchmark::State& state) {
#if SPMC_BENCH_X86
  if (has_aesni()) {
    state.range(0) == 128 ? four_slot_limit<10>(state) : four_slot_limit<14>(state);
    return;
  }
#endif
  state.SkipWithError("no AES-NI on this CPU");
}
BENCHMARK(BM_AesniFourSlotLimit)->Arg(128)->Arg(256);

void BM_AesniInterleavedLimit(benchmark::State& state) {
#if SPMC_BENCH_X86
  if (has_aesni()) {
    state.range(0) == 128 ? interleaved_limit<10>(state) : interleaved_limit<14>(state);
    return;
  }
#endif
  state.SkipWithError("no AES-NI on this CPU");
}
BENCHMARK(BM_AesniInterleavedLimit)->Arg(128)->Arg(256);

void BM_Vaes512InterleavedLimit(benchmark::State& state) {
#if SPMC_BENCH_X86
  if (has_vaes512()) {
    state.range(0) == 128 ? vaes_limit_body<10>(state) : vaes_limit_body<14>(state);
    return;
  }
#endif
  state.SkipWithError("no VAES + AVX-512 on this CPU");
}
BENCHMARK(BM_Vaes512InterleavedLimit)->Arg(128)->Arg(256);

// The reference ratchet (RAT-002, four slots) with OpenSSL's AES in ECB mode.
void BM_OpensslRatchetStep(benchmark::State& state) {
  DeterministicRng rng(4, "openssl ratchet");
  const Suite suite = suite_arg(state.range(0));
  const Bytes key = rng.bytes(master_key_size(suite));
  ratchet::SeedFile seed = make_seed(rng);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex(ctx, suite == Suite::kAes128 ? EVP_aes_128_ecb() : EVP_aes_256_ecb(), nullptr,
                     key.data(), nullptr);
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  std::uint32_t counter = 0;
  Block mk{};
  Block next{};
  for (auto _ : state) {
    Block& slot = seed.n[counter++ % 4];
    int len = 0;
    EVP_EncryptUpdate(ctx, mk.data(), &len, slot.data(), 16);
    EVP_EncryptUpdate(ctx, next.data(), &len, mk.data(), 16);
    slot = xor_blocks(next, slot);
    benchmark::DoNotOptimize(mk);
  }
  EVP_CIPHER_CTX_free(ctx);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OpensslRatchetStep)->Arg(128)->Arg(256);

// Signal's symmetric-key ratchet: mk = HMAC(ck, 0x01), ck = HMAC(ck, 0x02).
void BM_HmacChainStep(benchmark::State& state) {
  DeterministicRng rng(5, "hmac chain");
  crypto::Digest ck{};
  rng.fill(ck);
  const std::uint8_t one[1] = {0x01};
  const std::uint8_t two[1] = {0x02};
  for (auto _ : state) {
    const crypto::Digest mk = crypto::hmac_sha256(ck, one);
    ck = crypto::hmac_sha256(ck, two);
    benchmark::DoNotOptimize(mk);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HmacChainStep);

}  // namespace
}  // namespace spmc::bench
