// AES-NI key expansion and encryption (Intel's AES-NI white paper, key expansion section),
// compiled with per-function target attributes so no translation unit needs -maes.
#include "aesni.hpp"

#include "spmc/check.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define SPMC_AESNI 1
#define SPMC_AES_TARGET __attribute__((target("aes,sse4.1")))
#endif

namespace spmc::crypto::aesni {

#if SPMC_AESNI
namespace {

SPMC_AES_TARGET inline __m128i load(const std::uint8_t* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}
SPMC_AES_TARGET inline void store(std::uint8_t* p, __m128i v) {
  _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v);
}

// w ^= w << 32 ^ w << 64 ^ w << 96: the running XOR of the previous round key's words.
SPMC_AES_TARGET inline __m128i prefix_xor(__m128i w) {
  w = _mm_xor_si128(w, _mm_slli_si128(w, 4));
  w = _mm_xor_si128(w, _mm_slli_si128(w, 4));
  return _mm_xor_si128(w, _mm_slli_si128(w, 4));
}

template <int Rcon>
SPMC_AES_TARGET inline __m128i next128(__m128i key) {
  const __m128i assist = _mm_shuffle_epi32(_mm_aeskeygenassist_si128(key, Rcon), 0xff);
  return _mm_xor_si128(prefix_xor(key), assist);
}

SPMC_AES_TARGET void expand128(const std::uint8_t* key, std::uint8_t* rk) {
  __m128i k = load(key);
  store(rk, k);
  k = next128<0x01>(k), store(rk + 16, k);
  k = next128<0x02>(k), store(rk + 32, k);
  k = next128<0x04>(k), store(rk + 48, k);
  k = next128<0x08>(k), store(rk + 64, k);
  k = next128<0x10>(k), store(rk + 80, k);
  k = next128<0x20>(k), store(rk + 96, k);
  k = next128<0x40>(k), store(rk + 112, k);
  k = next128<0x80>(k), store(rk + 128, k);
  k = next128<0x1b>(k), store(rk + 144, k);
  k = next128<0x36>(k), store(rk + 160, k);
}

// AES-256: even round keys take RotWord+SubWord+Rcon of the odd one before, odd round keys
// SubWord only (shuffle 0xaa picks the un-rotated word of aeskeygenassist).
template <int Rcon>
SPMC_AES_TARGET inline void next256(__m128i& even, __m128i& odd, std::uint8_t* rk) {
  even = _mm_xor_si128(prefix_xor(even),
                       _mm_shuffle_epi32(_mm_aeskeygenassist_si128(odd, Rcon), 0xff));
  store(rk, even);
  if constexpr (Rcon != 0x40) {
    odd =
        _mm_xor_si128(prefix_xor(odd), _mm_shuffle_epi32(_mm_aeskeygenassist_si128(even, 0), 0xaa));
    store(rk + 16, odd);
  }
}

SPMC_AES_TARGET void expand256(const std::uint8_t* key, std::uint8_t* rk) {
  __m128i even = load(key);
  __m128i odd = load(key + 16);
  store(rk, even);
  store(rk + 16, odd);
  next256<0x01>(even, odd, rk + 32);
  next256<0x02>(even, odd, rk + 64);
  next256<0x04>(even, odd, rk + 96);
  next256<0x08>(even, odd, rk + 128);
  next256<0x10>(even, odd, rk + 160);
  next256<0x20>(even, odd, rk + 192);
  next256<0x40>(even, odd, rk + 224);
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

bool detect() { return __builtin_cpu_supports("aes") && __builtin_cpu_supports("sse4.1"); }

}  // namespace

bool available() {
  static const bool has_aes = detect();
  return has_aes;
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
void expand(ByteView, Schedule&) { SPMC_CHECK(false); }
void encrypt_twice(const Schedule&, const Block&, Block&, Block&) { SPMC_CHECK(false); }
void encrypt(const Schedule&, const Block&, Block&) { SPMC_CHECK(false); }
void encrypt_twice_lanes(const Schedule* const*, std::size_t, const Block*, Block*, Block*) {
  SPMC_CHECK(false);
}

#endif

bool supports_key_size(std::size_t key_size) { return key_size == 16 || key_size == 32; }

}  // namespace spmc::crypto::aesni
