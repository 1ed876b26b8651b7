#pragma once
// Incremental SHA-256 (FIPS 180-4) for the running trace hash: the crypto facade only
// hashes whole buffers, and a trace may be far larger than we want to keep in memory.
// The tests check it against spmc::crypto::sha256.
#include <array>
#include <cstdint>
#include <string_view>

#include "spmc/bytes.hpp"
#include "spmc/crypto.hpp"

namespace spmc::sim {

class Sha256Stream {
 public:
  Sha256Stream();
  void update(ByteView data);
  void update(std::string_view text);
  // The digest of everything so far; the stream may keep going afterwards.
  crypto::Digest digest() const;

 private:
  void compress(const std::uint8_t* block);

  std::array<std::uint32_t, 8> m_state;
  std::array<std::uint8_t, 64> m_buffer{};
  std::size_t m_buffered = 0;
  std::uint64_t m_total_bytes = 0;
};

}  // namespace spmc::sim
