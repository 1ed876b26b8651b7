// AES-NI key expansion and encryption (Intel's AES-NI white paper, key expansion section),
// compiled with per-function target attributes so no translation unit needs -maes.
#include "spmc/fast/aesni.hpp"

#include <algorithm>

#include "aes_expand_inline.hpp"
#include "spmc/check.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define SPMC_AESNI 1
#define SPMC_AES_TARGET __attribute__((target("aes,sse4.1")))
#define SPMC_VAES_TARGET __attribute__((target("aes,vaes,avx512f")))
#endif

namespace spmc::fast::aesni {

#if SPMC_AESNI
namespace {

SPMC_AES_TARGET inline __m128i load(const std::uint8_t* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}
SPMC_AES_TARGET inline void store(std::uint8_t* p, __m128i v) {
  _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v);
}

SPMC_AES_TARGET void expand128(const std::uint8_t* key, std::uint8_t* rk) {
  __m128i k[11];
  aes_expand::expand128(key, k);
  for (int r = 0; r < 11; ++r) {
    store(rk + 16 * r, k[r]);
  }
  secure_wipe(std::span(reinterpret_cast<std::uint8_t*>(k), sizeof k));
}

SPMC_AES_TARGET void expand256(const std::uint8_t* key, std::uint8_t* rk) {
  __m128i k[15];
  aes_expand::expand256(key, k);
  for (int r = 0; r < 15; ++r) {
    store(rk + 16 * r, k[r]);
  }
  secure_wipe(std::span(reinterpret_cast<std::uint8_t*>(k), sizeof k));
}

template <int Rounds>
SPMC_AES_TARGET inline __m128i encrypt_block(const std::uint8_t* rk, __m128i b) {
  b = _mm_xor_si128(b, load(rk));
  for (int r = 1; r < Rounds; ++r) {
    b = _mm_aesenc_si128(b, load(rk + 16 * r));
  }
  return _mm_aesenclast_si128(b, load(rk + 16 * Rounds));
}

template <int Rounds>
SPMC_AES_TARGET void twice_one(const std::uint8_t* rk, const Block& in, Block& first,
                               Block& second) {
  const __m128i a = encrypt_block<Rounds>(rk, load(in.data()));
  store(first.data(), a);
  store(second.data(), encrypt_block<Rounds>(rk, a));
}

// One round on every lane: the lanes are independent, so the CPU overlaps their aesenc.
template <int Rounds>
SPMC_AES_TARGET inline void encrypt_lanes(const Schedule* const* keys, __m128i* b) {
  for (std::size_t i = 0; i < kLanes; ++i) {
    b[i] = _mm_xor_si128(b[i], load(keys[i]->round_keys.data()));
  }
  for (int r = 1; r < Rounds; ++r) {
    for (std::size_t i = 0; i < kLanes; ++i) {
      b[i] = _mm_aesenc_si128(b[i], load(keys[i]->round_keys.data() + 16 * r));
    }
  }
  for (std::size_t i = 0; i < kLanes; ++i) {
    b[i] = _mm_aesenclast_si128(b[i], load(keys[i]->round_keys.data() + 16 * Rounds));
  }
}

// Short batches repeat lane 0 to fill all kLanes (the extra results are dropped), so the
// loops above keep a constant trip count and stay unrolled in registers.
template <int Rounds>
SPMC_AES_TARGET void twice_lanes(const Schedule* const* keys, std::size_t n, const Block* in,
                                 Block* first, Block* second) {
  const Schedule* k[kLanes];
  __m128i b[kLanes];
  for (std::size_t i = 0; i < kLanes; ++i) {
    const std::size_t j = i < n ? i : 0;
    k[i] = keys[j];
    b[i] = load(in[j].data());
  }
  encrypt_lanes<Rounds>(k, b);
  for (std::size_t i = 0; i < n; ++i) {
    store(first[i].data(), b[i]);
  }
  encrypt_lanes<Rounds>(k, b);
  for (std::size_t i = 0; i < n; ++i) {
    store(second[i].data(), b[i]);
  }
}

// RAT-002 on four slots under one key, the four chains interleaved round by round; the
// round keys are loaded once per round for all four.
template <int Rounds>
SPMC_AES_TARGET void step_four_rounds(const std::uint8_t* rk, Block* slots, Block* keys) {
  __m128i s[4];
  __m128i b[4];
  for (std::size_t i = 0; i < 4; ++i) {
    s[i] = load(slots[i].data());
    b[i] = s[i];
  }
  for (int pass = 0; pass < 2; ++pass) {
    const __m128i k0 = load(rk);
    for (__m128i& v : b) {
      v = _mm_xor_si128(v, k0);
    }
    for (int r = 1; r < Rounds; ++r) {
      const __m128i k = load(rk + 16 * r);
      for (__m128i& v : b) {
        v = _mm_aesenc_si128(v, k);
      }
    }
    const __m128i last = load(rk + 16 * Rounds);
    for (__m128i& v : b) {
      v = _mm_aesenclast_si128(v, last);
    }
    if (pass == 0) {
      for (std::size_t i = 0; i < 4; ++i) {
        store(keys[i].data(), b[i]);
      }
    }
  }
  for (std::size_t i = 0; i < 4; ++i) {
    store(slots[i].data(), _mm_xor_si128(b[i], s[i]));
  }
}

bool detect() { return __builtin_cpu_supports("aes") && __builtin_cpu_supports("sse4.1"); }

// CPUID leaf 7: EBX bit 16 AVX-512F, ECX bit 9 VAES; and the OS must save the zmm state
// (CPUID.1:ECX.OSXSAVE, then XCR0 bits 1, 2, 5, 6, 7). Asked directly: clang's
// __builtin_cpu_supports does not know "vaes".
__attribute__((target("xsave"))) bool detect_wide() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!detect() || __get_cpuid(1, &a, &b, &c, &d) == 0 || (c & (1U << 27)) == 0) {
    return false;
  }
  constexpr unsigned long long kZmmState = 0xe6;
  if ((_xgetbv(0) & kZmmState) != kZmmState) {
    return false;
  }
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) {
    return false;
  }
  return (b & (1U << 16)) != 0 && (c & (1U << 9)) != 0;
}

