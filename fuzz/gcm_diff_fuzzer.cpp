// Differential test of AES-GCM (crypto::aes_gcm_seal / aes_gcm_open): the fast path
// (AES-NI + PCLMULQDQ, AesPath::kAuto), Crypto++ (AesPath::kPortable) and OpenSSL's EVP
// AES-GCM (independent of both) must agree on fuzzer-chosen key size, key, nonce, AAD and
// plaintext; seal into the plaintext's own buffer must equal the copy; each path must open
// the others' output, and refuse it after a fuzzer-chosen bit flip.
#include <fuzzer/FuzzedDataProvider.h>
#include <openssl/evp.h>

#include <memory>

#include "fuzz_support.hpp"
#include "spmc/crypto.hpp"

namespace {

using namespace spmc;

Bytes openssl_seal(const Bytes& key, const crypto::GcmNonce& nonce, const Bytes& aad,
                   const Bytes& plaintext) {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      EVP_CIPHER_CTX_free);
  const EVP_CIPHER* cipher = key.size() == 16   ? EVP_aes_128_gcm()
                             : key.size() == 24 ? EVP_aes_192_gcm()
                                                : EVP_aes_256_gcm();
  Bytes out(plaintext.size() + crypto::kGcmTagSize);
  int len = 0;
  SPMC_FUZZ_CHECK(EVP_EncryptInit_ex(ctx.get(), cipher, nullptr, key.data(), nonce.data()) == 1);
  SPMC_FUZZ_CHECK(
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1);
  SPMC_FUZZ_CHECK(EVP_EncryptUpdate(ctx.get(), out.data(), &len, plaintext.data(),
                                    static_cast<int>(plaintext.size())) == 1);
  SPMC_FUZZ_CHECK(EVP_EncryptFinal_ex(ctx.get(), out.data() + len, &len) == 1 && len == 0);
  SPMC_FUZZ_CHECK(
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, out.data() + plaintext.size()) == 1);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const std::size_t key_size = 16 + 8 * in.ConsumeIntegralInRange<std::size_t>(0, 2);
  const Bytes key = in.ConsumeBytes<std::uint8_t>(key_size);
  if (key.size() != key_size) {
    return 0;
  }
  crypto::GcmNonce nonce{};
  const Bytes nonce_bytes = in.ConsumeBytes<std::uint8_t>(nonce.size());
  std::copy(nonce_bytes.begin(), nonce_bytes.end(), nonce.begin());
  const Bytes aad = in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 300));
  const std::size_t flip = in.ConsumeIntegral<std::size_t>();
  const Bytes plaintext = in.ConsumeRemainingBytes<std::uint8_t>();

  const Bytes fast = crypto::aes_gcm_seal(key, nonce, aad, plaintext, crypto::AesPath::kAuto);
  const Bytes portable =
      crypto::aes_gcm_seal(key, nonce, aad, plaintext, crypto::AesPath::kPortable);
  SPMC_FUZZ_CHECK(fast == portable);
  SPMC_FUZZ_CHECK(fast == openssl_seal(key, nonce, aad, plaintext));

  Bytes in_place = plaintext;
  in_place.resize(plaintext.size() + crypto::kGcmTagSize);
  crypto::aes_gcm_seal_into(key, nonce, aad, ByteView(in_place).first(plaintext.size()), in_place,
                            crypto::AesPath::kAuto);
  SPMC_FUZZ_CHECK(in_place == fast);

  for (const auto path : {crypto::AesPath::kAuto, crypto::AesPath::kPortable}) {
    const auto opened = crypto::aes_gcm_open(key, nonce, aad, fast, path);
    SPMC_FUZZ_CHECK(opened.ok() && *opened == plaintext);
    Bytes tampered = fast;
    tampered[(flip / 8) % tampered.size()] ^= static_cast<std::uint8_t>(1U << (flip % 8));
    SPMC_FUZZ_CHECK(!crypto::aes_gcm_open(key, nonce, aad, tampered, path).ok());
  }
  return 0;
}
