#pragma once
// AES-128 and AES-256 key expansion into registers with AES-NI (Intel's AES-NI white paper,
// key expansion section), shared by aesni.cpp (which stores the schedule) and gcm_clmul.cpp
// (which keeps it in registers so its first encryptions overlap the expansion). Internal
// header: x86-64 with GCC or clang only; callers guard on SPMC_AES_EXPAND_INLINE.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#include <cstdint>

#define SPMC_AES_EXPAND_INLINE 1
#define SPMC_AES_EXPAND_TARGET __attribute__((target("aes,sse4.1")))

namespace spmc::fast::aes_expand {

// w ^= w << 32 ^ w << 64 ^ w << 96: the running XOR of the previous round key's words.
SPMC_AES_EXPAND_TARGET inline __m128i prefix_xor(__m128i w) {
  w = _mm_xor_si128(w, _mm_slli_si128(w, 4));
  w = _mm_xor_si128(w, _mm_slli_si128(w, 4));
  return _mm_xor_si128(w, _mm_slli_si128(w, 4));
}

template <int Rcon>
SPMC_AES_EXPAND_TARGET inline __m128i next128(__m128i key) {
  const __m128i assist = _mm_shuffle_epi32(_mm_aeskeygenassist_si128(key, Rcon), 0xff);
  return _mm_xor_si128(prefix_xor(key), assist);
}

// rk[0..10] from the 16-byte key.
SPMC_AES_EXPAND_TARGET inline void expand128(const std::uint8_t* key, __m128i* rk) {
  rk[0] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key));
  rk[1] = next128<0x01>(rk[0]);
  rk[2] = next128<0x02>(rk[1]);
  rk[3] = next128<0x04>(rk[2]);
  rk[4] = next128<0x08>(rk[3]);
  rk[5] = next128<0x10>(rk[4]);
  rk[6] = next128<0x20>(rk[5]);
  rk[7] = next128<0x40>(rk[6]);
  rk[8] = next128<0x80>(rk[7]);
  rk[9] = next128<0x1b>(rk[8]);
  rk[10] = next128<0x36>(rk[9]);
}

// AES-256: even round keys take RotWord+SubWord+Rcon of the odd one before, odd round keys
// SubWord only (shuffle 0xaa picks the un-rotated word of aeskeygenassist).
template <int Rcon>
SPMC_AES_EXPAND_TARGET inline void next256(__m128i* rk) {
  rk[2] = _mm_xor_si128(prefix_xor(rk[0]),
                        _mm_shuffle_epi32(_mm_aeskeygenassist_si128(rk[1], Rcon), 0xff));
  if constexpr (Rcon != 0x40) {
    rk[3] = _mm_xor_si128(prefix_xor(rk[1]),
                          _mm_shuffle_epi32(_mm_aeskeygenassist_si128(rk[2], 0), 0xaa));
  }
}

// rk[0..14] from the 32-byte key.
SPMC_AES_EXPAND_TARGET inline void expand256(const std::uint8_t* key, __m128i* rk) {
  rk[0] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key));
  rk[1] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key + 16));
  next256<0x01>(rk);
  next256<0x02>(rk + 2);
  next256<0x04>(rk + 4);
  next256<0x08>(rk + 6);
  next256<0x10>(rk + 8);
  next256<0x20>(rk + 10);
  next256<0x40>(rk + 12);
}

}  // namespace spmc::fast::aes_expand
#endif
