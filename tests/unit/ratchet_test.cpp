// Ratchet (RAT-001..RAT-010): known answers from the openssl command line, and the
// receiver's window, replay, eviction and two-phase rules.
#include "spmc/ratchet.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>

#include "spmc/rng.hpp"

namespace spmc::ratchet {
namespace {

SeedFile random_seed(Rng& rng) {
  SeedFile s;
  for (Block& b : s.n) {
    b = rng.block();
  }
  return s;
}

// AES-ECB of whole blocks by the openssl binary: an implementation independent of Crypto++.
std::optional<Bytes> openssl_ecb(ByteView key, ByteView blocks) {
  char path[] = "/tmp/spmc_ratchet_XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) {
    return std::nullopt;
  }
  close(fd);
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(blocks.data()),
              static_cast<std::streamsize>(blocks.size()));
  }
  const std::string cipher = key.size() == 16 ? "-aes-128-ecb" : "-aes-256-ecb";
  const std::string cmd = "openssl enc " + cipher + " -nopad -K " + to_hex(key) + " -in " + path;
  FILE* pipe = popen(cmd.c_str(), "r");
  Bytes result;
  if (pipe != nullptr) {
    int c = 0;
    while ((c = std::fgetc(pipe)) != EOF) {
      result.push_back(static_cast<std::uint8_t>(c));
    }
  }
  const int status = pipe != nullptr ? pclose(pipe) : -1;
  unlink(path);
  if (status != 0 || result.size() != blocks.size()) {
    return std::nullopt;
  }
  return result;
}

bool openssl_available() { return std::system("openssl version >/dev/null 2>&1") == 0; }

Bytes concat(const std::array<Block, 4>& blocks) {
  Bytes out;
  for (const Block& b : blocks) {
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

std::array<Block, 4> split(const Bytes& bytes) {
  std::array<Block, 4> out{};
  for (std::size_t i = 0; i < 4; ++i) {
    std::copy(bytes.begin() + static_cast<std::ptrdiff_t>(16 * i),
              bytes.begin() + static_cast<std::ptrdiff_t>(16 * (i + 1)), out[i].begin());
  }
  return out;
}

// RAT-002 computed with openssl: round r gives mk_{4r+j} = AES_K(n_j), n_j := AES_K(mk) ^ n_j.
void expect_first_keys_match_openssl(Suite suite) {
  if (!openssl_available()) {
    GTEST_SKIP() << "openssl command not found";
  }
  DeterministicRng rng(1, "ratchet openssl " + std::to_string(static_cast<int>(suite)));
  const Bytes key = rng.bytes(master_key_size(suite));
  const SeedFile seed = random_seed(rng);
  SendChain chain(suite, key, seed);
  std::array<Block, 4> slots = seed.n;
  for (int round = 0; round < 3; ++round) {
    const auto mks = openssl_ecb(key, concat(slots));
    ASSERT_TRUE(mks.has_value());
    const auto next = openssl_ecb(key, *mks);
    ASSERT_TRUE(next.has_value());
    const auto mk_blocks = split(*mks);
    const auto next_blocks = split(*next);
    for (std::size_t j = 0; j < 4; ++j) {
      const auto k = chain.next();
      ASSERT_TRUE(k.ok());
      EXPECT_EQ(k->counter, static_cast<std::uint32_t>(4 * round + static_cast<int>(j)));
      EXPECT_EQ(to_hex(k->key), to_hex(mk_blocks[j]));
      slots[j] = xor_blocks(next_blocks[j], slots[j]);
    }
    EXPECT_EQ(chain.slots(), slots);
  }
}

TEST(Ratchet, FirstKeysMatchOpensslForAes128Suite) {
  expect_first_keys_match_openssl(Suite::kAes128);
}
TEST(Ratchet, FirstKeysMatchOpensslForAes256Suite) {
  expect_first_keys_match_openssl(Suite::kAes256);
}

struct Fixture {
  Bytes key;
  SeedFile seed;
  explicit Fixture(Suite suite = Suite::kAes128) {
    DeterministicRng rng(7, "ratchet unit");
    key = rng.bytes(master_key_size(suite));
    seed = random_seed(rng);
  }
  std::vector<Block> sender_keys(std::uint32_t n) const {
    SendChain s(Suite::kAes128, key, seed);
    std::vector<Block> out;
    for (std::uint32_t i = 0; i < n; ++i) {
      out.push_back(s.next()->key);
    }
    return out;
  }
};

TEST(Ratchet, FirstCounterFastForwardMatchesSequentialKeys) {
  Fixture f;
  const auto keys = f.sender_keys(40);
  SendChain s(Suite::kAes128, f.key, f.seed, 37);
  const auto k = s.next();
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->counter, 37U);
  EXPECT_EQ(k->key, keys[37]);
}

TEST(Ratchet, SendChainRefusesTheLastCounter) {
  Fixture f;
  SendChain s(Suite::kAes128, f.key, f.seed);
  Bytes state = s.encode_state();
  // Set next = 2^32 - 2 (the last four bytes of the state).
  state[state.size() - 4] = 0xff;
  state[state.size() - 3] = 0xff;
  state[state.size() - 2] = 0xff;
  state[state.size() - 1] = 0xfe;
  auto near_end = SendChain::decode_state(state);
  ASSERT_TRUE(near_end.ok());
  const auto last = near_end->next();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->counter, 0xfffffffeU);
  const Bytes before = near_end->encode_state();
  const auto refused = near_end->next();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.code(), ErrorCode::kBadState);
  EXPECT_EQ(near_end->encode_state(), before);
}

