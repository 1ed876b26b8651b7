// Local-store encoding of the chains: round trip, and typed errors for corrupt input.
#include <gtest/gtest.h>

#include "spmc/codec.hpp"
#include "spmc/ratchet.hpp"
#include "spmc/rng.hpp"

namespace spmc::ratchet {
namespace {

struct Fixture {
  Bytes key;
  SeedFile seed;
  Fixture() {
    DeterministicRng rng(11, "ratchet state");
    key = rng.bytes(16);
    for (Block& b : seed.n) {
      b = rng.block();
    }
  }
  ReceiveChain receiver_with_skipped() const {
    ReceiveChain r(Suite::kAes128, key, seed, Limits{});
    SPMC_CHECK(r.accept(6).ok());  // skipped 0..5
    SPMC_CHECK(r.accept(2).ok());
    return r;
  }
};

// Fixed prefix of a suite-1 state: version, suite, 16-byte key, four slots.
constexpr std::size_t kCoreSize = 2 + 2 + 16 + 64;

TEST(RatchetState, ReceiveChainRoundTripsAndContinues) {
  Fixture f;
  ReceiveChain r = f.receiver_with_skipped();
  const Bytes state = r.encode_state();
  auto decoded = ReceiveChain::decode_state(state, Limits{});
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(*decoded == r);
  EXPECT_EQ(decoded->encode_state(), state);
  EXPECT_EQ(decoded->accept(4)->key, r.accept(4)->key);
  EXPECT_EQ(decoded->accept(9)->key, r.accept(9)->key);
}

TEST(RatchetState, SendChainRoundTripsAndContinues) {
  Fixture f;
  SendChain s(Suite::kAes256, Bytes(32, 0x42), f.seed, 5);
  const Bytes state = s.encode_state();
  EXPECT_EQ(state.size(), 2U + 2 + 32 + 64 + 4);
  auto decoded = SendChain::decode_state(state);
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(*decoded == s);
  EXPECT_EQ(decoded->next()->key, s.next()->key);
}

TEST(RatchetState, TruncatedOrTrailingStateIsRejected) {
  Fixture f;
  const Bytes state = f.receiver_with_skipped().encode_state();
  for (std::size_t n = 0; n < state.size(); ++n) {
    const auto r = ReceiveChain::decode_state(ByteView(state).first(n), Limits{});
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_EQ(r.code(), ErrorCode::kTruncated) << n;
  }
  Bytes longer = state;
  longer.push_back(0);
  EXPECT_EQ(ReceiveChain::decode_state(longer, Limits{}).code(), ErrorCode::kTrailingBytes);
}

TEST(RatchetState, BadVersionAndUnknownSuiteAreRejected) {
  Fixture f;
  Bytes state = f.receiver_with_skipped().encode_state();
  Bytes bad_version = state;
  bad_version[1] = 2;
  EXPECT_EQ(ReceiveChain::decode_state(bad_version, Limits{}).code(), ErrorCode::kBadVersion);
  Bytes bad_suite = state;
  bad_suite[3] = 9;
  EXPECT_EQ(ReceiveChain::decode_state(bad_suite, Limits{}).code(), ErrorCode::kUnknownSuite);
  EXPECT_EQ(SendChain::decode_state(bad_suite).code(), ErrorCode::kUnknownSuite);
}

// Builds a suite-1 receive state with the given counters (keys all zero).
Bytes receive_state(std::uint32_t next, std::uint32_t low,
                    const std::vector<std::uint32_t>& skipped) {
  codec::Writer w;
  w.u16(1);
  w.u16(1);
  w.raw(Bytes(16 + 64, 0));
  w.u32(next);
  w.u32(low);
  w.u32(static_cast<std::uint32_t>(skipped.size()));
  for (std::uint32_t c : skipped) {
    w.u32(c);
    w.raw(Bytes(16, 0));
  }
  return w.take();
}

TEST(RatchetState, NonCanonicalSkippedListsAreRejected) {
  EXPECT_TRUE(ReceiveChain::decode_state(receive_state(10, 2, {2, 5, 9}), Limits{}).ok());
  EXPECT_EQ(ReceiveChain::decode_state(receive_state(10, 2, {5, 2}), Limits{}).code(),
            ErrorCode::kBadValue);
  EXPECT_EQ(ReceiveChain::decode_state(receive_state(10, 2, {5, 5}), Limits{}).code(),
            ErrorCode::kBadValue);
  EXPECT_EQ(ReceiveChain::decode_state(receive_state(10, 2, {1}), Limits{}).code(),
            ErrorCode::kBadValue);
  EXPECT_EQ(ReceiveChain::decode_state(receive_state(10, 2, {10}), Limits{}).code(),
            ErrorCode::kBadValue);
  EXPECT_EQ(ReceiveChain::decode_state(receive_state(3, 4, {}), Limits{}).code(),
            ErrorCode::kBadValue);
}

TEST(RatchetState, TooManySkippedKeysIsBadLength) {
  Limits limits;
  limits.max_skipped_keys = 2;
  EXPECT_TRUE(ReceiveChain::decode_state(receive_state(10, 0, {1, 2}), limits).ok());
  EXPECT_EQ(ReceiveChain::decode_state(receive_state(10, 0, {1, 2, 3}), limits).code(),
            ErrorCode::kBadLength);
  EXPECT_EQ(receive_state(0, 0, {}).size(), kCoreSize + 12);
}

}  // namespace
}  // namespace spmc::ratchet
