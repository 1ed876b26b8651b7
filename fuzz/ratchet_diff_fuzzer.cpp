// Differential test of the ratchet (RAT-002, RAT-003, RAT-005): SendChain and ReceiveChain
// against an independent computation of Fig. 5 written here with OpenSSL's EVP AES-ECB
// (not Crypto++, which the library uses), on fuzzer-chosen suite, master key, seed,
// starting counter and receive order; and ratchet::step_many (the batch path: VAES-512 or
// AES-NI lanes, chosen at run time) on up to 40 chains at fuzzer-chosen counters.
#include <fuzzer/FuzzedDataProvider.h>
#include <openssl/evp.h>

#include <memory>

#include "fuzz_support.hpp"
#include "spmc/profile.hpp"
#include "spmc/ratchet.hpp"
#include "spmc/ratchet_batch.hpp"

namespace {

using namespace spmc;

// mk = AES_K(slot); slot := AES_K(mk) XOR slot, with counter c using slot c mod 4.
class OpenSslRatchet {
 public:
  OpenSslRatchet(const Bytes& key, const ratchet::SeedFile& seed)
      : m_ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free), m_slots(seed.n) {
    const EVP_CIPHER* cipher = key.size() == 16 ? EVP_aes_128_ecb() : EVP_aes_256_ecb();
    SPMC_FUZZ_CHECK(EVP_EncryptInit_ex(m_ctx.get(), cipher, nullptr, key.data(), nullptr) == 1);
    EVP_CIPHER_CTX_set_padding(m_ctx.get(), 0);
  }

  Block key_of_next() {
    Block& slot = m_slots[m_next % 4];
    const Block mk = aes(slot);
    const Block t = aes(mk);
    for (std::size_t i = 0; i < slot.size(); ++i) {
      slot[i] = static_cast<std::uint8_t>(slot[i] ^ t[i]);
    }
    ++m_next;
    return mk;
  }

 private:
  Block aes(const Block& in) {
    Block out{};
    int len = 0;
    SPMC_FUZZ_CHECK(EVP_EncryptUpdate(m_ctx.get(), out.data(), &len, in.data(),
                                      static_cast<int>(in.size())) == 1 &&
                    len == 16);
    return out;
  }

  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> m_ctx;
  std::array<Block, 4> m_slots;
  std::uint32_t m_next = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const Suite suite = in.ConsumeBool() ? Suite::kAes256 : Suite::kAes128;
  const Bytes key = in.ConsumeBytes<std::uint8_t>(master_key_size(suite));
  if (key.size() != master_key_size(suite)) {
    return 0;
  }
  ratchet::SeedFile seed;
  for (Block& b : seed.n) {
    const Bytes raw = in.ConsumeBytes<std::uint8_t>(b.size());
    std::copy(raw.begin(), raw.end(), b.begin());
  }
  const auto first = in.ConsumeIntegralInRange<std::uint32_t>(0, 300);
  const auto count = in.ConsumeIntegralInRange<std::uint32_t>(1, 64);

  const auto lanes = in.ConsumeIntegralInRange<std::uint32_t>(1, 40);
  constexpr std::uint32_t kBatchRounds = 2;

  // The independent keys of counters 0 .. first + count + lanes + kBatchRounds - 1.
  OpenSslRatchet reference(key, seed);
  std::vector<Block> expected;
  for (std::uint32_t c = 0; c < first + count + lanes + kBatchRounds; ++c) {
    expected.push_back(reference.key_of_next());
  }

  ratchet::SendChain sender(suite, key, seed, first);
  for (std::uint32_t c = first; c < first + count; ++c) {
    auto mk = sender.next();
    SPMC_FUZZ_CHECK(mk.ok() && mk->counter == c && mk->key == expected[c]);
  }

  // step_many: chain j starts at counter first + j, so every lane holds different slots.
  std::vector<std::unique_ptr<ratchet::SendChain>> owned;
  std::vector<ratchet::SendChain*> chains;
  for (std::uint32_t j = 0; j < lanes; ++j) {
    owned.push_back(std::make_unique<ratchet::SendChain>(suite, key, seed, first + j));
    chains.push_back(owned.back().get());
  }
  std::vector<ratchet::MessageKey> batch(lanes);
  for (std::uint32_t r = 0; r < kBatchRounds; ++r) {
    SPMC_FUZZ_CHECK(ratchet::step_many(chains, batch).ok());
    for (std::uint32_t j = 0; j < lanes; ++j) {
      const std::uint32_t c = first + j + r;
      SPMC_FUZZ_CHECK(batch[j].counter == c && batch[j].key == expected[c]);
    }
  }

  // The receiver, counters in a fuzzer-chosen order within the window: same keys.
  Limits limits;
  limits.max_forward = 512;
  limits.max_skipped_keys = 512;
  ratchet::ReceiveChain receiver(suite, key, seed, limits);
  for (int i = 0; i < 256 && in.remaining_bytes() > 0; ++i) {
    const auto c = in.ConsumeIntegralInRange<std::uint32_t>(0, first + count - 1);
    auto mk = receiver.accept(c);
    if (mk.ok()) {
      SPMC_FUZZ_CHECK(mk->counter == c && mk->key == expected[c]);
    } else {
      SPMC_FUZZ_CHECK(mk.code() == ErrorCode::kReplay || mk.code() == ErrorCode::kCounterTooOld);
    }
  }
  return 0;
}