TEST(Ratchet, ReceiverInOrderMatchesSender) {
  Fixture f;
  const auto keys = f.sender_keys(20);
  ReceiveChain r(Suite::kAes128, f.key, f.seed, Limits{});
  for (std::uint32_t c = 0; c < 20; ++c) {
    const auto k = r.accept(c);
    ASSERT_TRUE(k.ok());
    EXPECT_EQ(k->key, keys[c]);
  }
  EXPECT_EQ(r.skipped_count(), 0U);
  EXPECT_EQ(r.next_counter(), 20U);
}

TEST(Ratchet, SkippedKeyOpensOnceThenIsReplay) {
  Fixture f;
  const auto keys = f.sender_keys(6);
  ReceiveChain r(Suite::kAes128, f.key, f.seed, Limits{});
  ASSERT_EQ(r.accept(5)->key, keys[5]);
  EXPECT_EQ(r.skipped_count(), 5U);
  ASSERT_EQ(r.accept(2)->key, keys[2]);
  EXPECT_FALSE(r.holds(2));  // RAT-010
  EXPECT_EQ(r.accept(2).code(), ErrorCode::kReplay);
  EXPECT_EQ(r.accept(5).code(), ErrorCode::kReplay);
}

TEST(Ratchet, CounterAtWindowEdgeAcceptedBeyondRejected) {
  Fixture f;
  Limits limits;
  limits.max_forward = 50;
  ReceiveChain r(Suite::kAes128, f.key, f.seed, limits);
  ASSERT_TRUE(r.accept(3).ok());  // next = 4
  const Bytes before = r.encode_state();
  const auto far = r.prepare(4 + 50);
  ASSERT_FALSE(far.ok());
  EXPECT_EQ(far.code(), ErrorCode::kCounterTooFarAhead);
  EXPECT_EQ(r.accept(4 + 50).code(), ErrorCode::kCounterTooFarAhead);
  EXPECT_EQ(r.encode_state(), before);
  EXPECT_EQ(r.accept(4 + 49)->key, f.sender_keys(54)[53]);
}

TEST(Ratchet, DefaultWindowIs2000) {
  Fixture f;
  ReceiveChain r(Suite::kAes128, f.key, f.seed, Limits{});
  EXPECT_EQ(r.prepare(2000).code(), ErrorCode::kCounterTooFarAhead);
  EXPECT_TRUE(r.prepare(1999).ok());
}

TEST(Ratchet, EvictedCounterIsTooOldHeldIsReplayAfterUse) {
  Fixture f;
  const auto keys = f.sender_keys(11);
  Limits limits;
  limits.max_skipped_keys = 3;
  ReceiveChain r(Suite::kAes128, f.key, f.seed, limits);
  ASSERT_EQ(r.accept(10)->key, keys[10]);  // skipped 0..9, only 7, 8, 9 kept
  EXPECT_EQ(r.skipped_count(), 3U);
  EXPECT_EQ(r.low_counter(), 7U);
  EXPECT_EQ(r.accept(6).code(), ErrorCode::kCounterTooOld);
  EXPECT_EQ(r.accept(0).code(), ErrorCode::kCounterTooOld);
  ASSERT_EQ(r.accept(7)->key, keys[7]);
  EXPECT_EQ(r.accept(7).code(), ErrorCode::kReplay);
  EXPECT_EQ(r.accept(10).code(), ErrorCode::kReplay);
}

