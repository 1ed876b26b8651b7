#pragma once
// Fixtures shared by the benchmark files: deterministic keys and chains (no wall clock or
// OS randomness leaks into what is measured).
#include <memory>
#include <vector>

#include "spmc/ratchet.hpp"
#include "spmc/rng.hpp"
#include "spmc/suite.hpp"

namespace spmc::bench {

inline ratchet::SeedFile make_seed(Rng& rng) {
  ratchet::SeedFile s;
  for (Block& b : s.n) {
    b = rng.block();
  }
  return s;
}

// `count` chains, each with its own master key and seed.
inline std::vector<std::unique_ptr<ratchet::SendChain>> make_send_chains(std::size_t count,
                                                                         Suite suite) {
  DeterministicRng rng(7, "bench chains");
  std::vector<std::unique_ptr<ratchet::SendChain>> out;
  for (std::size_t i = 0; i < count; ++i) {
    const Bytes key = rng.bytes(master_key_size(suite));
    out.push_back(std::make_unique<ratchet::SendChain>(suite, key, make_seed(rng)));
  }
  return out;
}

inline Suite suite_arg(std::int64_t bits) { return bits == 128 ? Suite::kAes128 : Suite::kAes256; }

}  // namespace spmc::bench
