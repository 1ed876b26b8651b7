// RAT-002 step function and the sending chain (RAT-003).
#include "spmc/ratchet.hpp"

namespace spmc::ratchet {

Block step(const crypto::AesBlockCipher& cipher, Block& slot) {
  Block mk{};
  Block next{};
  cipher.encrypt_twice(slot, mk, next);
  slot = xor_blocks(next, slot);  // RAT-010: the old slot value is overwritten
  secure_wipe(next);
  return mk;
}

SendChain::SendChain(Suite suite, ByteView master_key, const SeedFile& seed,
                     std::uint32_t first_counter)
    : m_suite(suite),
      m_master_key(master_key.begin(), master_key.end()),
      m_cipher(master_key),
      m_slots(seed.n) {
  SPMC_CHECK(master_key.size() == master_key_size(suite));
  SPMC_CHECK(first_counter < kCounterLimit);
  for (std::uint32_t c = 0; c < first_counter; ++c) {
    Block mk = step(m_cipher, m_slots[c % 4]);
    secure_wipe(mk);
  }
  m_next = first_counter;
}

SendChain::~SendChain() { wipe(); }

SendChain& SendChain::operator=(SendChain&& other) noexcept {
  if (this != &other) {
    wipe();
    m_suite = other.m_suite;
    m_master_key = std::move(other.m_master_key);
    m_cipher = std::move(other.m_cipher);
    m_slots = other.m_slots;
    m_next = other.m_next;
  }
  return *this;
}

void SendChain::wipe() {
  secure_wipe(m_master_key);
  for (Block& s : m_slots) {
    secure_wipe(s);
  }
}

Result<MessageKey> SendChain::next() {
  // RAT-003: counters never repeat; the last one is reserved so `next` fits in a u32.
  if (m_next >= kCounterLimit) {
    return make_error(ErrorCode::kBadState, "send counter exhausted: a new key share is needed");
  }
  MessageKey out{m_next, step(m_cipher, m_slots[m_next % 4])};
  ++m_next;
  return out;
}

bool SendChain::operator==(const SendChain& other) const {
  return m_suite == other.m_suite && m_master_key == other.m_master_key &&
         m_slots == other.m_slots && m_next == other.m_next;
}

}  // namespace spmc::ratchet