TEST(Ratchet, EvictionTakesOldSkippedKeysFirst) {
  Fixture f;
  const auto keys = f.sender_keys(8);
  Limits limits;
  limits.max_skipped_keys = 3;
  ReceiveChain r(Suite::kAes128, f.key, f.seed, limits);
  ASSERT_TRUE(r.accept(2).ok());  // skipped 0, 1
  ASSERT_TRUE(r.accept(5).ok());  // + 3, 4: evicts 0
  EXPECT_EQ(r.low_counter(), 1U);
  EXPECT_FALSE(r.holds(0));
  EXPECT_TRUE(r.holds(1) && r.holds(3) && r.holds(4));
  EXPECT_EQ(r.accept(0).code(), ErrorCode::kCounterTooOld);
  EXPECT_EQ(r.accept(2).code(), ErrorCode::kReplay);
  EXPECT_EQ(r.accept(1)->key, keys[1]);
}

TEST(Ratchet, PrepareChangesNothingUntilCommit) {
  Fixture f;
  ReceiveChain r(Suite::kAes128, f.key, f.seed, Limits{});
  ASSERT_TRUE(r.accept(3).ok());
  const Bytes before = r.encode_state();
  auto forward = r.prepare(9);
  auto skipped = r.prepare(1);
  ASSERT_TRUE(forward.ok() && skipped.ok());
  EXPECT_EQ(r.encode_state(), before);
  r.commit(std::move(forward).value());
  EXPECT_EQ(r.next_counter(), 10U);
  EXPECT_TRUE(r.holds(1));
}

TEST(Ratchet, CommitOfAStalePendingKeyAborts) {
  Fixture f;
  ReceiveChain r(Suite::kAes128, f.key, f.seed, Limits{});
  auto a = r.prepare(1);
  auto b = r.prepare(2);
  ASSERT_TRUE(a.ok() && b.ok());
  r.commit(std::move(a).value());
  EXPECT_DEATH(r.commit(std::move(b).value()), "check failed");
}

TEST(Ratchet, CounterLimitIsNeverAccepted) {
  Fixture f;
  ReceiveChain r(Suite::kAes128, f.key, f.seed, Limits{});
  EXPECT_EQ(r.prepare(kCounterLimit).code(), ErrorCode::kBadValue);
}

TEST(Ratchet, BothSuitesGiveDifferentKeys) {
  DeterministicRng rng(3, "suites");
  const Bytes key = rng.bytes(32);
  const SeedFile seed = random_seed(rng);
  SendChain a(Suite::kAes128, ByteView(key).first(16), seed);
  SendChain b(Suite::kAes256, key, seed);
  EXPECT_NE(a.next()->key, b.next()->key);
}

// RAT-010 with rule-of-zero chains: their Secret members leave nothing behind in a chain
// that was moved from or assigned over.
TEST(Ratchet, MovedFromAndAssignedOverChainsHoldNoSlots) {
  Fixture f;
  const std::array<Block, 4> zero{};
  SendChain s(Suite::kAes128, f.key, f.seed);
  ASSERT_TRUE(s.next().ok());
  SendChain moved(std::move(s));
  EXPECT_EQ(s.slots(), zero);  // NOLINT(bugprone-use-after-move): the property under test
  EXPECT_NE(moved.slots(), zero);
  ReceiveChain r(Suite::kAes128, f.key, f.seed, Limits{});
  ASSERT_TRUE(r.accept(3).ok());  // holds the skipped keys of 0, 1 and 2
  ReceiveChain target(Suite::kAes128, f.key, f.seed, Limits{});
  target = std::move(r);
  EXPECT_EQ(r.slots(), zero);  // NOLINT(bugprone-use-after-move): the property under test
  EXPECT_EQ(target.skipped_count(), 3U);
  EXPECT_TRUE(target.holds(1));
}

// SendChain::State (the narrow door spmc_fastratchet uses): taking it wipes the chain, and a
// chain rebuilt from it continues the same key sequence (RAT-002, RAT-003, RAT-010).
TEST(Ratchet, TakenStateRebuildsAChainThatContinuesTheSequence) {
  Fixture f;
  const auto keys = f.sender_keys(12);
  SendChain s(Suite::kAes128, f.key, f.seed);
  for (int i = 0; i < 5; ++i) {  // mid-way through derived-ahead keys
    ASSERT_TRUE(s.next().ok());
  }
  SendChain::State state = std::move(s).take_state();
  EXPECT_EQ(s.slots(), (std::array<Block, 4>{}));  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(state.next, 5U);
  SendChain rebuilt(std::move(state));
  for (std::uint32_t c = 5; c < 12; ++c) {
    const auto k = rebuilt.next();
    ASSERT_TRUE(k.ok());
    EXPECT_EQ(k->counter, c);
    EXPECT_EQ(k->key, keys[c]);
  }
}

}  // namespace
}  // namespace spmc::ratchet