// Four lanes' blocks from four places into one register, and back.
SPMC_VAES_TARGET inline __m512i gather_blocks(const Block* const* p) {
  __m512i v = _mm512_castsi128_si512(load(p[0]->data()));
  v = _mm512_inserti32x4(v, load(p[1]->data()), 1);
  v = _mm512_inserti32x4(v, load(p[2]->data()), 2);
  return _mm512_inserti32x4(v, load(p[3]->data()), 3);
}

// The zero-masked extract: GCC 12's plain one starts from _mm512_undefined and trips
// -Wuninitialized; with the full mask 0xf the result is the same.
SPMC_VAES_TARGET inline void scatter_blocks(Block* const* p, __m512i v, std::size_t n) {
  store(p[0]->data(), _mm512_maskz_extracti32x4_epi32(0xf, v, 0));
  if (n > 1) store(p[1]->data(), _mm512_maskz_extracti32x4_epi32(0xf, v, 1));
  if (n > 2) store(p[2]->data(), _mm512_maskz_extracti32x4_epi32(0xf, v, 2));
  if (n > 3) store(p[3]->data(), _mm512_maskz_extracti32x4_epi32(0xf, v, 3));
}

// One AES encryption of every register, round by round across registers so Groups
// independent vaesenc are in flight.
template <int Rounds, int Groups>
SPMC_VAES_TARGET inline void wide_encrypt(const __m512i (*rk)[Rounds + 1], __m512i* b) {
  for (int g = 0; g < Groups; ++g) {
    b[g] = _mm512_xor_si512(b[g], rk[g][0]);
  }
  for (int r = 1; r < Rounds; ++r) {
    for (int g = 0; g < Groups; ++g) {
      b[g] = _mm512_aesenc_epi128(b[g], rk[g][r]);
    }
  }
  for (int g = 0; g < Groups; ++g) {
    b[g] = _mm512_aesenclast_epi128(b[g], rk[g][Rounds]);
  }
}

