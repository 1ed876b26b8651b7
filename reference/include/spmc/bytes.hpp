#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace spmc {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;
using Block = std::array<std::uint8_t, 16>;  // one AES block

std::string to_hex(ByteView bytes);
// Returns false on odd length or a non-hex digit.
bool from_hex(std::string_view hex, Bytes& out);
Bytes bytes_of(std::string_view text);
// Constant-time equality (length is not secret).
bool equal_ct(ByteView a, ByteView b);

// Inline: the ratchet calls these once or twice per step (bench/ratchet_bench.cpp).
inline Block xor_blocks(const Block& a, const Block& b) {
  Block out{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::uint8_t>(a[i] ^ b[i]);
  }
  return out;
}

// Overwrites memory the compiler may not elide (key erasure).
inline void secure_wipe(std::span<std::uint8_t> bytes) {
  if (bytes.empty()) {
    return;
  }
#if defined(__GNUC__) || defined(__clang__)
  // memset, then an empty asm that may read the memory: the stores cannot be elided, yet
  // stay vector-wide and inline for small fixed sizes (BoringSSL's OPENSSL_cleanse does
  // the same).
  std::memset(bytes.data(), 0, bytes.size());
  __asm__ __volatile__("" : : "r"(bytes.data()) : "memory");
#else
  volatile std::uint8_t* p = bytes.data();
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    p[i] = 0;
  }
#endif
}

}  // namespace spmc
