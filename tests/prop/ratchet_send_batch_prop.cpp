// ratchet::SendBatch equals SendChain::next(): random batches (1..100 sessions, both suites
// mixed, random counters) stepped k times through SendBatch on every path (VAES-512 packed
// when the CPU has it, AES-NI lanes, Crypto++) give the keys that twin SendChains give, and
// those keys equal RAT-002 recomputed by hand with crypto::aes_encrypt_block (Crypto++ only).
#include <gtest/gtest.h>
// rapidcheck/gtest.h needs gtest declared first.
#include <rapidcheck/gtest.h>

#include <memory>
#include <vector>

#include "ratchet_model.hpp"
#include "spmc/crypto.hpp"
#include "spmc/fast/ratchet_send_batch.hpp"
#include "spmc/ratchet.hpp"
#include "spmc/rng.hpp"

namespace spmc::ratchet {
namespace {

// One session three ways: the chain given to the batch, its twin stepped by next(), the model.
struct Session {
  SendChain adopted;
  SendChain twin;
  ModelChain model;
};

Session make_session(DeterministicRng& rng) {
  const Suite suite = rng.uniform(2) == 0 ? Suite::kAes128 : Suite::kAes256;
  SeedFile s;
  for (Block& b : s.n) {
    b = rng.block();
  }
  const Bytes key = rng.bytes(master_key_size(suite));
  const auto first = static_cast<std::uint32_t>(rng.uniform(9));
  ModelChain m{key, s.n, 0};
  for (std::uint32_t c = 0; c < first; ++c) {
    m.step();
  }
  return Session{SendChain(suite, key, s, first), SendChain(suite, key, s, first), std::move(m)};
}

BatchPath any_path() {
  return *rc::gen::element(BatchPath::kAuto, BatchPath::kLanes, BatchPath::kPortable);
}

RC_GTEST_PROP(SendBatch, StepAllEqualsNextOfEachChainAndCryptopp, ()) {
  DeterministicRng rng(*rc::gen::arbitrary<std::uint64_t>(), "send batch prop");
  const auto size = *rc::gen::inRange<std::size_t>(1, 101);
  const BatchPath path = any_path();
  std::vector<SendChain> twins;
  std::vector<ModelChain> models;
  SendBatch batch(path);
  if (path != BatchPath::kAuto) {
    RC_ASSERT(!batch.wide());  // the other paths must really be taken
  }
  // Sessions join between steps too (a lane filling a padded group, a new group).
  const auto steps = *rc::gen::inRange(1, 9);
  const auto join_at = *rc::gen::inRange(0, steps);
  const std::size_t early = size - *rc::gen::inRange<std::size_t>(0, size);
  auto join = [&](std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) {
      Session s = make_session(rng);
      RC_ASSERT(batch.add(std::move(s.adopted)) == twins.size());
      twins.push_back(std::move(s.twin));
      models.push_back(std::move(s.model));
    }
  };
  join(early);
  for (int k = 0; k < steps; ++k) {
    if (k == join_at) {
      join(size - early);
    }
    std::vector<MessageKey> out(batch.size());
    RC_ASSERT(batch.step_all(out).ok());
    for (std::size_t i = 0; i < out.size(); ++i) {
      const MessageKey expected = *twins[i].next();
      RC_ASSERT(out[i] == expected);
      RC_ASSERT(expected == models[i].step());
    }
  }
  RC_ASSERT(batch.size() == size);
  for (std::size_t i = 0; i < size; ++i) {
    RC_ASSERT(batch.suite(i) == twins[i].suite());
    RC_ASSERT(batch.next_counter(i) == twins[i].next_counter());
    RC_ASSERT(batch.slots(i) == twins[i].slots());
  }
  // Given back, each chain is its twin and goes on like it.
  std::vector<SendChain> back = batch.release();
  RC_ASSERT(batch.size() == 0u);
  RC_ASSERT(back.size() == size);
  for (std::size_t i = 0; i < size; ++i) {
    RC_ASSERT(back[i] == twins[i]);
    RC_ASSERT(*back[i].next() == *twins[i].next());
  }
}

// A batch re-adopting released chains (another batch step phase) continues the sequence.
RC_GTEST_PROP(SendBatch, ReleaseAndReadoptContinuesTheSequence, ()) {
  DeterministicRng rng(*rc::gen::arbitrary<std::uint64_t>(), "send batch readopt prop");
  const auto size = *rc::gen::inRange<std::size_t>(1, 40);
  std::vector<SendChain> adopted;
  std::vector<ModelChain> models;
  for (std::size_t i = 0; i < size; ++i) {
    Session s = make_session(rng);
    adopted.push_back(std::move(s.adopted));
    models.push_back(std::move(s.model));
  }
  SendBatch first(std::move(adopted), any_path());
  std::vector<MessageKey> out(size);
  const auto before = *rc::gen::inRange(0, 6);
  for (int k = 0; k < before; ++k) {
    RC_ASSERT(first.step_all(out).ok());
  }
  SendBatch second(first.release(), any_path());
  for (std::size_t i = 0; i < size; ++i) {
    for (int k = 0; k < before; ++k) {
      models[i].step();
    }
  }
  RC_ASSERT(second.step_all(out).ok());
  for (std::size_t i = 0; i < size; ++i) {
    RC_ASSERT(out[i] == models[i].step());
  }
}

}  // namespace
}  // namespace spmc::ratchet