// Lanes past n repeat lane 0 (their results are not stored), so every register is full.
template <int Rounds, int Groups>
SPMC_VAES_TARGET void step_wide_groups(const Schedule* const* keys, std::size_t n,
                                       Block* const* slots, Block* const* mk) {
  const Schedule* k[4 * Groups];
  Block* s[4 * Groups];
  for (std::size_t i = 0; i < 4 * Groups; ++i) {
    k[i] = keys[i < n ? i : 0];
    s[i] = slots[i < n ? i : 0];
  }
  // Packed once, used by both encryptions. Not wiped: they derive from master keys, which
  // every chain keeps for its whole life anyway (RAT-010 erases slots and message keys).
  // Packed with 128-bit stores, not inserts: 512-bit shuffles were the bottleneck here.
  alignas(64) __m512i rk[Groups][Rounds + 1];
  for (int g = 0; g < Groups; ++g) {
    for (int r = 0; r <= Rounds; ++r) {
      auto* dst = reinterpret_cast<__m128i*>(&rk[g][r]);
      for (int i = 0; i < 4; ++i) {
        dst[i] = load(k[4 * g + i]->round_keys.data() + 16 * r);
      }
    }
  }
  __m512i old[Groups];
  __m512i b[Groups];
  for (int g = 0; g < Groups; ++g) {
    old[g] = gather_blocks(s + 4 * g);
    b[g] = old[g];
  }
  wide_encrypt<Rounds, Groups>(rk, b);
  for (int g = 0; g < Groups; ++g) {
    const std::size_t base = 4 * static_cast<std::size_t>(g);
    scatter_blocks(mk + base, b[g], n - base);
  }
  wide_encrypt<Rounds, Groups>(rk, b);
  for (int g = 0; g < Groups; ++g) {
    const std::size_t base = 4 * static_cast<std::size_t>(g);
    scatter_blocks(s + base, _mm512_xor_si512(b[g], old[g]), n - base);
  }
}

template <int Rounds>
SPMC_VAES_TARGET void step_wide_rounds(const Schedule* const* keys, std::size_t n,
                                       Block* const* slots, Block* const* mk) {
  switch ((n + 3) / 4) {
    case 1:
      return step_wide_groups<Rounds, 1>(keys, n, slots, mk);
    case 2:
      return step_wide_groups<Rounds, 2>(keys, n, slots, mk);
    case 3:
      return step_wide_groups<Rounds, 3>(keys, n, slots, mk);
    case 4:
      return step_wide_groups<Rounds, 4>(keys, n, slots, mk);
    case 5:
      return step_wide_groups<Rounds, 5>(keys, n, slots, mk);
    case 6:
      return step_wide_groups<Rounds, 6>(keys, n, slots, mk);
    case 7:
      return step_wide_groups<Rounds, 7>(keys, n, slots, mk);
    default:
      return step_wide_groups<Rounds, 8>(keys, n, slots, mk);
  }
}

// One register's four message keys to their places; only the last register of a call may
// hold padding lanes (at or past `lanes`), whose keys are not written.
template <bool Full>
SPMC_VAES_TARGET inline void store_keys(__m512i v, std::size_t base, std::size_t lanes,
                                        PackedOut out) {
  const std::size_t* off = out.mk_offset + base;
  store(out.mk_base + off[0], _mm512_maskz_extracti32x4_epi32(0xf, v, 0));
  if (Full || base + 1 < lanes)
    store(out.mk_base + off[1], _mm512_maskz_extracti32x4_epi32(0xf, v, 1));
  if (Full || base + 2 < lanes)
    store(out.mk_base + off[2], _mm512_maskz_extracti32x4_epi32(0xf, v, 2));
  if (Full || base + 3 < lanes)
    store(out.mk_base + off[3], _mm512_maskz_extracti32x4_epi32(0xf, v, 3));
}

