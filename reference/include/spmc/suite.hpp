#pragma once
// The cipher-suite registry (spec/crypto.md, table SUITE). The key share's
// "cryptographic algo" field carries one of these values.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "spmc/result.hpp"

namespace spmc {

enum class Suite : std::uint16_t {
  kAes128 = 0x0001,  // AES-128 ratchet, AES-128-GCM message encryption
  kAes256 = 0x0002,  // AES-256 ratchet, AES-128-GCM message encryption (128-bit message keys)
};

std::size_t master_key_size(Suite suite);
std::string_view suite_name(Suite suite);
Result<Suite> suite_from_wire(std::uint16_t value);

}  // namespace spmc
