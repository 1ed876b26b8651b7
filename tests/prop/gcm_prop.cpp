// The AES-GCM fast path (AES-NI + PCLMULQDQ, crypto::AesPath::kAuto) equals Crypto++
// (AesPath::kPortable) byte for byte: seal, open, in-place seal and tag rejection, for every
// key size and lengths that cross each branch (empty, partial blocks, one batch of six
// keystream blocks, later batches, four-block GHASH aggregation). On a CPU without the
// instructions both sides run Crypto++ and the properties still hold.
#include <gtest/gtest.h>
// rapidcheck/gtest.h needs gtest declared first.
#include <rapidcheck/gtest.h>

#include "spmc/crypto.hpp"
#include "spmc/rng.hpp"

namespace spmc::crypto {
namespace {

struct GcmCase {
  Bytes key;
  GcmNonce nonce{};
  Bytes aad;
  Bytes plaintext;
};

GcmCase draw_case() {
  GcmCase c;
  const auto key_size = *rc::gen::element<std::size_t>(16, 24, 32);
  DeterministicRng rng(*rc::gen::arbitrary<std::uint64_t>(), "gcm prop");
  c.key = rng.bytes(key_size);
  const Bytes nonce = rng.bytes(c.nonce.size());
  std::copy(nonce.begin(), nonce.end(), c.nonce.begin());
  // Mostly short (the envelopes), sometimes past several batches of eight blocks.
  const auto long_text = *rc::gen::inRange(0, 4) == 0;
  c.aad = rng.bytes(*rc::gen::inRange<std::size_t>(0, 80));
  c.plaintext = rng.bytes(*rc::gen::inRange<std::size_t>(0, long_text ? 1200 : 130));
  return c;
}

RC_GTEST_PROP(Gcm, FastSealEqualsCryptopp, ()) {
  const GcmCase c = draw_case();
  RC_ASSERT(aes_gcm_seal(c.key, c.nonce, c.aad, c.plaintext, AesPath::kAuto) ==
            aes_gcm_seal(c.key, c.nonce, c.aad, c.plaintext, AesPath::kPortable));
}

RC_GTEST_PROP(Gcm, EachPathOpensTheOthersSeal, ()) {
  const GcmCase c = draw_case();
  const Bytes fast = aes_gcm_seal(c.key, c.nonce, c.aad, c.plaintext, AesPath::kAuto);
  const Bytes portable = aes_gcm_seal(c.key, c.nonce, c.aad, c.plaintext, AesPath::kPortable);
  const auto by_fast = aes_gcm_open(c.key, c.nonce, c.aad, portable, AesPath::kAuto);
  const auto by_portable = aes_gcm_open(c.key, c.nonce, c.aad, fast, AesPath::kPortable);
  RC_ASSERT(by_fast.ok() && by_portable.ok());
  RC_ASSERT(*by_fast == c.plaintext);
  RC_ASSERT(*by_portable == c.plaintext);
}

RC_GTEST_PROP(Gcm, InPlaceSealEqualsCopy, ()) {
  const GcmCase c = draw_case();
  Bytes buffer = c.plaintext;
  buffer.resize(c.plaintext.size() + kGcmTagSize);
  aes_gcm_seal_into(c.key, c.nonce, c.aad, ByteView(buffer).first(c.plaintext.size()), buffer,
                    AesPath::kAuto);
  RC_ASSERT(buffer == aes_gcm_seal(c.key, c.nonce, c.aad, c.plaintext, AesPath::kPortable));
}

// Any one flipped bit of ciphertext, tag, AAD or nonce is refused by both paths alike.
RC_GTEST_PROP(Gcm, BothPathsRefuseAnyFlippedBit, ()) {
  GcmCase c = draw_case();
  Bytes sealed = aes_gcm_seal(c.key, c.nonce, c.aad, c.plaintext, AesPath::kPortable);
  const auto where = *rc::gen::inRange(0, 3);
  const auto bit = static_cast<std::uint8_t>(1U << *rc::gen::inRange(0, 8));
  if (where == 0) {
    sealed[*rc::gen::inRange<std::size_t>(0, sealed.size())] ^= bit;
  } else if (where == 1) {
    RC_PRE(!c.aad.empty());
    c.aad[*rc::gen::inRange<std::size_t>(0, c.aad.size())] ^= bit;
  } else {
    c.nonce[*rc::gen::inRange<std::size_t>(0, c.nonce.size())] ^= bit;
  }
  const auto fast = aes_gcm_open(c.key, c.nonce, c.aad, sealed, AesPath::kAuto);
  const auto portable = aes_gcm_open(c.key, c.nonce, c.aad, sealed, AesPath::kPortable);
  RC_ASSERT(!fast.ok() && !portable.ok());
  RC_ASSERT(fast.error().code == ErrorCode::kDecryptFailed);
}

TEST(Gcm, FastPathIsTakenWhereTheCpuHasIt) {
  // Not a tautology: on this CPU class the claim of the benchmarks is that the fast path runs.
  if (!aes_gcm_hardware(16)) {
    GTEST_SKIP() << "no AES-NI + PCLMULQDQ here";
  }
  EXPECT_TRUE(aes_gcm_hardware(32));
  EXPECT_FALSE(aes_gcm_hardware(24));  // AES-192 stays on Crypto++
}

}  // namespace
}  // namespace spmc::crypto