// Groups registers of pre-packed lanes: loads of keys and slots only, no gathering.
template <int Rounds, int Groups, bool Full>
SPMC_VAES_TARGET void packed_chunk(const std::uint8_t* round_keys, std::uint8_t* slots,
                                   std::size_t slot_stride, std::size_t lanes, PackedOut out) {
  const auto* rk = reinterpret_cast<const __m512i(*)[Rounds + 1]>(round_keys);
  __m512i old[Groups];
  __m512i b[Groups];
#pragma GCC unroll 8
  for (int g = 0; g < Groups; ++g) {
    old[g] = _mm512_load_si512(slots + static_cast<std::size_t>(g) * slot_stride);
    b[g] = old[g];
  }
  wide_encrypt<Rounds, Groups>(rk, b);
#pragma GCC unroll 8
  for (int g = 0; g < Groups; ++g) {
    store_keys<Full>(b[g], 4 * static_cast<std::size_t>(g), lanes, out);
  }
  wide_encrypt<Rounds, Groups>(rk, b);
#pragma GCC unroll 8
  for (int g = 0; g < Groups; ++g) {
    _mm512_store_si512(slots + static_cast<std::size_t>(g) * slot_stride,
                       _mm512_xor_si512(b[g], old[g]));
  }
}

// Full chunks of eight registers, then one partial chunk (its last register may be padded).
template <int Rounds, int Groups>
SPMC_VAES_TARGET void packed_tail(const std::uint8_t* round_keys, std::uint8_t* slots,
                                  std::size_t slot_stride, std::size_t lanes, PackedOut out) {
  if (lanes == 4 * Groups) {
    packed_chunk<Rounds, Groups, true>(round_keys, slots, slot_stride, lanes, out);
  } else {
    packed_chunk<Rounds, Groups, false>(round_keys, slots, slot_stride, lanes, out);
  }
}

template <int Rounds>
SPMC_VAES_TARGET void step_packed_rounds(std::size_t lanes, const std::uint8_t* round_keys,
                                         std::uint8_t* slots, std::size_t slot_stride,
                                         const PackedOut& out) {
  constexpr std::size_t kGroupKeyBytes = (Rounds + 1) * kRegisterBytes;
  constexpr std::size_t kMaxGroups = kWideLanes / 4;
  std::size_t g0 = 0;
  for (; 4 * (g0 + kMaxGroups) <= lanes; g0 += kMaxGroups) {
    packed_chunk<Rounds, kMaxGroups, true>(round_keys + g0 * kGroupKeyBytes,
                                           slots + g0 * slot_stride, slot_stride, 4 * kMaxGroups,
                                           PackedOut{out.mk_base, out.mk_offset + 4 * g0});
  }
  if (4 * g0 == lanes) {
    return;
  }
  const std::uint8_t* rk = round_keys + g0 * kGroupKeyBytes;
  std::uint8_t* s = slots + g0 * slot_stride;
  const PackedOut o{out.mk_base, out.mk_offset + 4 * g0};
  const std::size_t n = lanes - 4 * g0;
  switch ((n + 3) / 4) {
    case 1:
      return packed_tail<Rounds, 1>(rk, s, slot_stride, n, o);
    case 2:
      return packed_tail<Rounds, 2>(rk, s, slot_stride, n, o);
    case 3:
      return packed_tail<Rounds, 3>(rk, s, slot_stride, n, o);
    case 4:
      return packed_tail<Rounds, 4>(rk, s, slot_stride, n, o);
    case 5:
      return packed_tail<Rounds, 5>(rk, s, slot_stride, n, o);
    case 6:
      return packed_tail<Rounds, 6>(rk, s, slot_stride, n, o);
    case 7:
      return packed_tail<Rounds, 7>(rk, s, slot_stride, n, o);
    default:
      return packed_tail<Rounds, 8>(rk, s, slot_stride, n, o);
  }
}

}  // namespace

