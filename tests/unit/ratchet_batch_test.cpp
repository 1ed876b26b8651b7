// step_many's counter-limit rule (RAT-003): the batch is refused whole, nothing moves.
#include "spmc/ratchet_batch.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "spmc/rng.hpp"

namespace spmc::ratchet {
namespace {

// A chain whose next counter is `next`, made through the store form (fast-forwarding
// there would take billions of steps).
SendChain chain_at(std::uint32_t next, std::uint64_t seed) {
  DeterministicRng rng(seed, "ratchet batch test");
  SeedFile s;
  for (Block& b : s.n) {
    b = rng.block();
  }
  Bytes state = SendChain(Suite::kAes128, rng.bytes(16), s).encode_state();
  for (std::size_t i = 0; i < 4; ++i) {
    state[state.size() - 4 + i] = static_cast<std::uint8_t>(next >> (24 - 8 * i));
  }
  auto chain = SendChain::decode_state(state);
  return std::move(chain).value();
}

TEST(RatchetBatch, LastCounterIsHandedOutOnce) {
  SendChain last = chain_at(kCounterLimit - 1, 1);
  SendChain other = chain_at(7, 2);
  std::vector<SendChain*> chains{&other, &last};
  std::vector<MessageKey> out(2);
  ASSERT_TRUE(step_many(chains, out).ok());
  EXPECT_EQ(out[1].counter, kCounterLimit - 1);
  EXPECT_EQ(out[0].counter, 7U);
  EXPECT_EQ(last.next_counter(), kCounterLimit);
}

TEST(RatchetBatch, RefusesBatchThatWouldExhaustAndMovesNothing) {
  SendChain last = chain_at(kCounterLimit - 1, 3);
  SendChain other = chain_at(7, 4);
  const Bytes last_before = last.encode_state();
  const Bytes other_before = other.encode_state();
  std::vector<SendChain*> chains{&other, &last, &last};  // the second use would pass the limit
  std::vector<MessageKey> out(3);
  const Status s = step_many(chains, out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kBadState);
  EXPECT_EQ(last.encode_state(), last_before);
  EXPECT_EQ(other.encode_state(), other_before);
}

TEST(RatchetBatch, EmptyBatchIsFine) {
  std::vector<SendChain*> chains;
  std::vector<MessageKey> out;
  EXPECT_TRUE(step_many(chains, out).ok());
}

}  // namespace
}  // namespace spmc::ratchet
