#pragma once
// Portable deterministic randomness for the simulator. Every draw is integer arithmetic
// written here (no std:: distributions, whose algorithms differ between standard
// libraries), so a seed gives the same world on every machine.
#include <cstdint>
#include <string>
#include <string_view>

namespace spmc::sim {

// SplitMix64 (Steele, Lea, Flood 2014): advances `state` and returns the next output.
// Used only to expand a 64-bit seed into xoshiro's 256-bit state.
std::uint64_t splitmix64_next(std::uint64_t& state);

inline constexpr std::uint32_t kPpmOne = 1'000'000;

// xoshiro256** 1.0 (Blackman, Vigna 2018), seeded with four SplitMix64 outputs as the
// authors recommend. Also a UniformRandomBitGenerator, so Boost.Graph generators can
// draw from it; it is cheap to copy (Boost's small-world iterator copies its engine).
class Prng {
 public:
  using result_type = std::uint64_t;

  explicit Prng(std::uint64_t seed);
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return UINT64_MAX; }
  result_type operator()() { return next(); }

  std::uint64_t next();
  // Uniform in [0, bound), bound > 0, unbiased: outputs below 2^64 mod bound are rejected.
  std::uint64_t uniform(std::uint64_t bound);
  // Uniform in [lo, hi], lo <= hi (the full 64-bit range is allowed).
  std::uint64_t uniform_range(std::uint64_t lo, std::uint64_t hi);
  // True with probability ppm / 1e6; ppm <= kPpmOne.
  bool bernoulli_ppm(std::uint32_t ppm);
  // An exponentially distributed integer with the given mean (0 gives 0), from an
  // integer fixed-point logarithm; capped near 37 * mean by the 53-bit uniform it uses.
  std::uint64_t exponential(std::uint64_t mean);

 private:
  std::uint64_t m_s[4];
};

// -log2(m / 2^53) in Q16 fixed point for m in [1, 2^53] (exposed for tests).
std::uint64_t neg_log2_q16(std::uint64_t m);

// Named sub-seeds of one world seed: seed(label) = first 8 bytes (big-endian) of
// SHA-256("spmc-sim-seed" || 0x00 || be64(world_seed) || label). Components draw from
// their own streams, so adding draws to one never shifts another's.
class SeedTree {
 public:
  explicit SeedTree(std::uint64_t world_seed) : m_world_seed(world_seed) {}
  std::uint64_t world_seed() const { return m_world_seed; }
  std::uint64_t seed(std::string_view label) const;
  // Label "<label>/<index>" (decimal), e.g. seed("phone", 7) is seed("phone/7").
  std::uint64_t seed(std::string_view label, std::uint64_t index) const;
  Prng stream(std::string_view label) const { return Prng(seed(label)); }
  Prng stream(std::string_view label, std::uint64_t index) const {
    return Prng(seed(label, index));
  }
  // A subtree rooted at seed(label), for components with their own components.
  SeedTree child(std::string_view label) const { return SeedTree(seed(label)); }

 private:
  std::uint64_t m_world_seed;
};

}  // namespace spmc::sim