SPMC_VAES_TARGET void step_packed(int rounds, std::size_t lanes, const std::uint8_t* round_keys,
                                  std::uint8_t* slots, std::size_t slot_stride,
                                  const PackedOut& out) {
  SPMC_CHECK(wide_available() && (rounds == 10 || rounds == 14));
  if (rounds == 10) {
    step_packed_rounds<10>(lanes, round_keys, slots, slot_stride, out);
  } else {
    step_packed_rounds<14>(lanes, round_keys, slots, slot_stride, out);
  }
}

bool available() {
  static const bool has_aes = detect();
  return has_aes;
}

bool wide_available() {
  static const bool has_wide = detect_wide();
  return has_wide;
}

SPMC_VAES_TARGET void step_wide(const Schedule* const* keys, std::size_t n, Block* const* slots,
                                Block* const* mk) {
  SPMC_CHECK(wide_available() && n >= 1 && n <= kWideLanes);
  if (keys[0]->rounds == 10) {
    step_wide_rounds<10>(keys, n, slots, mk);
  } else {
    step_wide_rounds<14>(keys, n, slots, mk);
  }
}

SPMC_AES_TARGET void expand(ByteView key, Schedule& out) {
  SPMC_CHECK(available() && supports_key_size(key.size()));
  if (key.size() == 16) {
    expand128(key.data(), out.round_keys.data());
    out.rounds = 10;
  } else {
    expand256(key.data(), out.round_keys.data());
    out.rounds = 14;
  }
}

SPMC_AES_TARGET void encrypt_twice(const Schedule& key, const Block& in, Block& first,
                                   Block& second) {
  if (key.rounds == 10) {
    twice_one<10>(key.round_keys.data(), in, first, second);
  } else {
    twice_one<14>(key.round_keys.data(), in, first, second);
  }
}

SPMC_AES_TARGET void step_four(const Schedule& key, Block* slots, Block* keys) {
  if (key.rounds == 10) {
    step_four_rounds<10>(key.round_keys.data(), slots, keys);
  } else {
    step_four_rounds<14>(key.round_keys.data(), slots, keys);
  }
}

SPMC_AES_TARGET void encrypt(const Schedule& key, const Block& in, Block& out) {
  const __m128i b = load(in.data());
  store(out.data(), key.rounds == 10 ? encrypt_block<10>(key.round_keys.data(), b)
                                     : encrypt_block<14>(key.round_keys.data(), b));
}

SPMC_AES_TARGET void encrypt_twice_lanes(const Schedule* const* keys, std::size_t n,
                                         const Block* in, Block* first, Block* second) {
  SPMC_CHECK(n >= 1 && n <= kLanes);
  if (keys[0]->rounds == 10) {
    twice_lanes<10>(keys, n, in, first, second);
  } else {
    twice_lanes<14>(keys, n, in, first, second);
  }
}

#else  // not x86-64 with GCC/Clang: no fast path; callers check available() first.

bool available() { return false; }
bool wide_available() { return false; }
void step_wide(const Schedule* const*, std::size_t, Block* const*, Block* const*) {
  SPMC_CHECK(false);
}
void step_packed(int, std::size_t, const std::uint8_t*, std::uint8_t*, std::size_t,
                 const PackedOut&) {
  SPMC_CHECK(false);
}
void expand(ByteView, Schedule&) { SPMC_CHECK(false); }
void encrypt_twice(const Schedule&, const Block&, Block&, Block&) { SPMC_CHECK(false); }
void encrypt(const Schedule&, const Block&, Block&) { SPMC_CHECK(false); }
void step_four(const Schedule&, Block*, Block*) { SPMC_CHECK(false); }
void encrypt_twice_lanes(const Schedule* const*, std::size_t, const Block*, Block*, Block*) {
  SPMC_CHECK(false);
}

#endif

bool supports_key_size(std::size_t key_size) { return key_size == 16 || key_size == 32; }

}  // namespace spmc::fast::aesni
