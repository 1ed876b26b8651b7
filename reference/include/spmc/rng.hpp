#pragma once
// Randomness is injected (sans-IO). Simulation and test vectors use DeterministicRng,
// seeded from the world seed; real use takes OsRng.
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "spmc/bytes.hpp"

namespace spmc {

class Rng {
 public:
  virtual ~Rng() = default;
  virtual void fill(std::span<std::uint8_t> out) = 0;

  Bytes bytes(std::size_t n);
  Block block();
  std::uint64_t next_u64();
  // Uniform in [0, bound) by rejection (no modulo bias), bound > 0.
  std::uint64_t uniform(std::uint64_t bound);
};

// NIST SP 800-90A Hash_DRBG (SHA-256) through Crypto++, instantiated from a 64-bit seed
// and a label so every component of a world gets its own independent stream.
class DeterministicRng final : public Rng {
 public:
  DeterministicRng(std::uint64_t seed, std::string_view label);
  ~DeterministicRng() override;
  DeterministicRng(const DeterministicRng&) = delete;
  DeterministicRng& operator=(const DeterministicRng&) = delete;
  void fill(std::span<std::uint8_t> out) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// The operating system's generator, for live use only (never in simulation).
class OsRng final : public Rng {
 public:
  void fill(std::span<std::uint8_t> out) override;
};

}  // namespace spmc
