#include "spmc/rng.hpp"

#include <cryptopp/drbg.h>
#include <cryptopp/osrng.h>
#include <cryptopp/sha.h>

#include <algorithm>

#include "spmc/crypto.hpp"

namespace spmc {

Bytes Rng::bytes(std::size_t n) {
  Bytes out(n);
  fill(out);
  return out;
}

Block Rng::block() {
  Block b{};
  fill(b);
  return b;
}

std::uint64_t Rng::next_u64() {
  std::array<std::uint8_t, 8> b{};
  fill(b);
  std::uint64_t v = 0;
  for (std::uint8_t x : b) {
    v = (v << 8) | x;
  }
  return v;
}

std::uint64_t Rng::uniform(std::uint64_t bound) {
  SPMC_CHECK(bound > 0);
  // Reject the top partial range so every value is equally likely.
  const std::uint64_t limit = UINT64_MAX - (UINT64_MAX % bound);
  for (;;) {
    const std::uint64_t v = next_u64();
    if (v < limit) {
      return v % bound;
    }
  }
}

struct DeterministicRng::Impl {
  CryptoPP::Hash_DRBG<CryptoPP::SHA256, 128 / 8, 440 / 8> drbg;
  Impl(ByteView entropy, ByteView nonce, ByteView label)
      : drbg(entropy.data(), entropy.size(), nonce.data(), nonce.size(), label.data(),
             label.size()) {}
};

namespace {
Bytes seed_bytes(std::uint64_t seed) {
  Bytes out(8);
  for (int i = 7; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(seed & 0xff);
    seed >>= 8;
  }
  return out;
}
}  // namespace

// Entropy input = SHA-256("SPMC DRBG" || seed_be64); personalization = label. The
// construction is spelled out in spec/crypto.md so any implementation can reproduce it.
DeterministicRng::DeterministicRng(std::uint64_t seed, std::string_view label) {
  Bytes input = bytes_of("SPMC DRBG");
  const Bytes s = seed_bytes(seed);
  input.insert(input.end(), s.begin(), s.end());
  const crypto::Digest entropy = crypto::sha256(input);
  const Bytes nonce = bytes_of("SPMC nonce 00000");
  const Bytes pers = bytes_of(label);
  m_impl = std::make_unique<Impl>(entropy, nonce, pers);
}

DeterministicRng::~DeterministicRng() = default;

void DeterministicRng::fill(std::span<std::uint8_t> out) {
  constexpr std::size_t kMaxRequest = 65536;
  while (!out.empty()) {
    const std::size_t n = std::min(out.size(), kMaxRequest);
    m_impl->drbg.GenerateBlock(out.data(), n);
    out = out.subspan(n);
  }
}

void OsRng::fill(std::span<std::uint8_t> out) {
  // Live mode only: the simulator and vectors never construct an OsRng.
  thread_local CryptoPP::AutoSeededRandomPool pool;  // allowed: live mode
  pool.GenerateBlock(out.data(), out.size());
}

}  // namespace spmc
