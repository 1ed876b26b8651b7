// X25519, Ed25519 and the PKE-1 sealed box through Crypto++.
#include <cryptopp/xed25519.h>

#include <algorithm>

#include "cryptopp_rng.hpp"
#include "spmc/crypto.hpp"

namespace spmc::crypto {

X25519KeyPair x25519_generate(Rng& rng) {
  detail::CryptoppRng adapter(rng);
  CryptoPP::x25519 domain;
  X25519KeyPair kp{};
  domain.GeneratePrivateKey(adapter, kp.secret_key.data());
  domain.GeneratePublicKey(adapter, kp.secret_key.data(), kp.public_key.data());
  return kp;
}

X25519Public x25519_public_from_secret(const X25519Secret& secret) {
  CryptoPP::x25519 domain;
  X25519Public pub{};
  domain.GeneratePublicKey(CryptoPP::NullRNG(), secret.data(), pub.data());
  return pub;
}

Result<Digest> x25519_agree(const X25519Secret& secret, const X25519Public& peer) {
  CryptoPP::x25519 domain;
  Digest shared{};
  // Crypto++ rejects small-order points when asked to validate the peer key.
  if (!domain.Agree(shared.data(), secret.data(), peer.data(), true)) {
    return make_error(ErrorCode::kBadValue, "X25519 public key rejected");
  }
  if (std::all_of(shared.begin(), shared.end(), [](std::uint8_t b) { return b == 0; })) {
    return make_error(ErrorCode::kBadValue, "X25519 shared secret is zero");
  }
  return shared;
}

Ed25519KeyPair ed25519_generate(Rng& rng) {
  Ed25519Secret secret{};
  rng.fill(secret);
  Ed25519KeyPair kp = ed25519_from_secret(secret);
  secure_wipe(secret);
  return kp;
}

Ed25519KeyPair ed25519_from_secret(const Ed25519Secret& secret) {
  Ed25519KeyPair kp{};
  kp.secret_key = secret;
  CryptoPP::ed25519Signer signer(kp.secret_key.data());
  const auto& key = dynamic_cast<const CryptoPP::ed25519PrivateKey&>(signer.GetPrivateKey());
  std::copy_n(key.GetPublicKeyBytePtr(), kp.public_key.size(), kp.public_key.begin());
  return kp;
}

Ed25519Signature ed25519_sign(const Ed25519Secret& secret, ByteView message) {
  CryptoPP::ed25519Signer signer(secret.data());
  Ed25519Signature sig{};
  // Ed25519 is deterministic: no randomness is drawn.
  signer.SignMessage(CryptoPP::NullRNG(), message.data(), message.size(), sig.data());
  return sig;
}

bool ed25519_verify(const Ed25519Public& public_key, ByteView message,
                    const Ed25519Signature& signature) {
  CryptoPP::ed25519Verifier verifier(public_key.data());
  return verifier.VerifyMessage(message.data(), message.size(), signature.data(), signature.size());
}

namespace {
constexpr std::string_view kPkeInfo = "SPMC PKE-1 X25519-HKDF-SHA256-AES256GCM";

Bytes pke_key(const Digest& shared, const X25519Public& enc, const X25519Public& recipient) {
  Bytes salt(enc.size() + recipient.size());
  std::copy(enc.begin(), enc.end(), salt.begin());
  std::copy(recipient.begin(), recipient.end(),
            salt.begin() + static_cast<std::ptrdiff_t>(enc.size()));
  const auto info = bytes_of(kPkeInfo);
  return hkdf_sha256(shared, salt, info, 32);
}
}  // namespace

Bytes pke_seal(Rng& rng, const X25519Public& recipient, ByteView aad, ByteView plaintext) {
  const X25519KeyPair eph = x25519_generate(rng);
  auto shared = x25519_agree(eph.secret_key, recipient);
  // A recipient key that fails agreement is a certificate the caller should not have
  // accepted; sealing to it is a programmer error.
  SPMC_CHECK(shared.ok());
  Bytes key = pke_key(*shared, eph.public_key, recipient);
  const GcmNonce zero_nonce{};
  Bytes ct = aes_gcm_seal(key, zero_nonce, aad, plaintext);
  secure_wipe(key);
  Bytes out(eph.public_key.size() + ct.size());
  std::copy(eph.public_key.begin(), eph.public_key.end(), out.begin());
  std::copy(ct.begin(), ct.end(), out.begin() + static_cast<std::ptrdiff_t>(eph.public_key.size()));
  return out;
}

Result<Bytes> pke_open(const X25519Secret& secret, ByteView aad, ByteView sealed) {
  if (sealed.size() < 32 + kGcmTagSize) {
    return make_error(ErrorCode::kTruncated, "sealed box shorter than enc and tag");
  }
  X25519Public enc{};
  std::copy_n(sealed.begin(), enc.size(), enc.begin());
  SPMC_TRY(Digest shared, x25519_agree(secret, enc));
  const X25519Public self = x25519_public_from_secret(secret);
  Bytes key = pke_key(shared, enc, self);
  const GcmNonce zero_nonce{};
  auto pt = aes_gcm_open(key, zero_nonce, aad, sealed.subspan(32));
  secure_wipe(key);
  return pt;
}

}  // namespace spmc::crypto
