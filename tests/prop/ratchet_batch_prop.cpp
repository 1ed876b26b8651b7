// The AES-NI and VAES-512 fast paths (crypto::AesBlockCipher on AES-NI, ratchet::step_many and
// crypto::aes_ratchet_step_many interleaved) equal Crypto++: every key is recomputed with
// crypto::aes_encrypt_block, which always runs Crypto++, following RAT-002 by hand.
#include <gtest/gtest.h>
// rapidcheck/gtest.h needs gtest declared first.
#include <rapidcheck/gtest.h>

#include <array>
#include <memory>
#include <vector>

#include "ratchet_model.hpp"
#include "spmc/crypto.hpp"
#include "spmc/ratchet.hpp"
#include "spmc/ratchet_batch.hpp"
#include "spmc/rng.hpp"

namespace spmc::ratchet {
namespace {

struct Pool {
  std::vector<std::unique_ptr<SendChain>> chains;
  std::vector<ModelChain> models;

  // Chains of both suites, each with its own key and seed, some fast-forwarded.
  Pool(std::uint64_t seed, std::size_t size) {
    DeterministicRng rng(seed, "ratchet batch prop");
    for (std::size_t i = 0; i < size; ++i) {
      const Suite suite = rng.uniform(2) == 0 ? Suite::kAes128 : Suite::kAes256;
      ModelChain m{rng.bytes(master_key_size(suite)), {}, 0};
      SeedFile s;
      for (Block& b : s.n) {
        b = rng.block();
      }
      m.slots = s.n;
      const auto first = static_cast<std::uint32_t>(rng.uniform(6));
      chains.push_back(std::make_unique<SendChain>(suite, m.key, s, first));
      for (std::uint32_t c = 0; c < first; ++c) {
        m.step();
      }
      models.push_back(std::move(m));
    }
  }
};

RC_GTEST_PROP(RatchetBatch, StepManyEqualsNextThroughCryptopp, ()) {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const auto pool_size = *rc::gen::inRange<std::size_t>(1, 24);
  Pool pool(seed, pool_size);
  const auto batches = *rc::gen::inRange(1, 4);
  for (int b = 0; b < batches; ++b) {
    // Indices may repeat: a chain listed twice gets its next two keys.
    const auto picks =
        *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, pool_size));
    std::vector<SendChain*> chains;
    chains.reserve(picks.size());
    for (std::size_t i : picks) {
      chains.push_back(pool.chains[i].get());
    }
    std::vector<MessageKey> out(chains.size());
    RC_ASSERT(step_many(chains, out).ok());
    for (std::size_t k = 0; k < picks.size(); ++k) {
      RC_ASSERT(out[k] == pool.models[picks[k]].step());
    }
  }
  for (std::size_t i = 0; i < pool_size; ++i) {
    RC_ASSERT(pool.chains[i]->slots() == pool.models[i].slots);
    RC_ASSERT(pool.chains[i]->next_counter() == pool.models[i].next);
  }
}

RC_GTEST_PROP(RatchetBatch, SendChainNextEqualsCryptopp, ()) {
  Pool pool(*rc::gen::arbitrary<std::uint64_t>(), 1);
  const auto steps = *rc::gen::inRange(1, 64);
  for (int i = 0; i < steps; ++i) {
    RC_ASSERT(*pool.chains[0]->next() == pool.models[0].step());
  }
}

