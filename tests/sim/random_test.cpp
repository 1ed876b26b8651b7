// PRNG known answers, unbiased bounds and seed derivation.
#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cstdint>

#include "spmc/crypto.hpp"
#include "spmc/sim/random.hpp"

namespace spmc::sim {
namespace {

// Straight transcriptions of the published reference code (prng.di.unimi.it:
// splitmix64.c and xoshiro256starstar.c), kept deliberately separate from the engine's.
struct ReferenceSplitMix64 {
  std::uint64_t x;
  std::uint64_t next() {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

struct ReferenceXoshiro256StarStar {
  std::uint64_t s[4];
  static std::uint64_t rotl(const std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s[1] * 5, 7) * 9;
    const std::uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }
};

TEST(Random, SplitMix64MatchesPublishedOutputsForSeedZero) {
  // The first outputs of splitmix64 seeded with 0, as published with the algorithm
  // (and reproduced by e.g. the Rust rand_xoshiro test suite).
  std::uint64_t state = 0;
  EXPECT_EQ(splitmix64_next(state), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(splitmix64_next(state), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(splitmix64_next(state), 0x06c45d188009454fULL);
}

TEST(Random, Xoshiro256StarStarMatchesReferenceImplementation) {
  for (const std::uint64_t seed : {0ULL, 1ULL, 42ULL, 0xdeadbeefcafef00dULL}) {
    ReferenceSplitMix64 sm{seed};
    ReferenceXoshiro256StarStar ref{{sm.next(), sm.next(), sm.next(), sm.next()}};
    Prng prng(seed);
    for (int i = 0; i < 1000; ++i) {
      ASSERT_EQ(prng.next(), ref.next()) << "seed " << seed << " draw " << i;
    }
  }
}

TEST(Random, Xoshiro256StarStarPinnedOutputsForSeedOne) {
  // Pinned from the reference transcription above: a change here is a change of every
  // simulated world.
  Prng prng(1);
  ReferenceSplitMix64 sm{1};
  ReferenceXoshiro256StarStar ref{{sm.next(), sm.next(), sm.next(), sm.next()}};
  const std::array<std::uint64_t, 4> expected = {ref.next(), ref.next(), ref.next(), ref.next()};
  for (const std::uint64_t value : expected) {
    EXPECT_EQ(prng.next(), value);
  }
}

TEST(Random, Xoshiro256StarStarPublishedStateVector) {
  // From the Rust rand_xoshiro crate's test of Xoshiro256StarStar with state [1, 2, 3, 4]
  // (itself taken from the C reference): the first outputs.
  ReferenceXoshiro256StarStar ref{{1, 2, 3, 4}};
  EXPECT_EQ(ref.next(), 11520ULL);
  EXPECT_EQ(ref.next(), 0ULL);
  EXPECT_EQ(ref.next(), 1509978240ULL);
  EXPECT_EQ(ref.next(), 1215971899390074240ULL);
}

}  // namespace
}  // namespace spmc::sim
