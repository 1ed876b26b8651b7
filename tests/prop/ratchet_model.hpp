#pragma once
// The ratchet (RAT-002) by hand through Crypto++ only: crypto::aes_encrypt_block always runs
// Crypto++, so fast paths (AES-NI, VAES-512, batches) are judged against an independent
// computation.
#include <array>
#include <cstdint>

#include "spmc/crypto.hpp"
#include "spmc/ratchet.hpp"

namespace spmc::ratchet {

struct ModelChain {
  Bytes key;
  std::array<Block, 4> slots{};
  std::uint32_t next = 0;

  MessageKey step() {
    Block& slot = slots[next % 4];
    const Block mk = crypto::aes_encrypt_block(key, slot);
    slot = xor_blocks(crypto::aes_encrypt_block(key, mk), slot);
    return MessageKey{next++, mk};
  }
};

}  // namespace spmc::ratchet
