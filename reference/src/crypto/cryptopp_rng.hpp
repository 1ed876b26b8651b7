#pragma once
// Adapts the injected spmc::Rng to Crypto++'s interface so key generation draws
// only from the world's seeded stream.
#include <cryptopp/cryptlib.h>

#include "spmc/rng.hpp"

namespace spmc::crypto::detail {

class CryptoppRng final : public CryptoPP::RandomNumberGenerator {
 public:
  explicit CryptoppRng(Rng& rng) : m_rng(rng) {}
  void GenerateBlock(CryptoPP::byte* output, size_t size) override {
    m_rng.fill(std::span<std::uint8_t>(output, size));
  }

 private:
  Rng& m_rng;
};

}  // namespace spmc::crypto::detail
