#pragma once
// The AES-GCM fast path behind crypto::aes_gcm_seal / aes_gcm_open (spmc_fastcrypto; only
// the crypto facade's implementation includes it): AES-NI for the key schedule and the
// counter blocks, PCLMULQDQ for GHASH (NIST SP 800-38D with a 96-bit IV; the carry-less
// multiply and reduction of Intel's "Carry-Less Multiplication and Its Usage for Computing
// the GCM Mode" white paper). Chosen at run time like aesni::available(); AES-192 keys stay
// on Crypto++. Equality with Crypto++ is proven by tests/prop/gcm_prop.cpp and
// fuzz/gcm_diff_fuzzer.cpp (against OpenSSL as well).
#include <cstddef>
#include <cstdint>

#include "spmc/bytes.hpp"

namespace spmc::fast::gcm_clmul {

inline constexpr std::size_t kIvSize = 12;
inline constexpr std::size_t kTagSize = 16;

// Whether this CPU has AES-NI, PCLMULQDQ and SSSE3 (cached after the first call).
bool available();
// 16 or 32 bytes.
bool supports_key_size(std::size_t key_size);

// out receives plaintext.size() + kTagSize bytes: the ciphertext, then the tag. out may
// start at plaintext (in place); otherwise it may not overlap it, and never aad.
// Requires available() and supports_key_size(key.size()).
void seal(ByteView key, const std::uint8_t* iv, ByteView aad, ByteView plaintext,
          std::uint8_t* out);

// Checks the tag (constant time) before anything is decrypted; on success writes
// ciphertext.size() - kTagSize bytes to out and returns true, on failure writes nothing.
// Requires ciphertext.size() >= kTagSize, available() and supports_key_size(key.size()).
bool open(ByteView key, const std::uint8_t* iv, ByteView aad, ByteView ciphertext,
          std::uint8_t* out);

}  // namespace spmc::fast::gcm_clmul
