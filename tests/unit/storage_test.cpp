// The PIN-protected local store (STO-001..004) and the lost-phone PIN brute force.
#include "spmc/storage.hpp"

#include <gtest/gtest.h>

#include "spmc/crypto.hpp"
#include "spmc/schemes/pin_kdf.hpp"

namespace spmc::storage {
namespace {

// scrypt at N=1024 keeps the hardened code path under a millisecond per PIN.
Profile small_scrypt_profile() {
  static const std::unique_ptr<const PinKdf> kSmall = make_scrypt_pin_kdf(1024);
  Profile p = hardened_profile();
  p.pin_kdf = kSmall.get();
  return p;
}

LocalStore make_store(const Profile& profile, std::string_view pin = "1234") {
  DeterministicRng rng(11, "storage test");
  return LocalStore::create(rng, profile, pin, bytes_of("chat history, keys, contacts"));
}

TEST(Storage, StateRoundTripsThroughCreateAndUnlock) {
  for (const Profile& profile : {paper_profile(), small_scrypt_profile()}) {
    LocalStore store = make_store(profile);
    const auto state = store.unlock("1234");
    ASSERT_TRUE(state.ok()) << profile.name;
    EXPECT_EQ(*state, bytes_of("chat history, keys, contacts"));
    EXPECT_EQ(store.failed_tries(), 0);
  }
}

TEST(Storage, KdfFollowsTheProfile) {
  const auto paper = decode_store_file(make_store(paper_profile()).file());
  ASSERT_TRUE(paper.ok());
  EXPECT_EQ(paper->kdf, Kdf::kSha256);
  EXPECT_EQ(paper->cost_n, 0U);
  const auto scrypt = decode_store_file(make_store(small_scrypt_profile()).file());
  ASSERT_TRUE(scrypt.ok());
  EXPECT_EQ(scrypt->kdf, Kdf::kScrypt);
  EXPECT_EQ(scrypt->cost_n, 1024U);
  EXPECT_EQ(scrypt->block_r, 8);
  EXPECT_EQ(scrypt->parallel_p, 1);
}

// One store at the real hardened cost (2^14, about 50 ms per PIN).
TEST(Storage, HardenedProfileStoreUnlocks) {
  LocalStore store = make_store(hardened_profile());
  EXPECT_EQ(decode_store_file(store.file())->cost_n, 1U << 14);
  EXPECT_TRUE(store.unlock("1234").ok());
}

TEST(Storage, PaperKekIsSha256OfSaltAndPin) {
  const auto file = decode_store_file(make_store(paper_profile()).file());
  ASSERT_TRUE(file.ok());
  Bytes input(file->salt.begin(), file->salt.end());
  const Bytes pin = bytes_of("1234");
  input.insert(input.end(), pin.begin(), pin.end());
  const crypto::Digest expected = crypto::sha256(input);
  EXPECT_EQ(derive_kek(*file, "1234"), Bytes(expected.begin(), expected.end()));
}

TEST(Storage, LocksAfterThreeWrongPinsThenEvenTheRightPinIsLocked) {
  LocalStore store = make_store(paper_profile());
  EXPECT_EQ(store.unlock("0000").code(), ErrorCode::kWrongPin);
  EXPECT_EQ(store.unlock("0001").code(), ErrorCode::kWrongPin);
  EXPECT_EQ(store.unlock("0002").code(), ErrorCode::kLocked);
  EXPECT_TRUE(store.locked());
  EXPECT_EQ(store.unlock("1234").code(), ErrorCode::kLocked);
  // Locked for good: the file no longer holds the wrapped key.
  auto reloaded = LocalStore::load(store.file());
  ASSERT_TRUE(reloaded.ok());
  EXPECT_TRUE(reloaded->locked());
  EXPECT_EQ(reloaded->unlock("1234").code(), ErrorCode::kLocked);
  std::uint64_t guesses = 0;
  EXPECT_FALSE(pin_bruteforce(store.file(), 4, guesses).has_value());
}

TEST(Storage, RightPinResetsTheCounter) {
  LocalStore store = make_store(paper_profile());
  EXPECT_EQ(store.unlock("0000").code(), ErrorCode::kWrongPin);
  EXPECT_EQ(store.unlock("0000").code(), ErrorCode::kWrongPin);
  EXPECT_EQ(store.failed_tries(), 2);
  ASSERT_TRUE(store.unlock("1234").ok());
  EXPECT_EQ(store.failed_tries(), 0);
  EXPECT_EQ(store.unlock("0000").code(), ErrorCode::kWrongPin);
  EXPECT_EQ(store.unlock("0000").code(), ErrorCode::kWrongPin);
  EXPECT_TRUE(store.unlock("1234").ok());
}

TEST(Storage, WrongPinIsPersistedInTheFileBeforeAnswering) {
  LocalStore store = make_store(paper_profile());
  const Bytes before = store.file();
  EXPECT_EQ(store.unlock("9999").code(), ErrorCode::kWrongPin);
  EXPECT_NE(store.file(), before);
  auto reloaded = LocalStore::load(store.file());
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(reloaded->failed_tries(), 1);
  // Restarting the app from the saved file does not give fresh tries.
  EXPECT_EQ(reloaded->unlock("9999").code(), ErrorCode::kWrongPin);
  EXPECT_EQ(reloaded->unlock("9999").code(), ErrorCode::kLocked);
}

TEST(Storage, UpdateResealsTheState) {
  LocalStore store = make_store(paper_profile());
  DeterministicRng rng(12, "update");
  ASSERT_TRUE(store.update(rng, "1234", bytes_of("new state")).ok());
  auto reloaded = LocalStore::load(store.file());
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(*reloaded->unlock("1234"), bytes_of("new state"));
  EXPECT_EQ(store.update(rng, "0000", bytes_of("evil")).code(), ErrorCode::kWrongPin);
  EXPECT_EQ(*store.unlock("1234"), bytes_of("new state"));
}

TEST(Storage, LoadRoundTripsTheFile) {
  const LocalStore store = make_store(small_scrypt_profile());
  auto loaded = LocalStore::load(store.file());
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->file(), store.file());
}

TEST(Storage, LoadRejectsMalformedFilesWithTypedErrors) {
  const Bytes good = make_store(paper_profile()).file();
  for (std::size_t n = 0; n < good.size(); ++n) {
    EXPECT_EQ(LocalStore::load(ByteView(good).first(n)).code(), ErrorCode::kTruncated) << n;
  }
  Bytes trailing = good;
  trailing.push_back(0);
  EXPECT_EQ(LocalStore::load(trailing).code(), ErrorCode::kTrailingBytes);
  Bytes magic = good;
  magic[0] = 'X';
  EXPECT_EQ(LocalStore::load(magic).code(), ErrorCode::kBadValue);
  Bytes kdf = good;
  kdf[8] = 3;
  EXPECT_EQ(LocalStore::load(kdf).code(), ErrorCode::kBadValue);
  Bytes cost = good;
  cost[16] = 1;  // sha256 with a nonzero cost: not canonical
  EXPECT_EQ(LocalStore::load(cost).code(), ErrorCode::kBadValue);
  Bytes tries = good;
  tries[8 + 1 + 8 + 2 + 16] = 3;  // three failures yet the key is still there
  EXPECT_EQ(LocalStore::load(tries).code(), ErrorCode::kBadValue);
}

TEST(Storage, LoadRejectsAHostileScryptCost) {
  StoreFile f = *decode_store_file(make_store(small_scrypt_profile()).file());
  Bytes encoded = encode_store_file(f);
  encoded[9 + 4] = 0x10;  // cost_n := 2^28, a power of two above kMaxScryptCost
  encoded[9 + 6] = 0x00;  // clear the 1024 bit
  EXPECT_EQ(LocalStore::load(encoded).code(), ErrorCode::kBadValue);
}

// Proves: STO-006
TEST(Storage, TamperedSealedStateIsDecryptFailedAndChangesNothing) {
  LocalStore original = make_store(paper_profile());
  ASSERT_EQ(original.unlock("0000").code(), ErrorCode::kWrongPin);
  Bytes file = original.file();
  file.back() ^= 1;  // last byte of the state's tag
  auto tampered = LocalStore::load(file);
  ASSERT_TRUE(tampered.ok());
  EXPECT_EQ(tampered->unlock("1234").code(), ErrorCode::kDecryptFailed);
  EXPECT_EQ(tampered->file(), file);
  EXPECT_EQ(tampered->failed_tries(), 1);
}

TEST(Storage, PinBruteforceFindsAFourDigitPinOnThePaperProfile) {
  LocalStore store = make_store(paper_profile(), "7391");
  ASSERT_EQ(store.unlock("0000").code(), ErrorCode::kWrongPin);
  std::uint64_t guesses = 0;
  const auto pin = pin_bruteforce(store.file(), 4, guesses);
  ASSERT_TRUE(pin.has_value());
  EXPECT_EQ(*pin, "7391");
  EXPECT_EQ(guesses, 7392U);
  // The attacker worked on a copy: the phone's own counter is untouched.
  EXPECT_EQ(store.failed_tries(), 1);
}

}  // namespace
}  // namespace spmc::storage
