// RAT-002 step function and the sending chain (RAT-003).
#include "spmc/ratchet.hpp"

#include <algorithm>

namespace spmc::ratchet {

Block step(const crypto::AesBlockCipher& cipher, Block& slot) {
  Block mk{};
  Secret<Block> next{};
  cipher.encrypt_twice(slot, mk, next);
  slot = xor_blocks(next, slot);  // RAT-010: the old slot value is overwritten
  return mk;
}

SendChain::SendChain(Suite suite, ByteView master_key, const SeedFile& seed,
                     std::uint32_t first_counter)
    : m_suite(suite),
      m_master_key(Bytes(master_key.begin(), master_key.end())),
      m_cipher(master_key),
      m_slots(seed.n) {
  SPMC_CHECK(master_key.size() == master_key_size(suite));
  SPMC_CHECK(first_counter < kCounterLimit);
  for (std::uint32_t c = 0; c < first_counter; ++c) {
    const Secret<Block> skipped = step(m_cipher, m_slots[c % 4]);  // RAT-010: wiped at once
  }
  m_next = first_counter;
}

SendChain::SendChain(State&& state)
    : m_suite(state.suite),
      m_master_key(std::move(state.master_key)),
      m_cipher(m_master_key),
      m_slots(std::move(state.slots)),
      m_next(state.next) {
  SPMC_CHECK(m_master_key.size() == master_key_size(m_suite));
}

SendChain::State SendChain::take_state() && {
  drop_ahead();
  State out{m_suite, std::move(m_master_key), std::move(m_slots), m_next};
  const SendChain consumed(std::move(*this));  // frees (and so wipes) the key schedule
  return out;
}

// All four slots step, one key each: those of counters m_next .. m_next + 3 (the slots are
// taken in counter order mod 4). Keys past kCounterLimit are derived but never handed out.
void SendChain::derive_ahead() {
  m_ahead_slots = m_slots;
  m_cipher.ratchet_step_four(m_ahead_slots, m_ahead_keys);
  m_ahead = std::min<std::uint32_t>(4, kCounterLimit - m_next);
}

void SendChain::drop_ahead() {
  for (std::size_t j = 0; j < 4; ++j) {
    secure_wipe(m_ahead_keys[j]);
    secure_wipe(m_ahead_slots[j]);
  }
  m_ahead = 0;
}

Result<MessageKey> SendChain::next() {
  // RAT-003: counters never repeat; the last one is reserved so `next` fits in a u32.
  if (m_next >= kCounterLimit) {
    return make_error(ErrorCode::kBadState, "send counter exhausted: a new key share is needed");
  }
  if (m_ahead == 0) {
    derive_ahead();
  }
  const std::uint32_t j = m_next % 4;
  MessageKey out{m_next, m_ahead_keys[j]};
  m_slots[j] = m_ahead_slots[j];  // RAT-002/RAT-010: the slot's old value is overwritten
  secure_wipe(m_ahead_keys[j]);
  secure_wipe(m_ahead_slots[j]);
  --m_ahead;
  ++m_next;
  return out;
}

bool SendChain::operator==(const SendChain& other) const {
  return m_suite == other.m_suite && m_master_key == other.m_master_key &&
         m_slots == other.m_slots && m_next == other.m_next;
}

}  // namespace spmc::ratchet
