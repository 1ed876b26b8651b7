#include "spmc/sim/random.hpp"

#include <bit>

#include "spmc/check.hpp"
#include "spmc/crypto.hpp"

namespace spmc::sim {

std::uint64_t splitmix64_next(std::uint64_t& state) {
  state += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Prng::Prng(std::uint64_t seed) {
  for (std::uint64_t& word : m_s) {
    word = splitmix64_next(seed);
  }
}

std::uint64_t Prng::next() {
  const std::uint64_t result = std::rotl(m_s[1] * 5, 7) * 9;
  const std::uint64_t t = m_s[1] << 17;
  m_s[2] ^= m_s[0];
  m_s[3] ^= m_s[1];
  m_s[1] ^= m_s[2];
  m_s[0] ^= m_s[3];
  m_s[2] ^= t;
  m_s[3] = std::rotl(m_s[3], 45);
  return result;
}

std::uint64_t Prng::uniform(std::uint64_t bound) {
  SPMC_CHECK(bound > 0);
  // 2^64 mod bound, computed in 64 bits: the low outputs that would make r % bound biased.
  const std::uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    const std::uint64_t r = next();
    if (r >= threshold) {
      return r % bound;
    }
  }
}

std::uint64_t Prng::uniform_range(std::uint64_t lo, std::uint64_t hi) {
  SPMC_CHECK(lo <= hi);
  if (lo == 0 && hi == UINT64_MAX) {
    return next();
  }
  return lo + uniform(hi - lo + 1);
}

bool Prng::bernoulli_ppm(std::uint32_t ppm) {
  SPMC_CHECK(ppm <= kPpmOne);
  if (ppm == 0) {
    return false;  // draw nothing: a fault switched off leaves the stream untouched
  }
  return uniform(kPpmOne) < ppm;
}

std::uint64_t neg_log2_q16(std::uint64_t m) {
  SPMC_CHECK(m >= 1 && m <= (std::uint64_t{1} << 53));
  // log2(m) = k + log2(y) with y = m / 2^k in [1, 2): the binary logarithm by repeated
  // squaring, y kept in Q31 so y * y fits in 64 bits.
  const int k = 63 - std::countl_zero(m);
  std::uint64_t y = k >= 31 ? m >> (k - 31) : m << (31 - k);
  std::uint64_t frac = 0;
  for (int bit = 0; bit < 16; ++bit) {
    y = (y * y) >> 31;
    frac <<= 1;
    if (y >= (std::uint64_t{1} << 32)) {
      y >>= 1;
      frac |= 1;
    }
  }
  const std::uint64_t log2_q16 = (static_cast<std::uint64_t>(k) << 16) | frac;
  return (std::uint64_t{53} << 16) - log2_q16;
}

std::uint64_t Prng::exponential(std::uint64_t mean) {
  if (mean == 0) {
    return 0;
  }
  // -ln(U) = -log2(U) * ln 2, U uniform in (0, 1] with 53 bits.
  const std::uint64_t m = (next() >> 11) + 1;
  constexpr std::uint64_t kLn2Q16 = 45426;  // round(ln 2 * 2^16)
  const std::uint64_t neg_ln_q16 = (neg_log2_q16(m) * kLn2Q16) >> 16;
  // mean * neg_ln / 2^16 without overflow for means below 2^42.
  SPMC_CHECK(mean < (std::uint64_t{1} << 42));
  return (mean * neg_ln_q16) >> 16;
}

namespace {
std::uint64_t seed_from_label(std::uint64_t world_seed, std::string_view label) {
  constexpr std::string_view kDomain = "spmc-sim-seed";
  Bytes input(kDomain.begin(), kDomain.end());
  input.push_back(0);
  for (int shift = 56; shift >= 0; shift -= 8) {
    input.push_back(static_cast<std::uint8_t>(world_seed >> shift));
  }
  input.insert(input.end(), label.begin(), label.end());
  const crypto::Digest digest = crypto::sha256(input);
  std::uint64_t out = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    out = (out << 8) | digest[i];
  }
  return out;
}
}  // namespace

std::uint64_t SeedTree::seed(std::string_view label) const {
  return seed_from_label(m_world_seed, label);
}

std::uint64_t SeedTree::seed(std::string_view label, std::uint64_t index) const {
  std::string full(label);
  full += '/';
  full += std::to_string(index);
  return seed_from_label(m_world_seed, full);
}

}  // namespace spmc::sim
