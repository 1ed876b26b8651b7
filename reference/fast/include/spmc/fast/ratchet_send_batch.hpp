#pragma once
// A persistent batch of sending chains stepped together (a server's fan-out, the simulator,
// issue 7). Unlike step_many, which takes chains by pointer and must repack each chain's key
// schedule on every call, a SendBatch owns its sessions: on the VAES-512 path their round keys
// are packed once, four sessions per 512-bit register, and their four slots are laid out side
// by side, so a step is loads of packed keys, vaesenc and stores only. Each session gets exactly
// the keys SendChain::next() would give it (RAT-002, RAT-003). Library spmc_fastratchet: it
// adopts chains through SendChain::State and runs the spmc_fastcrypto kernels directly.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "spmc/ratchet.hpp"
#include "spmc/result.hpp"
#include "spmc/suite.hpp"

namespace spmc::ratchet {

// Which AES implementation a SendBatch runs. kAuto: VAES-512 when the CPU (and OS) has VAES +
// AVX-512F, else as kLanes. kLanes: crypto::aes_ratchet_step_many without VAES (AES-NI 8 lanes
// when the CPU has AES-NI, else Crypto++). kPortable: Crypto++ only. All give equal keys.
enum class BatchPath : std::uint8_t { kAuto, kLanes, kPortable };

class SendBatch {
 public:
  explicit SendBatch(BatchPath path = BatchPath::kAuto);
  // Adopts the chains (session i = chains[i]); they keep their suite, key, slots and counter.
  explicit SendBatch(std::vector<SendChain> chains, BatchPath path = BatchPath::kAuto);
  ~SendBatch();  // wipes master keys, packed round keys and slots (RAT-010)
  SendBatch(SendBatch&&) noexcept;
  SendBatch& operator=(SendBatch&&) noexcept;
  SendBatch(const SendBatch&) = delete;
  SendBatch& operator=(const SendBatch&) = delete;

  // Adopts one more chain as the next session; returns its index.
  std::size_t add(SendChain&& chain);

  // out[i] = what session i's SendChain::next() would return, for every session.
  // out.size() must equal size(). kBadState if any session's counter reached kCounterLimit
  // (RAT-003); then no session has moved.
  Status step_all(std::span<MessageKey> out);

  std::size_t size() const;
  bool wide() const;  // whether steps run on the VAES-512 path
  Suite suite(std::size_t session) const;
  std::uint32_t next_counter(std::size_t session) const;
  std::array<Block, 4> slots(std::size_t session) const;  // as SendChain::slots() would be

  // Gives every session back as a SendChain (in session order); the batch is empty after.
  std::vector<SendChain> release();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace spmc::ratchet
