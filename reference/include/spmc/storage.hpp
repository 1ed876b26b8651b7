#pragma once
// The PIN-protected local store (paper section 3.7; STO-001..005). Sans-IO: LocalStore
// holds the store file's bytes in memory and the caller persists file() after every call
// (including a failed unlock, STO-003). A random storage key seals the state; the key
// is wrapped under a key derived from the PIN (STO-002).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "spmc/bytes.hpp"
#include "spmc/crypto.hpp"
#include "spmc/profile.hpp"
#include "spmc/result.hpp"
#include "spmc/rng.hpp"
#include "spmc/secret.hpp"
#include "spmc/wire_traits.hpp"

namespace spmc::storage {

enum class Kdf : std::uint8_t { kSha256 = 1, kScrypt = 2 };

inline constexpr std::size_t kSaltSize = 16;
inline constexpr std::size_t kStorageKeySize = 32;
inline constexpr std::size_t kWrappedKeySize = 60;  // nonce 12 || key 32 || tag 16
inline constexpr std::uint8_t kPinTries = 3;        // STO-004, Limits::pin_tries
inline constexpr std::uint32_t kScryptR = 8;        // STO-002 (hardened: N=2^14 r=8 p=1)
inline constexpr std::uint32_t kScryptP = 1;
inline constexpr std::uint64_t kMaxScryptCost = 1U << 20;  // bounds a hostile file's cost
inline constexpr std::size_t kMaxStateSize = 1U << 26;
inline constexpr std::size_t kSealedMin = 12 + crypto::kGcmTagSize;  // nonce || tag: empty state

// STO-001: magic "SPMCST01"; u8 kdf; u64 cost_n; u8 r; u8 p; salt[16]; u8 failed_tries;
// bytes16 wrapped_storage_key <0 or 60>; bytes32 sealed_state (nonce 12 || ct || tag 16).
// For kdf sha256 cost_n, r and p are 0; the key is wiped (empty) iff failed_tries = 3.
struct StoreFile {
  Kdf kdf = Kdf::kSha256;
  std::uint64_t cost_n = 0;
  std::uint8_t block_r = 0;
  std::uint8_t parallel_p = 0;
  std::array<std::uint8_t, kSaltSize> salt{};
  std::uint8_t failed_tries = 0;
  Bytes wrapped_storage_key;
  Bytes sealed_state;
  friend bool operator==(const StoreFile&, const StoreFile&) = default;

  // The rules a decoder applies at their place in the format (storage_file.cpp).
  static Status check_kdf_parameters(const StoreFile& f);
  static Status check_key_and_tries(const StoreFile& f);
  // magic .. salt: the parameters the wrapped key is bound to (encode_file_parameters).
  static constexpr std::size_t kParameterFields = 7;
  static auto fields(auto& m) {
    using Magic = wire::Magic<"SPMCST01", "not a store file (bad magic)">;
    using KdfField = wire::Enum<Kdf, Kdf::kSha256, Kdf::kScrypt, "unknown PIN KDF">;
    using WrappedKey = wire::Bytes16<0, kWrappedKeySize>;
    using Sealed = wire::Bytes32<kSealedMin, kMaxStateSize + kSealedMin>;
    return wire::fields<Magic, KdfField, wire::U64, wire::U8, wire::U8,
                        wire::Check<check_kdf_parameters>, wire::Raw, wire::U8, WrappedKey,
                        wire::Check<check_key_and_tries>, Sealed>(
        wire::fixed, m.kdf, m.cost_n, m.block_r, m.parallel_p, m, m.salt, m.failed_tries,
        m.wrapped_storage_key, m, m.sealed_state);
  }
};

Bytes encode_store_file(const StoreFile& file);
// magic .. salt: the parameters the wrapped key is bound to (its AEAD AAD).
Bytes encode_file_parameters(const StoreFile& file);
Result<StoreFile> decode_store_file(ByteView in);

// STO-002: SHA-256(salt || PIN) or scrypt(PIN, salt, N, r, p, 32).
Bytes derive_kek(const StoreFile& file, std::string_view pin);

class LocalStore {
 public:
  // Draws, in order: salt (16), storage key (32), wrap nonce (12), state nonce (12).
  static LocalStore create(Rng& rng, const Profile& profile, std::string_view pin,
                           ByteView initial_state);
  static Result<LocalStore> load(ByteView file);

  // The plaintext state. A wrong PIN counts (and is in file() before this returns):
  // kWrongPin, or kLocked on the third in a row, which wipes the wrapped key for good.
  // A right PIN resets the count. A tampered state: kDecryptFailed, nothing changed.
  Result<Bytes> unlock(std::string_view pin);
  // Re-seals new_state under the same storage key; the PIN is checked as by unlock.
  Status update(Rng& rng, std::string_view pin, ByteView new_state);

  // STO-011: a running application keeps the store open. After create() or a successful
  // unlock() the storage key stays in memory (wiped by lock() and by the destructor), so the
  // phone re-seals its state after every change without asking for the PIN again.
  bool open() const { return !m_storage_key.empty(); }
  void seal(Rng& rng, ByteView new_state);  // requires open()
  void lock() { m_storage_key = Secret<Bytes>(); }

  const Bytes& file() const { return m_file; }
  std::uint8_t failed_tries() const { return m_store.failed_tries; }
  bool locked() const { return m_store.wrapped_storage_key.empty(); }

 private:
  explicit LocalStore(StoreFile store);
  Result<Bytes> open_storage_key(std::string_view pin);
  void commit(StoreFile next);

  StoreFile m_store;
  Bytes m_file;
  Secret<Bytes> m_storage_key;  // empty while closed (STO-011)
};

// Lost-phone attack: tries every PIN of exactly `digits` decimal digits against a copy of
// the file (an attacker ignores the try counter). Nothing if locked or not found.
std::optional<std::string> pin_bruteforce(const Bytes& file, std::uint32_t digits,
                                          std::uint64_t& guesses);

}  // namespace spmc::storage
