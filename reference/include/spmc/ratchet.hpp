#pragma once
// The message-key ratchet of the paper's Fig. 5 (contract RAT-001..RAT-010): four seed
// numbers, each stepped with AES under the master key. A SendChain hands out keys in
// counter order; a ReceiveChain accepts counters in any order within a bounded window,
// in two phases (prepare, then commit once the message opened) so a failure changes nothing.
#include <array>
#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "spmc/bytes.hpp"
#include "spmc/crypto.hpp"
#include "spmc/profile.hpp"
#include "spmc/result.hpp"
#include "spmc/secret.hpp"
#include "spmc/suite.hpp"

namespace spmc::ratchet {

inline constexpr std::uint16_t kStateVersion = 1;
// RAT-003: the counter no sender may use; the receiver's `next` never passes it.
inline constexpr std::uint32_t kCounterLimit = 0xffffffffU;

// RAT-001: the four seed numbers of a key share.
struct SeedFile {
  std::array<Block, 4> n{};
  bool operator==(const SeedFile&) const = default;
};

// RAT-002: one step of a slot: returns mk = AES_K(slot) and sets slot := AES_K(mk) XOR slot.
Block step(const crypto::AesBlockCipher& cipher, Block& slot);

struct MessageKey {
  std::uint32_t counter = 0;
  Block key{};
  bool operator==(const MessageKey&) const = default;
};

class SendChain {
 public:
  // Starts at counter 0 (RAT-003) or fast-forwards to first_counter by stepping the slots
  // (O(first_counter) AES calls), so the keys are those of counters first_counter, ...
  SendChain(Suite suite, ByteView master_key, const SeedFile& seed,
            std::uint32_t first_counter = 0);
  // Move-only (the cipher is); every secret member wipes itself when destroyed, assigned
  // over or moved from (RAT-010).

  // The protocol state alone, for a batch that steps chains elsewhere (ratchet::SendBatch
  // in spmc_fastratchet): the slots are those of counter `next`.
  struct State {
    Suite suite = Suite::kAes128;
    Secret<Bytes> master_key;
    Secret<std::array<Block, 4>> slots;
    std::uint32_t next = 0;
  };
  // Rebuilds a chain from a state without stepping (no fast-forward).
  explicit SendChain(State&& state);
  // Takes the state out; the chain is left wiped and empty.
  State take_state() &&;

  // The key of the next counter; kBadState once the counter reached kCounterLimit (RAT-003).
  Result<MessageKey> next();

  Suite suite() const { return m_suite; }
  std::uint32_t next_counter() const { return m_next; }
  const std::array<Block, 4>& slots() const { return m_slots; }

  // Local-store form: u16 version; u16 suite; master key; 4 slots; u32 next.
  Bytes encode_state() const;
  static Result<SendChain> decode_state(ByteView in);

  bool operator==(const SendChain& other) const;

 private:
  // ratchet_batch.hpp: steps many chains at once through the interleaved AES path.
  friend Status step_many(std::span<SendChain* const> chains, std::span<MessageKey> out);
  void derive_ahead();
  void drop_ahead();
  Suite m_suite;
  Secret<Bytes> m_master_key;
  crypto::AesBlockCipher m_cipher;
  Secret<std::array<Block, 4>> m_slots{};
  std::uint32_t m_next = 0;
  // Not protocol state (never encoded or compared): the keys of counters m_next ..
  // m_next + m_ahead - 1 and the values their slots step to, indexed by slot. Each slot's
  // step is two dependent AES calls, latency a sealing sender would wait for on every
  // message; the four slots are independent, so next() derives one key per slot at once,
  // interleaved, and the wait is paid once per four messages (bench/README.md, "The send
  // path"). All of it follows from m_slots and the master key: holding it exposes nothing
  // the state does not, and a key leaves it (wiped) when next() hands it out.
  Secret<std::array<Block, 4>> m_ahead_keys{};
  Secret<std::array<Block, 4>> m_ahead_slots{};
  std::uint32_t m_ahead = 0;
};

// What a ReceiveChain would become if the message with this counter opens (RAT-009).
// Its secrets are Secret members, wiped on destruction and move-from; move-only.
struct PendingKey {
  PendingKey() = default;
  ~PendingKey() = default;
  PendingKey(PendingKey&&) noexcept = default;
  PendingKey& operator=(PendingKey&&) noexcept = default;
  PendingKey(const PendingKey&) = delete;
  PendingKey& operator=(const PendingKey&) = delete;

  std::uint32_t counter = 0;
  Secret<Block> key{};
  bool from_skipped = false;  // RAT-006: the key was held; commit erases it
  // RAT-005/RAT-008 when derived: the new slots, next and low, the surviving new skipped
  // keys, and how many of the lowest existing skipped keys are evicted.
  Secret<std::array<Block, 4>> slots{};
  std::uint32_t next = 0;
  std::uint32_t low = 0;
  std::vector<std::pair<std::uint32_t, Secret<Block>>> new_skipped;
  std::size_t evict_existing = 0;
  // The chain state prepare() saw; commit() checks it still holds (programmer error else).
  std::uint32_t base_next = 0;
  std::uint32_t base_low = 0;
  std::size_t base_skipped = 0;
};

class ReceiveChain {
 public:
  ReceiveChain(Suite suite, ByteView master_key, const SeedFile& seed, const Limits& limits);
  // Move-only (the cipher is); every secret member wipes itself when destroyed, assigned
  // over or moved from (RAT-010).

  // RAT-005..RAT-007: the key for `counter` and the would-be state; mutates nothing.
  // Errors: kReplay, kCounterTooOld, kCounterTooFarAhead, kBadValue (counter kCounterLimit).
  Result<PendingKey> prepare(std::uint32_t counter) const;
  // RAT-008..RAT-010: applies a pending key prepared from the current state.
  void commit(PendingKey&& pending);
  // prepare + commit without a message (tests, and callers that verify elsewhere).
  Result<MessageKey> accept(std::uint32_t counter);

  Suite suite() const { return m_suite; }
  std::uint32_t next_counter() const { return m_next; }
  std::uint32_t low_counter() const { return m_low; }
  const std::array<Block, 4>& slots() const { return m_slots; }
  std::size_t skipped_count() const { return m_skipped.size(); }
  bool holds(std::uint32_t counter) const { return m_skipped.contains(counter); }
  const Limits& limits() const { return m_limits; }

  // Local-store form: u16 version; u16 suite; master key; 4 slots; u32 next; u32 low;
  // u32 count; count x (u32 counter, 16-byte key), counters strictly increasing in [low, next).
  Bytes encode_state() const;
  static Result<ReceiveChain> decode_state(ByteView in, const Limits& limits);

  // Compares the protocol state (suite, key, slots, next, low, skipped keys), not limits.
  bool operator==(const ReceiveChain& other) const;

 private:
  Result<PendingKey> prepare_skipped(std::uint32_t counter) const;
  PendingKey prepare_forward(std::uint32_t counter) const;

  Suite m_suite;
  Secret<Bytes> m_master_key;
  crypto::AesBlockCipher m_cipher;
  Secret<std::array<Block, 4>> m_slots{};
  std::uint32_t m_next = 0;  // RAT-004: lowest counter not yet derived
  std::uint32_t m_low = 0;   // RAT-004: lowest counter whose key might still be held
  std::map<std::uint32_t, Secret<Block>> m_skipped;  // RAT-010: erasing a key wipes it
  Limits m_limits;
};

}  // namespace spmc::ratchet
