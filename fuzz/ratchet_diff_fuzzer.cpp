// Differential test of the ratchet (RAT-002, RAT-003, RAT-005): SendChain and ReceiveChain
// against an independent computation of Fig. 5 written here with OpenSSL's EVP AES-ECB
// (not Crypto++, which the library uses), on fuzzer-chosen suite, master key, seed,
// starting counter and receive order; ratchet::step_many (the batch path: VAES-512 or
// AES-NI lanes, chosen at run time) on up to 40 chains at fuzzer-chosen counters; and
// ratchet::SendBatch (packed VAES-512, AES-NI lanes or Crypto++, fuzzer-chosen) on up to 40
// sessions of both suites, one joining between steps, then given back as SendChains.
#include <fuzzer/FuzzedDataProvider.h>
#include <openssl/evp.h>

#include <memory>

#include "fuzz_support.hpp"
#include "spmc/fast/ratchet_send_batch.hpp"
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

// SendBatch: session j is the fuzzed chain at counter first + j, or (odd j, when `mixed`) a
// chain of the other suite whose key and seed are the fuzzed ones' bytes rearranged, checked
// against its own OpenSSL ratchet. One session joins after the first step.
void check_send_batch(Suite suite, const Bytes& key, const ratchet::SeedFile& seed,
                      std::uint32_t first, std::uint32_t lanes, bool mixed,
                      ratchet::BatchPath path) {
  constexpr std::uint32_t kSteps = 3;
  const Suite other = suite == Suite::kAes128 ? Suite::kAes256 : Suite::kAes128;
  Bytes other_key(master_key_size(other));
  for (std::size_t i = 0; i < other_key.size(); ++i) {
    other_key[i] = static_cast<std::uint8_t>(key[(i * 7) % key.size()] ^ i);
  }
  ratchet::SeedFile other_seed;
  for (std::size_t i = 0; i < 4; ++i) {
    other_seed.n[i] = seed.n[3 - i];
  }
  std::vector<std::unique_ptr<OpenSslRatchet>> refs;
  std::vector<std::uint32_t> starts;
  ratchet::SendBatch batch(path);
  auto join = [&](std::uint32_t j) {
    const bool alt = mixed && j % 2 == 1;
    const Bytes& k = alt ? other_key : key;
    const ratchet::SeedFile& s = alt ? other_seed : seed;
    refs.push_back(std::make_unique<OpenSslRatchet>(k, s));
    for (std::uint32_t c = 0; c < first + j; ++c) {
      refs.back()->key_of_next();
    }
    starts.push_back(first + j);
    SPMC_FUZZ_CHECK(batch.add(ratchet::SendChain(alt ? other : suite, k, s, first + j)) == j);
  };
  for (std::uint32_t j = 0; j + 1 < lanes; ++j) {
    join(j);
  }
  for (std::uint32_t r = 0; r < kSteps; ++r) {
    if (r == 1) {
      join(lanes - 1);
    }
    std::vector<ratchet::MessageKey> out(batch.size());
    SPMC_FUZZ_CHECK(batch.step_all(out).ok());
    for (std::size_t j = 0; j < out.size(); ++j) {
      const std::uint32_t c = starts[j] + r - (j + 1 == lanes ? 1 : 0);
      SPMC_FUZZ_CHECK(out[j].counter == c && out[j].key == refs[j]->key_of_next());
    }
  }
  std::vector<ratchet::SendChain> back = batch.release();
  SPMC_FUZZ_CHECK(back.size() == lanes && batch.size() == 0);
  for (std::size_t j = 0; j < back.size(); ++j) {
    auto mk = back[j].next();
    SPMC_FUZZ_CHECK(mk.ok() && mk->key == refs[j]->key_of_next());
  }
}

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

  const bool mixed = in.ConsumeBool();
  const auto path = in.PickValueInArray(
      {ratchet::BatchPath::kAuto, ratchet::BatchPath::kLanes, ratchet::BatchPath::kPortable});
  check_send_batch(suite, key, seed, first, lanes, mixed, path);

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
