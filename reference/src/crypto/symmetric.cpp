// AES, AES-GCM, SHA-256, HMAC, HKDF and scrypt through Crypto++, and the AES-NI, VAES and
// CLMUL fast paths of spmc_fastcrypto where the CPU has them: this file is the one door
// between the protocol code and SIMD.
#include <cryptopp/aes.h>
#include <cryptopp/gcm.h>
#include <cryptopp/hkdf.h>
#include <cryptopp/hmac.h>
#include <cryptopp/scrypt.h>
#include <cryptopp/sha.h>

#include <algorithm>
#include <array>

#include "spmc/crypto.hpp"
#include "spmc/fast/aesni.hpp"
#include "spmc/fast/gcm_clmul.hpp"
#include "spmc/secret.hpp"

namespace spmc::crypto {

namespace {
void check_aes_key(ByteView key) {
  SPMC_CHECK(key.size() == 16 || key.size() == 24 || key.size() == 32);
}
}  // namespace

Block aes_encrypt_block(ByteView key, const Block& in) {
  check_aes_key(key);
  CryptoPP::AES::Encryption enc(key.data(), key.size());
  Block out{};
  enc.ProcessBlock(in.data(), out.data());
  return out;
}

struct AesBlockCipher::Impl {
  CryptoPP::AES::Encryption enc;
  bool hardware = false;
  Secret<fast::aesni::Schedule> schedule;  // valid iff hardware; wiped with the cipher (RAT-010)
};

AesBlockCipher::AesBlockCipher(ByteView key, AesPath path) : m_impl(std::make_unique<Impl>()) {
  check_aes_key(key);
  m_impl->enc.SetKey(key.data(), key.size());
  if (path == AesPath::kAuto && fast::aesni::available() &&
      fast::aesni::supports_key_size(key.size())) {
    fast::aesni::expand(key, m_impl->schedule);
    m_impl->hardware = true;
  }
}
AesBlockCipher::~AesBlockCipher() = default;
AesBlockCipher::AesBlockCipher(AesBlockCipher&&) noexcept = default;
AesBlockCipher& AesBlockCipher::operator=(AesBlockCipher&&) noexcept = default;

bool AesBlockCipher::hardware() const { return m_impl->hardware; }

Block AesBlockCipher::encrypt(const Block& in) const {
  Block out{};
  if (m_impl->hardware) {
    fast::aesni::encrypt(m_impl->schedule, in, out);
  } else {
    m_impl->enc.ProcessBlock(in.data(), out.data());
  }
  return out;
}

void AesBlockCipher::encrypt_many(std::span<Block> blocks) const {
  if (blocks.empty()) {
    return;
  }
  auto* p = blocks.front().data();
  m_impl->enc.AdvancedProcessBlocks(p, nullptr, p, blocks.size() * sizeof(Block), 0);
}

void AesBlockCipher::encrypt_twice(const Block& in, Block& first, Block& second) const {
  if (m_impl->hardware) {
    fast::aesni::encrypt_twice(m_impl->schedule, in, first, second);
    return;
  }
  m_impl->enc.ProcessBlock(in.data(), first.data());
  m_impl->enc.ProcessBlock(first.data(), second.data());
}

void AesBlockCipher::ratchet_step_four(std::array<Block, 4>& slots,
                                       std::array<Block, 4>& keys) const {
  if (m_impl->hardware) {
    fast::aesni::step_four(m_impl->schedule, slots.data(), keys.data());
    return;
  }
  for (std::size_t i = 0; i < 4; ++i) {
    Secret<Block> second{};
    encrypt_twice(slots[i], keys[i], second);
    slots[i] = xor_blocks(second, slots[i]);
  }
}

void encrypt_twice_many(std::span<const AesBlockCipher* const> ciphers, std::span<const Block> in,
                        std::span<Block> first, std::span<Block> second) {
  SPMC_CHECK(in.size() == ciphers.size() && first.size() == ciphers.size() &&
             second.size() == ciphers.size());
  for (std::size_t begin = 0; begin < ciphers.size();) {
    const fast::aesni::Schedule* keys[fast::aesni::kLanes];
    std::size_t n = 0;
    while (begin + n < ciphers.size() && n < fast::aesni::kLanes) {
      const AesBlockCipher::Impl& impl = *ciphers[begin + n]->m_impl;
      if (!impl.hardware || (n > 0 && impl.schedule.rounds != keys[0]->rounds)) {
        break;
      }
      keys[n++] = &impl.schedule;
    }
    if (n == 0) {  // a portable lane: Crypto++, one at a time
      ciphers[begin]->encrypt_twice(in[begin], first[begin], second[begin]);
      ++begin;
      continue;
    }
    fast::aesni::encrypt_twice_lanes(keys, n, &in[begin], &first[begin], &second[begin]);
    begin += n;
  }
}

namespace {

// Without VAES: gather the slots, encrypt_twice_many (AES-NI 8 lanes or Crypto++), XOR back.
void ratchet_step_lanes(std::span<const AesBlockCipher* const> ciphers,
                        std::span<Block* const> slots, std::span<Block* const> keys) {
  constexpr std::size_t kChunk = fast::aesni::kLanes;
  // RAT-010: old slots and their successors, wiped on return.
  Secret<std::array<Block, kChunk>> in;
  Secret<std::array<Block, kChunk>> first;
  Secret<std::array<Block, kChunk>> second;
  for (std::size_t begin = 0; begin < ciphers.size(); begin += kChunk) {
    const std::size_t n = std::min(kChunk, ciphers.size() - begin);
    for (std::size_t i = 0; i < n; ++i) {
      in[i] = *slots[begin + i];
    }
    encrypt_twice_many(ciphers.subspan(begin, n), std::span(in).first(n), std::span(first).first(n),
                       std::span(second).first(n));
    for (std::size_t i = 0; i < n; ++i) {
      *keys[begin + i] = first[i];
      *slots[begin + i] = xor_blocks(second[i], in[i]);
    }
  }
}

}  // namespace

void aes_ratchet_step_many(std::span<const AesBlockCipher* const> ciphers,
                           std::span<Block* const> slots, std::span<Block* const> keys,
                           bool allow_wide) {
  SPMC_CHECK(slots.size() == ciphers.size() && keys.size() == ciphers.size());
  if (!allow_wide || !fast::aesni::wide_available()) {
    ratchet_step_lanes(ciphers, slots, keys);
    return;
  }
  for (std::size_t begin = 0; begin < ciphers.size();) {
    // The run the wide path can take: hardware keys of equal rounds.
    const fast::aesni::Schedule* wide_keys[fast::aesni::kWideLanes];
    std::size_t n = 0;
    while (begin + n < ciphers.size() && n < fast::aesni::kWideLanes) {
      const AesBlockCipher::Impl& impl = *ciphers[begin + n]->m_impl;
      if (!impl.hardware || (n > 0 && impl.schedule.rounds != wide_keys[0]->rounds)) {
        break;
      }
      wide_keys[n++] = &impl.schedule;
    }
    if (n == 0) {  // a portable lane (Crypto++) or AES-192
      ratchet_step_lanes(ciphers.subspan(begin, 1), slots.subspan(begin, 1),
                         keys.subspan(begin, 1));
      ++begin;
      continue;
    }
    fast::aesni::step_wide(wide_keys, n, &slots[begin], &keys[begin]);
    begin += n;
  }
}

bool aes_gcm_hardware(std::size_t key_size) {
  return fast::gcm_clmul::available() && fast::gcm_clmul::supports_key_size(key_size);
}

void aes_gcm_seal_into(ByteView key, const GcmNonce& nonce, ByteView aad, ByteView plaintext,
                       std::span<std::uint8_t> out, AesPath path) {
  check_aes_key(key);
  SPMC_CHECK(out.size() == plaintext.size() + kGcmTagSize);
  if (path == AesPath::kAuto && aes_gcm_hardware(key.size())) {
    fast::gcm_clmul::seal(key, nonce.data(), aad, plaintext, out.data());
    return;
  }
  // In place is fine: Crypto++'s CTR keystream XOR allows in == out.
  CryptoPP::GCM<CryptoPP::AES>::Encryption enc;
  enc.SetKeyWithIV(key.data(), key.size(), nonce.data(), nonce.size());
  enc.EncryptAndAuthenticate(out.data(), out.data() + plaintext.size(), kGcmTagSize, nonce.data(),
                             nonce.size(), aad.data(), aad.size(), plaintext.data(),
                             plaintext.size());
}

Bytes aes_gcm_seal(ByteView key, const GcmNonce& nonce, ByteView aad, ByteView plaintext,
                   AesPath path) {
  Bytes out(plaintext.size() + kGcmTagSize);
  aes_gcm_seal_into(key, nonce, aad, plaintext, out, path);
  return out;
}

Result<Bytes> aes_gcm_open(ByteView key, const GcmNonce& nonce, ByteView aad, ByteView ciphertext,
                           AesPath path) {
  check_aes_key(key);
  if (ciphertext.size() < kGcmTagSize) {
    return make_error(ErrorCode::kDecryptFailed, "ciphertext shorter than the GCM tag");
  }
  const std::size_t n = ciphertext.size() - kGcmTagSize;
  Bytes out(n);
  bool ok = false;
  if (path == AesPath::kAuto && aes_gcm_hardware(key.size())) {
    ok =
        fast::gcm_clmul::open(key, nonce.data(), aad, ciphertext, out.data());  // writes only if ok
  } else {
    CryptoPP::GCM<CryptoPP::AES>::Decryption dec;
    dec.SetKeyWithIV(key.data(), key.size(), nonce.data(), nonce.size());
    ok = dec.DecryptAndVerify(out.data(), ciphertext.data() + n, kGcmTagSize, nonce.data(),
                              nonce.size(), aad.data(), aad.size(), ciphertext.data(), n);
  }
  if (!ok) {
    secure_wipe(out);
    return make_error(ErrorCode::kDecryptFailed, "AES-GCM tag does not verify");
  }
  return out;
}

Digest sha256(ByteView data) {
  Digest d{};
  CryptoPP::SHA256().CalculateDigest(d.data(), data.data(), data.size());
  return d;
}

struct Sha256Hasher::Impl {
  CryptoPP::SHA256 hash;
};
Sha256Hasher::Sha256Hasher() : m_impl(std::make_unique<Impl>()) {}
Sha256Hasher::~Sha256Hasher() = default;
Sha256Hasher::Sha256Hasher(const Sha256Hasher& other)
    : m_impl(std::make_unique<Impl>(*other.m_impl)) {}
Sha256Hasher& Sha256Hasher::operator=(const Sha256Hasher& other) {
  m_impl = std::make_unique<Impl>(*other.m_impl);
  return *this;
}
void Sha256Hasher::update(ByteView data) { m_impl->hash.Update(data.data(), data.size()); }
Digest Sha256Hasher::digest() const {
  CryptoPP::SHA256 copy(m_impl->hash);  // Final resets the object; keep ours going
  Digest d{};
  copy.Final(d.data());
  return d;
}

Digest hmac_sha256(ByteView key, ByteView data) {
  Digest d{};
  CryptoPP::HMAC<CryptoPP::SHA256> mac(key.data(), key.size());
  mac.CalculateDigest(d.data(), data.data(), data.size());
  return d;
}

Bytes hkdf_sha256(ByteView ikm, ByteView salt, ByteView info, std::size_t length) {
  SPMC_CHECK(length <= 255 * 32);
  Bytes out(length);
  CryptoPP::HKDF<CryptoPP::SHA256> kdf;
  kdf.DeriveKey(out.data(), out.size(), ikm.data(), ikm.size(), salt.data(), salt.size(),
                info.data(), info.size());
  return out;
}

Bytes scrypt(ByteView password, ByteView salt, std::uint64_t cost_n, std::uint32_t block_r,
             std::uint32_t parallel_p, std::size_t length) {
  SPMC_CHECK(cost_n >= 2 && (cost_n & (cost_n - 1)) == 0);
  Bytes out(length);
  CryptoPP::Scrypt kdf;
  kdf.DeriveKey(out.data(), out.size(), password.data(), password.size(), salt.data(), salt.size(),
                cost_n, block_r, parallel_p);
  return out;
}

}  // namespace spmc::crypto
