#pragma once
// The running trace hash: incremental SHA-256 through the crypto facade (Crypto++), so a
// trace far larger than memory can still be hashed.
#include <string_view>

#include "spmc/bytes.hpp"
#include "spmc/crypto.hpp"

namespace spmc::sim {

class Sha256Stream {
 public:
  void update(ByteView data) { m_hasher.update(data); }
  void update(std::string_view text) {
    update(ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  }
  // The digest of everything so far; the stream may keep going afterwards.
  crypto::Digest digest() const { return m_hasher.digest(); }

 private:
  crypto::Sha256Hasher m_hasher;
};

}  // namespace spmc::sim