// next() hands out keys derived four at a time ahead of the state (SendChain::m_ahead_keys);
// whatever else happens to the chain in between (step_many, a state round trip, a move), the
// keys and the protocol state (slots, next counter, encoding) stay those of RAT-002 by hand.
RC_GTEST_PROP(RatchetBatch, NextMixedWithStepManyAndRoundTripsEqualsCryptopp, ()) {
  Pool pool(*rc::gen::arbitrary<std::uint64_t>(), 3);
  const auto ops = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 4));
  for (int op : ops) {
    const auto i = *rc::gen::inRange<std::size_t>(0, 3);
    SendChain& chain = *pool.chains[i];
    switch (op) {
      case 0: {
        const auto n = *rc::gen::inRange(1, 7);
        for (int k = 0; k < n; ++k) {
          RC_ASSERT(*chain.next() == pool.models[i].step());
        }
        break;
      }
      case 1: {
        std::vector<SendChain*> chains{&chain, pool.chains[(i + 1) % 3].get()};
        std::vector<MessageKey> out(2);
        RC_ASSERT(step_many(chains, out).ok());
        RC_ASSERT(out[0] == pool.models[i].step());
        RC_ASSERT(out[1] == pool.models[(i + 1) % 3].step());
        break;
      }
      case 2: {
        auto decoded = SendChain::decode_state(chain.encode_state());
        RC_ASSERT(decoded.ok());
        RC_ASSERT(*decoded == chain);
        chain = std::move(*decoded);
        break;
      }
      default: {
        SendChain moved(std::move(chain));
        chain = std::move(moved);
        break;
      }
    }
    RC_ASSERT(chain.slots() == pool.models[i].slots);
    RC_ASSERT(chain.next_counter() == pool.models[i].next);
  }
  for (std::size_t i = 0; i < 3; ++i) {
    RC_ASSERT(*pool.chains[i]->next() == pool.models[i].step());
  }
}

// The four-slot step next() derives its keys with, on both paths and all key sizes.
RC_GTEST_PROP(AesFastPath, RatchetStepFourEqualsCryptopp, ()) {
  DeterministicRng rng(*rc::gen::arbitrary<std::uint64_t>(), "aes ratchet step four prop");
  const Bytes key = rng.bytes(*rc::gen::element<std::size_t>(16, 24, 32));
  const auto path = *rc::gen::element(crypto::AesPath::kAuto, crypto::AesPath::kPortable);
  const crypto::AesBlockCipher cipher(key, path);
  std::array<Block, 4> slots{rng.block(), rng.block(), rng.block(), rng.block()};
  const std::array<Block, 4> old = slots;
  std::array<Block, 4> keys{};
  cipher.ratchet_step_four(slots, keys);
  for (std::size_t i = 0; i < 4; ++i) {
    const Block mk = crypto::aes_encrypt_block(key, old[i]);
    RC_ASSERT(keys[i] == mk);
    RC_ASSERT(slots[i] == xor_blocks(crypto::aes_encrypt_block(key, mk), old[i]));
  }
}

RC_GTEST_PROP(AesFastPath, EncryptAndEncryptTwiceEqualCryptopp, ()) {
  DeterministicRng rng(*rc::gen::arbitrary<std::uint64_t>(), "aes fast path prop");
  const auto key_size = *rc::gen::element<std::size_t>(16, 24, 32);
  const Bytes key = rng.bytes(key_size);
  const Block in = rng.block();
  const crypto::AesBlockCipher fast(key);
  const crypto::AesBlockCipher portable(key, crypto::AesPath::kPortable);
  RC_ASSERT(!portable.hardware());
  const Block expected_first = crypto::aes_encrypt_block(key, in);
  const Block expected_second = crypto::aes_encrypt_block(key, expected_first);
  for (const crypto::AesBlockCipher* c : {&fast, &portable}) {
    RC_ASSERT(c->encrypt(in) == expected_first);
    Block first{};
    Block second{};
    c->encrypt_twice(in, first, second);
    RC_ASSERT(first == expected_first);
    RC_ASSERT(second == expected_second);
  }
}

