// step_many (ratchet_batch.hpp): points crypto::aes_ratchet_step_many at up to 32 chains'
// current slots (VAES-512 in place, or AES-NI 8 lanes, or Crypto++, chosen at run time), so
// each chain ends as next() would have left it, chunk by chunk in list order.
#include "spmc/ratchet_batch.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace spmc::ratchet {

namespace {

constexpr std::size_t kChunk = 32;  // the widest lane count of encrypt_twice_many

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
// An open-addressing set of the chunk's pointers (twice the chunk's size, so probes are short).
bool has_duplicate(std::span<SendChain* const> chunk) {
  constexpr std::size_t kSlots = 2 * kChunk;
  static_assert(kSlots == 64, "the hash below keeps 6 bits");
  std::array<const SendChain*, kSlots> seen{};
  for (const SendChain* c : chunk) {
    // Fibonacci hashing of the address (heap pointers differ in their middle bits).
    std::size_t h = (reinterpret_cast<std::uintptr_t>(c) * 0x9e3779b97f4a7c15ULL) >> 58;
    while (seen[h] != nullptr) {
      if (seen[h] == c) {
        return true;
      }
      h = (h + 1) % kSlots;
    }
    seen[h] = c;
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
  // them per call cost more than the AES work of a small batch. Only pointers: the AES runs
  // in place on the chains' slots (no secret is copied to the stack here, RAT-010).
  std::array<const crypto::AesBlockCipher*, kChunk> ciphers;
  std::array<Block*, kChunk> slots;
  std::array<Block*, kChunk> keys;
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
      SendChain& c = *chunk[i];
      if (c.m_ahead != 0) {
        c.drop_ahead();  // the slot steps here, under it
      }
      ciphers[i] = &c.m_cipher;
      slots[i] = &c.m_slots[c.m_next % 4];
      out[begin + i].counter = c.m_next++;
      keys[i] = &out[begin + i].key;
    }
    // RAT-002, RAT-010: each slot is overwritten in place, the old value is gone.
    crypto::aes_ratchet_step_many(std::span(ciphers).first(n), std::span(slots).first(n),
                                  std::span(keys).first(n));
  }
  return ok_status();
}

}  // namespace spmc::ratchet
