// AES-GCM with AES-NI and PCLMULQDQ (see gcm_clmul.hpp). Short envelopes dominate the
// protocol (a 64-byte body is 5 blocks under a 3-block header), so the design keeps the
// fixed cost low: the key schedule is expanded in registers while the first batch of eight
// interleaved encryptions yields H = E(0), E(J0) and the first six keystream blocks, and
// GHASH aggregates four blocks per reduction across AAD, text and lengths.
#include "spmc/fast/gcm_clmul.hpp"

#include <cstring>

#include "aes_expand_inline.hpp"
#include "spmc/check.hpp"
#include "spmc/fast/aesni.hpp"

#if SPMC_AES_EXPAND_INLINE
#include <cpuid.h>
#define SPMC_GCM_CLMUL 1
#define SPMC_GCM_TARGET __attribute__((target("aes,pclmul,ssse3,sse4.1")))
#endif

namespace spmc::fast::gcm_clmul {

#if SPMC_GCM_CLMUL
namespace {

constexpr std::size_t kBlock = 16;
constexpr std::size_t kBatch = 8;  // enough independent aesenc to hide their latency
// SP 800-38D: at most 2^32 - 2 blocks per message under a 96-bit IV (the 32-bit counter).
constexpr std::size_t kMaxText = (std::size_t{1} << 36) - 32;

SPMC_GCM_TARGET inline __m128i load(const std::uint8_t* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}
SPMC_GCM_TARGET inline void store(std::uint8_t* p, __m128i v) {
  _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v);
}

// GHASH works on bit-reflected field elements: reversing the bytes of a block makes the
// polynomial's x^0 coefficient the integer's top bit, which PCLMULQDQ can multiply.
SPMC_GCM_TARGET inline __m128i reflect(__m128i v) {
  return _mm_shuffle_epi8(v, _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}

// Byte shifts by a run-time count through PSHUFB (index 0x80 gives zero).
alignas(16) constexpr std::uint8_t kShuffle[48] = {
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
    0,    1,    2,    3,    4,    5,    6,    7,    8,    9,    10,   11,   12,   13,   14,   15,
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80};

// The last t (< 16) bytes of v moved to the front, zeros behind.
SPMC_GCM_TARGET inline __m128i last_to_front(__m128i v, std::size_t t) {
  return _mm_shuffle_epi8(v, load(kShuffle + 32 - t));
}
// The first t (< 16) bytes of v moved to the back, zeros before.
SPMC_GCM_TARGET inline __m128i first_to_back(__m128i v, std::size_t t) {
  return _mm_shuffle_epi8(v, load(kShuffle + t));
}

// The n (< 16) bytes at p, zero padded. When the buffer they end has 16 bytes or more
// (have >= 16), one load of the 16 bytes ending at p + n: no copy through memory.
SPMC_GCM_TARGET inline __m128i load_tail(const std::uint8_t* p, std::size_t n, std::size_t have) {
  if (have >= kBlock) {
    return last_to_front(load(p + n - kBlock), n);
  }
  alignas(16) std::uint8_t last[kBlock] = {};
  std::memcpy(last, p, n);
  return load(last);
}

// An unreduced 256-bit carry-less product, or an XOR of several (the reduction is linear,
// so four products share one).
struct Wide {
  __m128i lo;
  __m128i mid;
  __m128i hi;
};

SPMC_GCM_TARGET inline Wide multiply(__m128i a, __m128i b) {
  return Wide{_mm_clmulepi64_si128(a, b, 0x00),
              _mm_xor_si128(_mm_clmulepi64_si128(a, b, 0x10), _mm_clmulepi64_si128(a, b, 0x01)),
              _mm_clmulepi64_si128(a, b, 0x11)};
}

SPMC_GCM_TARGET inline void accumulate(Wide& acc, const Wide& w) {
  acc.lo = _mm_xor_si128(acc.lo, w.lo);
  acc.mid = _mm_xor_si128(acc.mid, w.mid);
  acc.hi = _mm_xor_si128(acc.hi, w.hi);
}

// The reflected product is one bit short of the reflected 256-bit result: shift left by one,
// then reduce modulo x^128 + x^7 + x^2 + x + 1 (white paper, algorithm 5).
SPMC_GCM_TARGET inline __m128i reduce(const Wide& w) {
  __m128i lo = _mm_xor_si128(w.lo, _mm_slli_si128(w.mid, 8));
  __m128i hi = _mm_xor_si128(w.hi, _mm_srli_si128(w.mid, 8));
  const __m128i lo_top = _mm_srli_epi32(lo, 31);
  const __m128i hi_top = _mm_srli_epi32(hi, 31);
  lo = _mm_or_si128(_mm_slli_epi32(lo, 1), _mm_slli_si128(lo_top, 4));
  hi = _mm_or_si128(_mm_or_si128(_mm_slli_epi32(hi, 1), _mm_slli_si128(hi_top, 4)),
                    _mm_srli_si128(lo_top, 12));
  const __m128i a = _mm_xor_si128(_mm_xor_si128(_mm_slli_epi32(lo, 31), _mm_slli_epi32(lo, 30)),
                                  _mm_slli_epi32(lo, 25));
  lo = _mm_xor_si128(lo, _mm_slli_si128(a, 12));
  __m128i b = _mm_xor_si128(_mm_xor_si128(_mm_srli_epi32(lo, 1), _mm_srli_epi32(lo, 2)),
                            _mm_srli_epi32(lo, 7));
  b = _mm_xor_si128(b, _mm_srli_si128(a, 4));
  return _mm_xor_si128(hi, _mm_xor_si128(lo, b));
}

SPMC_GCM_TARGET inline __m128i gf_multiply(__m128i a, __m128i b) { return reduce(multiply(a, b)); }

// GHASH_H over a stream fed as whole blocks and zero-padded tails (SP 800-38D 6.4). Blocks
// are taken four at a time across AAD, text and lengths alike:
// X' = (X + B0) H^4 + B1 H^3 + B2 H^2 + B3 H costs one reduction, so the chain of dependent
// multiplications a short envelope waits on (3 AAD blocks, 5 text blocks and the lengths) is
// three reductions long, not nine; a short group at the end uses H^k .. H.
class Ghash {
 public:
  SPMC_GCM_TARGET Ghash(__m128i h, std::size_t total_blocks) : m_x(_mm_setzero_si128()) {
    m_h[0] = h;
    if (total_blocks >= 2) {
      m_h[1] = gf_multiply(h, h);
      m_h[2] = gf_multiply(m_h[1], h);
      m_h[3] = gf_multiply(m_h[1], m_h[1]);
    }
  }

  SPMC_GCM_TARGET void blocks(const std::uint8_t* p, std::size_t n) {
    for (; n > 0 && m_pending != 0; --n, p += kBlock) {
      push(reflect(load(p)));
    }
    for (; n >= 4; n -= 4, p += 4 * kBlock) {
      Wide acc = multiply(_mm_xor_si128(m_x, reflect(load(p))), m_h[3]);
      accumulate(acc, multiply(reflect(load(p + kBlock)), m_h[2]));
      accumulate(acc, multiply(reflect(load(p + 2 * kBlock)), m_h[1]));
      accumulate(acc, multiply(reflect(load(p + 3 * kBlock)), m_h[0]));
      m_x = reduce(acc);
    }
    for (; n > 0; --n, p += kBlock) {
      push(reflect(load(p)));
    }
  }

  // All of p's n bytes: whole blocks, then the tail padded with zeros.
  SPMC_GCM_TARGET void bytes(const std::uint8_t* p, std::size_t n) {
    blocks(p, n / kBlock);
    if (n % kBlock != 0) {
      push(reflect(load_tail(p + n - n % kBlock, n % kBlock, n)));
    }
  }

  SPMC_GCM_TARGET void lengths(std::size_t aad_bytes, std::size_t text_bytes) {
    // [len(A)]_64 || [len(C)]_64 in bits, big-endian; reflected that is (len(A), len(C)) as
    // the high and low 64-bit lanes.
    const std::uint64_t aad_bits = aad_bytes * 8;
    const std::uint64_t text_bits = text_bytes * 8;
    push(_mm_set_epi64x(static_cast<long long>(aad_bits), static_cast<long long>(text_bits)));
  }

  SPMC_GCM_TARGET __m128i digest() {
    flush();
    return reflect(m_x);
  }

  SPMC_GCM_TARGET void wipe() {
    m_x = _mm_setzero_si128();
    for (__m128i& h : m_h) {
      h = _mm_setzero_si128();
    }
    for (__m128i& b : m_buf) {
      b = _mm_setzero_si128();
    }
  }

 private:
  SPMC_GCM_TARGET void push(__m128i reflected) {
    m_buf[m_pending++] = reflected;
    if (m_pending == 4) {
      flush();
    }
  }

  // X' = (X + B0) H^k + B1 H^(k-1) + ... + B(k-1) H for the k pending blocks.
  SPMC_GCM_TARGET void flush() {
    if (m_pending == 0) {
      return;
    }
    const std::size_t k = m_pending;
    Wide acc = multiply(_mm_xor_si128(m_x, m_buf[0]), m_h[k - 1]);
    for (std::size_t i = 1; i < k; ++i) {
      accumulate(acc, multiply(m_buf[i], m_h[k - 1 - i]));
    }
    m_x = reduce(acc);
    m_pending = 0;
  }

  __m128i m_x;
  __m128i m_h[4] = {};
  __m128i m_buf[4] = {};
  std::size_t m_pending = 0;
};

// Eight blocks through AES at once, round by round so the aesenc overlap.
template <int Rounds>
SPMC_GCM_TARGET inline void encrypt8(const __m128i* rk, __m128i* b) {
  for (std::size_t i = 0; i < kBatch; ++i) {
    b[i] = _mm_xor_si128(b[i], rk[0]);
  }
  for (int r = 1; r < Rounds; ++r) {
    for (std::size_t i = 0; i < kBatch; ++i) {
      b[i] = _mm_aesenc_si128(b[i], rk[r]);
    }
  }
  for (std::size_t i = 0; i < kBatch; ++i) {
    b[i] = _mm_aesenclast_si128(b[i], rk[Rounds]);
  }
}

// keystream XOR the `take` bytes at in, to out. A short last block (take < 16) of a text of
// 16 bytes or more (end) is written as the 16 bytes ending there, the earlier ones being the
// ciphertext already written (in place too: those bytes of in are no longer read).
SPMC_GCM_TARGET inline void xor_out(__m128i keystream, const std::uint8_t* in, std::size_t take,
                                    std::uint8_t* out, std::size_t end) {
  if (take == kBlock) {
    store(out, _mm_xor_si128(keystream, load(in)));
    return;
  }
  if (end >= kBlock) {
    const std::size_t back = kBlock - take;
    const __m128i mask = first_to_back(_mm_set1_epi8(-1), take);
    const __m128i text = _mm_xor_si128(load(in - back), first_to_back(keystream, take));
    store(out - back, _mm_blendv_epi8(load(out - back), text, mask));
    return;
  }
  alignas(16) std::uint8_t buf[kBlock] = {};
  std::memcpy(buf, in, take);
  store(buf, _mm_xor_si128(keystream, load(buf)));
  std::memcpy(out, buf, take);
}

// CTR over n bytes from counter 2 on (SP 800-38D GCTR with inc32(J0)). When head is given,
// the first batch also encrypts 0^128 and J0: head[0] = H, head[1] = E(J0).
template <int Rounds>
SPMC_GCM_TARGET void ctr(const __m128i* rk, const std::uint8_t* iv, const std::uint8_t* in,
                         std::size_t n, std::uint8_t* out, __m128i* head) {
  alignas(16) std::uint8_t iv_block[kBlock] = {};
  std::memcpy(iv_block, iv, kIvSize);
  const __m128i base = load(iv_block);
  std::uint32_t counter = 2;
  std::size_t done = 0;
  bool first = head != nullptr;
  while (first || done < n) {
    __m128i b[kBatch];
    std::size_t lane = 0;
    if (first) {
      b[0] = _mm_setzero_si128();
      b[1] = _mm_insert_epi32(base, static_cast<int>(__builtin_bswap32(1)), 3);
      lane = 2;
    }
    const std::size_t data_lane = lane;
    for (; lane < kBatch; ++lane) {  // IV || [counter]_32
      b[lane] = _mm_insert_epi32(base, static_cast<int>(__builtin_bswap32(counter++)), 3);
    }
    encrypt8<Rounds>(rk, b);
    if (first) {
      head[0] = b[0];
      head[1] = b[1];
      first = false;
    }
    for (lane = data_lane; lane < kBatch && done < n; ++lane) {
      const std::size_t take = n - done < kBlock ? n - done : kBlock;
      xor_out(b[lane], in + done, take, out + done, n);
      done += take;
    }
    for (__m128i& v : b) {
      v = _mm_setzero_si128();
    }
  }
}

std::size_t blocks_of(std::size_t bytes) { return (bytes + kBlock - 1) / kBlock; }

SPMC_GCM_TARGET __m128i tag_of(__m128i h, __m128i ej0, ByteView aad, const std::uint8_t* text,
                               std::size_t text_size) {
  Ghash g(reflect(h), blocks_of(aad.size()) + blocks_of(text_size) + 1);
  g.bytes(aad.data(), aad.size());
  g.bytes(text, text_size);
  g.lengths(aad.size(), text_size);
  const __m128i tag = _mm_xor_si128(g.digest(), ej0);
  g.wipe();
  return tag;
}

// The key schedule stays in registers (or at worst the stack), expanded inline so the first
// batch of encryptions starts while the later round keys are still being computed.
template <int Rounds>
SPMC_GCM_TARGET inline void expand(ByteView key, __m128i* rk) {
  if constexpr (Rounds == 10) {
    aes_expand::expand128(key.data(), rk);
  } else {
    aes_expand::expand256(key.data(), rk);
  }
}

template <int Rounds>
SPMC_GCM_TARGET void seal_rounds(ByteView key, const std::uint8_t* iv, ByteView aad,
                                 ByteView plaintext, std::uint8_t* out) {
  __m128i rk[Rounds + 1];
  expand<Rounds>(key, rk);
  __m128i head[2];
  ctr<Rounds>(rk, iv, plaintext.data(), plaintext.size(), out, head);
  store(out + plaintext.size(), tag_of(head[0], head[1], aad, out, plaintext.size()));
  head[0] = head[1] = _mm_setzero_si128();
  secure_wipe(std::span(reinterpret_cast<std::uint8_t*>(rk), sizeof rk));
}

template <int Rounds>
SPMC_GCM_TARGET bool open_rounds(ByteView key, const std::uint8_t* iv, ByteView aad,
                                 ByteView ciphertext, std::uint8_t* out) {
  const std::size_t n = ciphertext.size() - kTagSize;
  __m128i rk[Rounds + 1];
  expand<Rounds>(key, rk);
  __m128i head[2];
  ctr<Rounds>(rk, iv, nullptr, 0, nullptr, head);
  const __m128i expected = tag_of(head[0], head[1], aad, ciphertext.data(), n);
  head[0] = head[1] = _mm_setzero_si128();
  // Constant time: every byte of the tag is compared whatever the first difference.
  const __m128i diff = _mm_xor_si128(expected, load(ciphertext.data() + n));
  const bool ok = _mm_testz_si128(diff, diff) != 0;
  if (ok) {
    ctr<Rounds>(rk, iv, ciphertext.data(), n, out, nullptr);
  }
  secure_wipe(std::span(reinterpret_cast<std::uint8_t*>(rk), sizeof rk));
  return ok;
}

bool detect() {
  return __builtin_cpu_supports("aes") && __builtin_cpu_supports("pclmul") &&
         __builtin_cpu_supports("ssse3") && __builtin_cpu_supports("sse4.1");
}

}  // namespace

bool available() {
  static const bool has = detect();
  return has;
}

void seal(ByteView key, const std::uint8_t* iv, ByteView aad, ByteView plaintext,
          std::uint8_t* out) {
  SPMC_CHECK(available() && supports_key_size(key.size()) && plaintext.size() <= kMaxText);
  if (key.size() == 16) {
    seal_rounds<10>(key, iv, aad, plaintext, out);
  } else {
    seal_rounds<14>(key, iv, aad, plaintext, out);
  }
}

bool open(ByteView key, const std::uint8_t* iv, ByteView aad, ByteView ciphertext,
          std::uint8_t* out) {
  SPMC_CHECK(available() && supports_key_size(key.size()) && ciphertext.size() >= kTagSize &&
             ciphertext.size() - kTagSize <= kMaxText);
  return key.size() == 16 ? open_rounds<10>(key, iv, aad, ciphertext, out)
                          : open_rounds<14>(key, iv, aad, ciphertext, out);
}

#else

bool available() { return false; }
void seal(ByteView, const std::uint8_t*, ByteView, ByteView, std::uint8_t*) { SPMC_CHECK(false); }
bool open(ByteView, const std::uint8_t*, ByteView, ByteView, std::uint8_t*) {
  SPMC_CHECK(false);
  return false;
}

#endif

// The AES-NI key expansion it runs on decides which key sizes it takes.
bool supports_key_size(std::size_t key_size) { return aesni::supports_key_size(key_size); }

}  // namespace spmc::fast::gcm_clmul