// Mixed lanes: both paths, all three key sizes, any count (the fast path groups at most
// eight lanes of equal rounds and pads short groups).
RC_GTEST_PROP(AesFastPath, EncryptTwiceManyEqualsCryptopp, ()) {
  DeterministicRng rng(*rc::gen::arbitrary<std::uint64_t>(), "aes fast path many prop");
  const auto n = *rc::gen::inRange<std::size_t>(0, 40);
  std::vector<Bytes> keys;
  std::vector<std::unique_ptr<crypto::AesBlockCipher>> owned;
  std::vector<const crypto::AesBlockCipher*> ciphers;
  std::vector<Block> in(n);
  for (std::size_t i = 0; i < n; ++i) {
    keys.push_back(rng.bytes(*rc::gen::element<std::size_t>(16, 24, 32)));
    const auto path = *rc::gen::element(crypto::AesPath::kAuto, crypto::AesPath::kPortable);
    owned.push_back(std::make_unique<crypto::AesBlockCipher>(keys.back(), path));
    ciphers.push_back(owned.back().get());
    in[i] = rng.block();
  }
  std::vector<Block> first(n);
  std::vector<Block> second(n);
  crypto::encrypt_twice_many(ciphers, in, first, second);
  for (std::size_t i = 0; i < n; ++i) {
    RC_ASSERT(first[i] == crypto::aes_encrypt_block(keys[i], in[i]));
    RC_ASSERT(second[i] == crypto::aes_encrypt_block(keys[i], first[i]));
  }
}

// RAT-002 in place on many slots, on every path: VAES-512 (32 lanes, when the CPU has it),
// AES-NI 8 lanes (allow_wide = false), Crypto++ (portable ciphers, AES-192), mixed in one call,
// with counts past one 32-lane chunk and partial register groups.
RC_GTEST_PROP(AesFastPath, RatchetStepManyEqualsCryptopp, ()) {
  DeterministicRng rng(*rc::gen::arbitrary<std::uint64_t>(), "aes ratchet step many prop");
  const auto n = *rc::gen::inRange<std::size_t>(0, 80);
  const bool allow_wide = *rc::gen::arbitrary<bool>();
  std::vector<Bytes> keys;
  std::vector<std::unique_ptr<crypto::AesBlockCipher>> owned;
  std::vector<const crypto::AesBlockCipher*> ciphers;
  std::vector<Block> slots(n);
  std::vector<Block> mks(n);
  std::vector<Block*> slot_ptrs;
  std::vector<Block*> mk_ptrs;
  for (std::size_t i = 0; i < n; ++i) {
    keys.push_back(rng.bytes(*rc::gen::weightedElement<std::size_t>({{4, 16}, {4, 32}, {1, 24}})));
    const auto path = *rc::gen::weightedElement<crypto::AesPath>(
        {{6, crypto::AesPath::kAuto}, {1, crypto::AesPath::kPortable}});
    owned.push_back(std::make_unique<crypto::AesBlockCipher>(keys.back(), path));
    ciphers.push_back(owned.back().get());
    slots[i] = rng.block();
    slot_ptrs.push_back(&slots[i]);
    mk_ptrs.push_back(&mks[i]);
  }
  const std::vector<Block> old = slots;
  crypto::aes_ratchet_step_many(ciphers, slot_ptrs, mk_ptrs, allow_wide);
  for (std::size_t i = 0; i < n; ++i) {
    const Block mk = crypto::aes_encrypt_block(keys[i], old[i]);
    RC_ASSERT(mks[i] == mk);
    RC_ASSERT(slots[i] == xor_blocks(crypto::aes_encrypt_block(keys[i], mk), old[i]));
  }
}

// step_many across several 32-lane chunks (the pool above stays below one chunk).
RC_GTEST_PROP(RatchetBatch, StepManyManyChunksEqualsNextThroughCryptopp, ()) {
  const auto pool_size = *rc::gen::inRange<std::size_t>(30, 100);
  Pool pool(*rc::gen::arbitrary<std::uint64_t>(), pool_size);
  std::vector<SendChain*> chains;
  for (auto& c : pool.chains) {
    chains.push_back(c.get());
  }
  std::vector<MessageKey> out(chains.size());
  for (int round = 0; round < 3; ++round) {
    RC_ASSERT(step_many(chains, out).ok());
    for (std::size_t k = 0; k < chains.size(); ++k) {
      RC_ASSERT(out[k] == pool.models[k].step());
    }
  }
  for (std::size_t i = 0; i < pool_size; ++i) {
    RC_ASSERT(pool.chains[i]->slots() == pool.models[i].slots);
  }
}

}  // namespace
}  // namespace spmc::ratchet
