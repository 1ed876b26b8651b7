// Ratchet properties (RAT-005..RAT-009) over arbitrary delivery orders and traffic.
#include <gtest/gtest.h>
// rapidcheck/gtest.h needs gtest declared first.
#include <rapidcheck/gtest.h>

#include <numeric>
#include <set>

#include "spmc/ratchet.hpp"
#include "spmc/rng.hpp"

namespace spmc::ratchet {
namespace {

struct World {
  Bytes key;
  SeedFile seed;
  std::vector<Block> sent;  // the sender's key for each counter
  World(std::uint64_t seed_value, std::uint32_t n) {
    DeterministicRng rng(seed_value, "ratchet prop");
    key = rng.bytes(16);
    for (Block& b : seed.n) {
      b = rng.block();
    }
    SendChain s(Suite::kAes128, key, seed);
    for (std::uint32_t i = 0; i < n; ++i) {
      sent.push_back(s.next()->key);
    }
  }
  ReceiveChain receiver(const Limits& limits) const {
    return ReceiveChain(Suite::kAes128, key, seed, limits);
  }
};

std::vector<std::uint32_t> arbitrary_permutation(std::uint32_t n) {
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0U);
  for (std::uint32_t i = n; i > 1; --i) {
    std::swap(order[i - 1], order[*rc::gen::inRange<std::uint32_t>(0, i)]);
  }
  return order;
}

RC_GTEST_PROP(Ratchet, AnyDeliveryOrderWithinWindowGivesTheSendersKeys, ()) {
  const auto n = *rc::gen::inRange<std::uint32_t>(1, 120);
  const World w(*rc::gen::arbitrary<std::uint64_t>(), n);
  ReceiveChain r = w.receiver(Limits{});
  for (std::uint32_t c : arbitrary_permutation(n)) {
    const auto k = r.accept(c);
    RC_ASSERT(k.ok());
    RC_ASSERT(k->key == w.sent[c]);
  }
  RC_ASSERT(r.skipped_count() == 0U);
  RC_ASSERT(r.next_counter() == n);
}

RC_GTEST_PROP(Ratchet, DuplicatesAreAlwaysReplay, ()) {
  const auto n = *rc::gen::inRange<std::uint32_t>(1, 60);
  const World w(*rc::gen::arbitrary<std::uint64_t>(), n);
  ReceiveChain r = w.receiver(Limits{});
  const auto order = arbitrary_permutation(n);
  const auto delivered = *rc::gen::inRange<std::size_t>(1, order.size() + 1);
  for (std::size_t i = 0; i < delivered; ++i) {
    RC_ASSERT(r.accept(order[i]).ok());
  }
  const Bytes before = r.encode_state();
  const auto again = order[*rc::gen::inRange<std::size_t>(0, delivered)];
  RC_ASSERT(r.accept(again).code() == ErrorCode::kReplay);
  RC_ASSERT(r.encode_state() == before);
}

RC_GTEST_PROP(Ratchet, CountersBeyondTheWindowAreRejectedAndChangeNothing, ()) {
  Limits limits;
  limits.max_forward = *rc::gen::inRange<std::uint32_t>(1, 50);
  const World w(*rc::gen::arbitrary<std::uint64_t>(), 0);
  ReceiveChain r = w.receiver(limits);
  const auto first = *rc::gen::inRange<std::uint32_t>(0, limits.max_forward);
  RC_ASSERT(r.accept(first).ok());
  const Bytes before = r.encode_state();
  const auto beyond =
      r.next_counter() + limits.max_forward + *rc::gen::inRange<std::uint32_t>(0, 1000000);
  RC_ASSERT(r.accept(beyond).code() == ErrorCode::kCounterTooFarAhead);
  RC_ASSERT(r.encode_state() == before);
}

// Random traffic under small limits, checked against the rules of RAT-005..RAT-008: a key
// is lost only by eviction (below `low`), never handed out twice, and errors change nothing.
RC_GTEST_PROP(Ratchet, ArbitraryTrafficFollowsTheWindowRules, ()) {
  Limits limits;
  limits.max_forward = *rc::gen::inRange<std::uint32_t>(1, 12);
  limits.max_skipped_keys = *rc::gen::inRange<std::uint32_t>(0, 12);
  const World w(*rc::gen::arbitrary<std::uint64_t>(), 64);
  ReceiveChain r = w.receiver(limits);
  const auto counters =
      *rc::gen::container<std::vector<std::uint32_t>>(rc::gen::inRange<std::uint32_t>(0, 64));
  std::set<std::uint32_t> accepted;
  for (std::uint32_t c : counters) {
    const std::uint32_t next = r.next_counter();
    const std::uint32_t low = r.low_counter();
    const Bytes before = r.encode_state();
    const auto k = r.accept(c);
    if (k.ok()) {
      RC_ASSERT(k->key == w.sent[c]);
      RC_ASSERT(accepted.insert(c).second);
    } else {
      RC_ASSERT(r.encode_state() == before);
      if (c >= next) {
        RC_ASSERT(c - next >= limits.max_forward);
        RC_ASSERT(k.code() == ErrorCode::kCounterTooFarAhead);
      } else if (c < low) {
        RC_ASSERT(k.code() == ErrorCode::kCounterTooOld);
      } else {
        RC_ASSERT(accepted.contains(c));
        RC_ASSERT(k.code() == ErrorCode::kReplay);
      }
    }
    RC_ASSERT(r.skipped_count() <= limits.max_skipped_keys);
    RC_ASSERT(r.low_counter() <= r.next_counter());
    RC_ASSERT(r.low_counter() >= low);
  }
}

RC_GTEST_PROP(Ratchet, StateEncodingRoundTripsAfterArbitraryTraffic, ()) {
  Limits limits;
  limits.max_skipped_keys = *rc::gen::inRange<std::uint32_t>(0, 20);
  const World w(*rc::gen::arbitrary<std::uint64_t>(), 0);
  ReceiveChain r = w.receiver(limits);
  const auto counters =
      *rc::gen::container<std::vector<std::uint32_t>>(rc::gen::inRange<std::uint32_t>(0, 200));
  for (std::uint32_t c : counters) {
    (void)r.accept(c);
  }
  const Bytes state = r.encode_state();
  auto decoded = ReceiveChain::decode_state(state, limits);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == r);
  RC_ASSERT(decoded->encode_state() == state);

  SendChain s(Suite::kAes256, Bytes(32, 7), w.seed, *rc::gen::inRange<std::uint32_t>(0, 100));
  auto decoded_send = SendChain::decode_state(s.encode_state());
  RC_ASSERT(decoded_send.ok());
  RC_ASSERT(*decoded_send == s);
  RC_ASSERT(decoded_send->next()->key == s.next()->key);
}

}  // namespace
}  // namespace spmc::ratchet
