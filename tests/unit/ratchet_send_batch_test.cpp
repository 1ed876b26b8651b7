// SendBatch's counter-limit rule (RAT-003): the step is refused whole, nothing moves; and
// adopting erases the adopted chain's secrets.
#include "spmc/fast/ratchet_send_batch.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "spmc/rng.hpp"

namespace spmc::ratchet {
namespace {

// A chain whose next counter is `next`, made through the store form (fast-forwarding
// there would take billions of steps).
SendChain chain_at(std::uint32_t next, std::uint64_t seed, Suite suite) {
  DeterministicRng rng(seed, "send batch test");
  SeedFile s;
  for (Block& b : s.n) {
    b = rng.block();
  }
  Bytes state = SendChain(suite, rng.bytes(master_key_size(suite)), s).encode_state();
  for (std::size_t i = 0; i < 4; ++i) {
    state[state.size() - 4 + i] = static_cast<std::uint8_t>(next >> (24 - 8 * i));
  }
  return std::move(SendChain::decode_state(state)).value();
}

std::vector<BatchPath> all_paths() {
  return {BatchPath::kAuto, BatchPath::kLanes, BatchPath::kPortable};
}

TEST(SendBatch, LastCounterIsHandedOutThenTheWholeStepIsRefused) {
  for (BatchPath path : all_paths()) {
    SendChain twin = chain_at(kCounterLimit - 1, 1, Suite::kAes256);
    std::vector<SendChain> chains;
    chains.push_back(chain_at(5, 2, Suite::kAes128));
    chains.push_back(chain_at(kCounterLimit - 1, 1, Suite::kAes256));
    SendBatch batch(std::move(chains), path);
    std::vector<MessageKey> out(2);
    ASSERT_TRUE(batch.step_all(out).ok());
    EXPECT_EQ(out[0].counter, 5u);
    EXPECT_EQ(out[1], *twin.next());
    const auto slots0 = batch.slots(0);
    const auto slots1 = batch.slots(1);
    const std::vector<MessageKey> before = out;
    const Status s = batch.step_all(out);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), ErrorCode::kBadState);
    EXPECT_EQ(out, before);
    EXPECT_EQ(batch.next_counter(0), 6u);
    EXPECT_EQ(batch.next_counter(1), kCounterLimit);
    EXPECT_EQ(batch.slots(0), slots0);
    EXPECT_EQ(batch.slots(1), slots1);
    auto back = batch.release();
    EXPECT_EQ(back[1], twin);
    EXPECT_EQ(back[1].next().code(), ErrorCode::kBadState);
  }
}

TEST(SendBatch, EmptyBatchStepsToNothing) {
  SendBatch batch;
  std::vector<MessageKey> out;
  EXPECT_TRUE(batch.step_all(out).ok());
  EXPECT_TRUE(batch.release().empty());
}

TEST(SendBatch, AdoptingErasesTheChainsSlots) {
  SendChain chain = chain_at(3, 4, Suite::kAes128);
  SendBatch batch;
  const auto slots = chain.slots();
  EXPECT_EQ(batch.add(std::move(chain)), 0u);
  EXPECT_EQ(batch.slots(0), slots);
  // NOLINTNEXTLINE(bugprone-use-after-move): checking what the move left behind
  EXPECT_EQ(chain.slots(), (std::array<Block, 4>{}));
}

}  // namespace
}  // namespace spmc::ratchet
