// step_many (ratchet_batch.hpp): gathers up to eight chains' current slots, runs their RAT-002
// encryptions interleaved through crypto::encrypt_twice_many, and writes back what next()
// would have written, chunk by chunk in list order.
#include "spmc/ratchet_batch.hpp"

#include <algorithm>
#include <array>

namespace spmc::ratchet {

namespace {

constexpr std::size_t kChunk = 8;

// RAT-003 for the whole batch before anything moves. Usually one pass; only a chain within
// chains.size() of the limit has its listings counted.
bool would_exhaust(std::span<SendChain* const> chains) {
  const std::uint64_t n = chains.size();
  for (const SendChain* c : chains) {
    SPMC_CHECK(c != nullptr);
    if (std::uint64_t{c->next_counter()} + n <= kCounterLimit) {
      continue;
    }
    const auto uses = static_cast<std::uint64_t>(std::count(chains.begin(), chains.end(), c));
    if (std::uint64_t{c->next_counter()} + uses > kCounterLimit) {
      return true;
    }
  }
  return false;
}

// A chain listed twice in one chunk must see its own first step: such a chunk runs in order.
bool has_duplicate(std::span<SendChain* const> chunk) {
  for (std::size_t i = 0; i < chunk.size(); ++i) {
    for (std::size_t j = i + 1; j < chunk.size(); ++j) {
      if (chunk[i] == chunk[j]) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

Status step_many(std::span<SendChain* const> chains, std::span<MessageKey> out) {
  SPMC_CHECK(out.size() == chains.size());
  if (would_exhaust(chains)) {
    return make_error(ErrorCode::kBadState, "a send counter would be exhausted (RAT-003)");
  }
  // Left uninitialised on purpose: every lane is written before it is read, and zeroing
  // them per call cost more than the AES work of a small batch.
  std::array<const crypto::AesBlockCipher*, kChunk> ciphers;
  std::array<Block, kChunk> in;
  std::array<Block, kChunk> first;
  std::array<Block, kChunk> second;
  for (std::size_t begin = 0; begin < chains.size(); begin += kChunk) {
    const std::size_t n = std::min(kChunk, chains.size() - begin);
    const auto chunk = chains.subspan(begin, n);
    if (has_duplicate(chunk)) {
      for (std::size_t i = 0; i < n; ++i) {
        out[begin + i] = *chunk[i]->next();  // cannot fail: would_exhaust said so
      }
      continue;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const SendChain& c = *chunk[i];
      ciphers[i] = &c.m_cipher;
      in[i] = c.m_slots[c.m_next % 4];
    }
    crypto::encrypt_twice_many(std::span(ciphers).first(n), std::span(in).first(n),
                               std::span(first).first(n), std::span(second).first(n));
    for (std::size_t i = 0; i < n; ++i) {
      SendChain& c = *chunk[i];
      Block& slot = c.m_slots[c.m_next % 4];
      slot = xor_blocks(second[i], slot);  // RAT-002, RAT-010: the old value is gone
      out[begin + i] = MessageKey{c.m_next, first[i]};
      ++c.m_next;
    }
  }
  // The old slots and the AES outputs that updated them are secrets (RAT-010).
  for (auto* blocks : {&in, &first, &second}) {
    secure_wipe(std::span(blocks->front().data(), sizeof(*blocks)));
  }
  return ok_status();
}

}  // namespace spmc::ratchet
