#pragma once
// The crypto facade (spec/crypto.md). Only reference/src/crypto/ includes Crypto++;
// everything else sees these small functions and fixed-size types.
#include <array>
#include <cstdint>
#include <memory>
#include <span>

#include "spmc/bytes.hpp"
#include "spmc/result.hpp"
#include "spmc/rng.hpp"

namespace spmc::crypto {

using Digest = std::array<std::uint8_t, 32>;
using X25519Public = std::array<std::uint8_t, 32>;
using X25519Secret = std::array<std::uint8_t, 32>;
using Ed25519Public = std::array<std::uint8_t, 32>;
using Ed25519Secret = std::array<std::uint8_t, 32>;  // the RFC 8032 seed
using Ed25519Signature = std::array<std::uint8_t, 64>;
using GcmNonce = std::array<std::uint8_t, 12>;
inline constexpr std::size_t kGcmTagSize = 16;

// AES block encryption, key of 16, 24 or 32 bytes (programmer error otherwise).
Block aes_encrypt_block(ByteView key, const Block& in);

// Which implementation an AesBlockCipher runs. kAuto takes the AES-NI fast path when the
// CPU has it (asked at run time; 16- and 32-byte keys) and Crypto++ otherwise; kPortable
// always takes Crypto++ (tests prove the two equal).
enum class AesPath : std::uint8_t { kAuto, kPortable };

// A pre-expanded AES key for repeated block encryption (the ratchet's hot path).
class AesBlockCipher {
 public:
  explicit AesBlockCipher(ByteView key, AesPath path = AesPath::kAuto);
  ~AesBlockCipher();
  AesBlockCipher(AesBlockCipher&&) noexcept;
  AesBlockCipher& operator=(AesBlockCipher&&) noexcept;
  AesBlockCipher(const AesBlockCipher&) = delete;
  AesBlockCipher& operator=(const AesBlockCipher&) = delete;
  Block encrypt(const Block& in) const;
  // Encrypts n independent blocks in place (lets Crypto++ pipeline AES-NI).
  void encrypt_many(std::span<Block> blocks) const;
  // RAT-002's two dependent encryptions: first = E(in), second = E(first).
  void encrypt_twice(const Block& in, Block& first, Block& second) const;
  // RAT-002 on four slots under this key, in place: keys[i] = E(slots[i]), then
  // slots[i] = E(keys[i]) XOR slots[i]. The four chains run interleaved on the fast path.
  void ratchet_step_four(std::array<Block, 4>& slots, std::array<Block, 4>& keys) const;
  // Whether this cipher runs on the AES-NI fast path.
  bool hardware() const;

 private:
  friend void encrypt_twice_many(std::span<const AesBlockCipher* const> ciphers,
                                 std::span<const Block> in, std::span<Block> first,
                                 std::span<Block> second);
  friend void aes_ratchet_step_many(std::span<const AesBlockCipher* const> ciphers,
                                    std::span<Block* const> slots, std::span<Block* const> keys,
                                    bool allow_wide);
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// encrypt_twice for many independent (cipher, block) pairs, each cipher its own key: on the
// fast path up to 8 lanes run interleaved, hiding aesenc latency. All spans of equal size.
void encrypt_twice_many(std::span<const AesBlockCipher* const> ciphers, std::span<const Block> in,
                        std::span<Block> first, std::span<Block> second);

// RAT-002 on many (cipher, slot) pairs, each cipher its own key: *keys[i] = E(*slots[i]),
// then *slots[i] = E(*keys[i]) XOR *slots[i]. Chosen at run time: VAES-512 in place (32 lanes
// interleaved) when the CPU has VAES + AVX-512F, else encrypt_twice_many (AES-NI 8 lanes or
// Crypto++). All spans of equal size; no slot may be listed twice, none may alias a key.
// allow_wide = false skips VAES (so tests reach the AES-NI lanes on a VAES machine too).
void aes_ratchet_step_many(std::span<const AesBlockCipher* const> ciphers,
                           std::span<Block* const> slots, std::span<Block* const> keys,
                           bool allow_wide = true);

// AES-GCM with a 16-byte tag appended to the ciphertext. kAuto takes the AES-NI + PCLMULQDQ
// fast path when the CPU has both (16- and 32-byte keys) and Crypto++ otherwise; kPortable
// always takes Crypto++ (tests/prop/gcm_prop.cpp and fuzz/gcm_diff_fuzzer.cpp prove the two
// equal).
Bytes aes_gcm_seal(ByteView key, const GcmNonce& nonce, ByteView aad, ByteView plaintext,
                   AesPath path = AesPath::kAuto);
Result<Bytes> aes_gcm_open(ByteView key, const GcmNonce& nonce, ByteView aad, ByteView ciphertext,
                           AesPath path = AesPath::kAuto);
// aes_gcm_seal into a caller's buffer of exactly plaintext.size() + kGcmTagSize bytes (lets an
// encoder seal straight into its output). out may start at plaintext (in place); otherwise
// it may not overlap plaintext, and never aad.
void aes_gcm_seal_into(ByteView key, const GcmNonce& nonce, ByteView aad, ByteView plaintext,
                       std::span<std::uint8_t> out, AesPath path = AesPath::kAuto);
// Whether aes_gcm_* with this key size and AesPath::kAuto runs the fast path on this CPU.
bool aes_gcm_hardware(std::size_t key_size);

Digest sha256(ByteView data);

// Incremental SHA-256 (for hashes of streams too long to hold, such as a trace).
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher& other);
  Sha256Hasher& operator=(const Sha256Hasher& other);
  void update(ByteView data);
  // The digest of everything so far; hashing may continue afterwards.
  Digest digest() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};
Digest hmac_sha256(ByteView key, ByteView data);
Bytes hkdf_sha256(ByteView ikm, ByteView salt, ByteView info, std::size_t length);
// scrypt (RFC 7914). cost_n a power of two.
Bytes scrypt(ByteView password, ByteView salt, std::uint64_t cost_n, std::uint32_t block_r,
             std::uint32_t parallel_p, std::size_t length);

struct X25519KeyPair {
  X25519Public public_key;
  X25519Secret secret_key;
};
X25519KeyPair x25519_generate(Rng& rng);
// Fails with kBadValue on an all-zero shared secret (small-order public key).
Result<Digest> x25519_agree(const X25519Secret& secret, const X25519Public& peer);
X25519Public x25519_public_from_secret(const X25519Secret& secret);

struct Ed25519KeyPair {
  Ed25519Public public_key;
  Ed25519Secret secret_key;
};
Ed25519KeyPair ed25519_generate(Rng& rng);
// The key pair of an RFC 8032 seed: a restarted server gets its CA public key back (SRV-021).
Ed25519KeyPair ed25519_from_secret(const Ed25519Secret& secret);
Ed25519Signature ed25519_sign(const Ed25519Secret& secret, ByteView message);
bool ed25519_verify(const Ed25519Public& public_key, ByteView message,
                    const Ed25519Signature& signature);

// Public-key encryption suite PKE-1 (spec/crypto.md): an ephemeral X25519 share, HKDF-SHA256
// over (shared secret, enc, recipient public key), AES-256-GCM with a zero nonce (the key
// is fresh for every message). Output: enc (32 bytes) || ciphertext || tag.
Bytes pke_seal(Rng& rng, const X25519Public& recipient, ByteView aad, ByteView plaintext);
Result<Bytes> pke_open(const X25519Secret& secret, ByteView aad, ByteView sealed);

}  // namespace spmc::crypto
