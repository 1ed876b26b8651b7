// KS-001..KS-003: key share codecs and the seal/open of both profiles, including what the
// paper profile fails to authenticate.
#include "spmc/key_share.hpp"

#include <gtest/gtest.h>

#include "spmc/schemes/key_share_scheme.hpp"

namespace spmc::keyshare {
namespace {

const std::string kAlice = "AliceAAAAAAAAAAA";
const std::string kBob = "BobBBBBBBBBBBBBB";
const std::string kMallory = "MalloryMMMMMMMMM";

struct Party {
  crypto::X25519KeyPair enc;
  crypto::Ed25519KeyPair sign;
};

Party party(std::string_view label) {
  DeterministicRng rng(7, label);
  return Party{crypto::x25519_generate(rng), crypto::ed25519_generate(rng)};
}

KeySharePlain sample_share(Suite suite, bool group_scope) {
  DeterministicRng rng(3, "sample share");
  KeySharePlain plain = make_pairwise(rng, suite, 1'700'000'000'000, Lifetime::duration(86400000));
  if (group_scope) {
    plain.group = group::GroupPart{"FriendsGroup0001", 3, {kAlice, kBob, kMallory}};
  }
  return plain;
}

KeyShareMessage decode_ok(ByteView bytes) {
  auto m = decode_message(bytes);
  SPMC_CHECK(m.ok());
  return *m;
}

TEST(KeyShare, SealOpenRoundTripsUnderBothProfilesSuitesAndScopes) {
  const Party alice = party("alice");
  const Party bob = party("bob");
  DeterministicRng rng(4, "seal");
  for (const Profile* profile : all_profiles()) {
    for (Suite suite : {Suite::kAes128, Suite::kAes256}) {
      for (bool group_scope : {false, true}) {
        const KeySharePlain plain = sample_share(suite, group_scope);
        const Bytes wire =
            seal(rng, *profile, plain, kAlice, kBob, bob.enc.public_key, &alice.sign.secret_key);
        const KeyShareMessage m = decode_ok(wire);
        EXPECT_EQ(m.sender_id, kAlice);
        EXPECT_EQ(m.recipient_id, kBob);
        EXPECT_EQ(m.signature.has_value(), profile->key_share->signs()) << profile->name;
        auto opened = open(*profile, m, bob.enc.secret_key, &alice.sign.public_key);
        ASSERT_TRUE(opened.ok()) << profile->name << ": " << opened.error().detail;
        EXPECT_EQ(*opened, plain);
        EXPECT_EQ(encode(m), wire);
      }
    }
  }
}

TEST(KeyShare, MakePairwiseDrawsMasterKeyThenFourSeedNumbers) {
  DeterministicRng a(9, "draw order");
  DeterministicRng b(9, "draw order");
  const KeySharePlain plain = make_pairwise(a, Suite::kAes256, 5, Lifetime::session());
  EXPECT_EQ(plain.master_key, b.bytes(32));
  for (const Block& n : plain.seed) {
    EXPECT_EQ(n, b.block());
  }
  EXPECT_EQ(plain.scope(), Scope::kPairwise);
  EXPECT_EQ(plain.timestamp_ms, 5U);
}

TEST(KeyShare, TamperedSealedBytesFailToDecrypt) {
  const Party alice = party("alice");
  const Party bob = party("bob");
  DeterministicRng rng(4, "tamper");
  const Profile& paper = paper_profile();
  KeyShareMessage m = decode_ok(seal(rng, paper, sample_share(Suite::kAes128, false), kAlice, kBob,
                                     bob.enc.public_key, nullptr));
  for (std::size_t at : {std::size_t{0}, std::size_t{40}, m.sealed.size() - 1}) {
    KeyShareMessage t = m;
    t.sealed[at] ^= 0x80;
    EXPECT_EQ(open(paper, t, bob.enc.secret_key, nullptr).code(), ErrorCode::kDecryptFailed) << at;
  }
  EXPECT_EQ(open(paper, m, alice.enc.secret_key, nullptr).code(), ErrorCode::kDecryptFailed);
}

TEST(KeyShareHardened, TamperedBoxResignedBySenderFailsToDecrypt) {
  const Party alice = party("alice");
  const Party bob = party("bob");
  DeterministicRng rng(4, "tamper hardened");
  const Profile& hardened = hardened_profile();
  KeyShareMessage m = decode_ok(seal(rng, hardened, sample_share(Suite::kAes256, false), kAlice,
                                     kBob, bob.enc.public_key, &alice.sign.secret_key));
  m.sealed[50] ^= 0x01;
  EXPECT_EQ(open(hardened, m, bob.enc.secret_key, &alice.sign.public_key).code(),
            ErrorCode::kBadSignature);
  m.signature = crypto::ed25519_sign(alice.sign.secret_key, signed_bytes(m));
  EXPECT_EQ(open(hardened, m, bob.enc.secret_key, &alice.sign.public_key).code(),
            ErrorCode::kDecryptFailed);
}

TEST(KeyShareHardened, ForgedSignatureIsRejected) {
  const Party alice = party("alice");
  const Party bob = party("bob");
  const Party mallory = party("mallory");
  DeterministicRng rng(4, "forge");
  const Profile& hardened = hardened_profile();
  // Mallory seals her own share to Bob, claiming to be Alice, signed with her own key.
  const KeyShareMessage forged =
      decode_ok(seal(rng, hardened, sample_share(Suite::kAes256, false), kAlice, kBob,
                     bob.enc.public_key, &mallory.sign.secret_key));
  EXPECT_EQ(open(hardened, forged, bob.enc.secret_key, &alice.sign.public_key).code(),
            ErrorCode::kBadSignature);
}

TEST(KeyShareHardened, SwappedSenderIdIsRejected) {
  const Party alice = party("alice");
  const Party bob = party("bob");
  const Party mallory = party("mallory");
  DeterministicRng rng(4, "swap");
  const Profile& hardened = hardened_profile();
  KeyShareMessage m = decode_ok(seal(rng, hardened, sample_share(Suite::kAes256, false), kAlice,
                                     kBob, bob.enc.public_key, &alice.sign.secret_key));
  // The relay relabels Alice's share as Mallory's: Bob checks it against Mallory's key.
  m.sender_id = kMallory;
  EXPECT_EQ(open(hardened, m, bob.enc.secret_key, &mallory.sign.public_key).code(),
            ErrorCode::kBadSignature);
  // Mallory re-signs it as her own: the AAD still binds Alice's id into the sealed box.
  m.signature = crypto::ed25519_sign(mallory.sign.secret_key, signed_bytes(m));
  EXPECT_EQ(open(hardened, m, bob.enc.secret_key, &mallory.sign.public_key).code(),
            ErrorCode::kDecryptFailed);
}

TEST(KeyShareHardened, UnsignedShareIsRejected) {
  const Party alice = party("alice");
  const Party bob = party("bob");
  DeterministicRng rng(4, "unsigned");
  const KeyShareMessage m =
      decode_ok(seal(rng, paper_profile(), sample_share(Suite::kAes128, false), kAlice, kBob,
                     bob.enc.public_key, nullptr));
  EXPECT_EQ(open(hardened_profile(), m, bob.enc.secret_key, &alice.sign.public_key).code(),
            ErrorCode::kBadSignature);
}

TEST(KeySharePaper, SignedShareIsNotThePaperFormat) {
  const Party alice = party("alice");
  const Party bob = party("bob");
  DeterministicRng rng(4, "signed under paper");
  const KeyShareMessage m =
      decode_ok(seal(rng, hardened_profile(), sample_share(Suite::kAes128, false), kAlice, kBob,
                     bob.enc.public_key, &alice.sign.secret_key));
  EXPECT_EQ(open(paper_profile(), m, bob.enc.secret_key, nullptr).code(), ErrorCode::kBadValue);
}

// Finding (paper, KS-003): the key share is only encrypted to the recipient, so anyone who
// knows Bob's public key can make a share Bob attributes to Alice. Bob then decrypts
// Mallory's messages as Alice's. The hardened profile's signature closes this.
TEST(KeySharePaper, AnyoneCanForgeASenderId) {
  const Party bob = party("bob");
  DeterministicRng mallory_rng(666, "mallory");
  const KeySharePlain mallorys = make_pairwise(mallory_rng, Suite::kAes128, 10, Lifetime{});
  const KeyShareMessage forged = decode_ok(
      seal(mallory_rng, paper_profile(), mallorys, kAlice, kBob, bob.enc.public_key, nullptr));
  auto opened = open(paper_profile(), forged, bob.enc.secret_key, nullptr);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->master_key, mallorys.master_key);
  EXPECT_EQ(forged.sender_id, kAlice);
}

// Finding (paper, KS-003): nothing binds the sender id, so the relay can attribute Alice's
// genuine share to anyone it likes.
TEST(KeySharePaper, RelayCanReattributeAGenuineShare) {
  const Party bob = party("bob");
  DeterministicRng rng(4, "relabel");
  const KeySharePlain alices = sample_share(Suite::kAes128, false);
  KeyShareMessage m =
      decode_ok(seal(rng, paper_profile(), alices, kAlice, kBob, bob.enc.public_key, nullptr));
  m.sender_id = kMallory;
  auto opened = open(paper_profile(), m, bob.enc.secret_key, nullptr);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, alices);
}

TEST(KeyShare, PlainLayoutIsFixed) {
  KeySharePlain plain;
  plain.timestamp_ms = 0x0102030405060708ULL;
  plain.lifetime = Lifetime::duration(0x11);
  plain.suite = Suite::kAes128;
  plain.master_key = Bytes(16, 0xee);
  plain.seed[1][0] = 0xaa;
  const std::string hex = to_hex(encode(plain));
  EXPECT_EQ(hex.substr(0, 2 * 22),
            "0001"
            "01"
            "0102030405060708"
            "01"
            "0000000000000011"
            "0001");
  EXPECT_EQ(hex.size(), 2U * (22 + 64 + 16));
  plain.group = group::GroupPart{"G", 7, {"a", "bc"}};
  EXPECT_EQ(to_hex(encode(plain)).substr(2 * (22 + 80)),
            "000147"
            "00000007"
            "0002"
            "000161"
            "00026263");
}

Bytes plain_bytes(bool group_scope) { return encode(sample_share(Suite::kAes128, group_scope)); }

Bytes with_byte(Bytes b, std::size_t at, std::uint8_t value) {
  b.at(at) = value;
  return b;
}

TEST(KeyShare, PlainDecoderReportsEachMalformation) {
  const Bytes good = plain_bytes(false);
  const Bytes group = plain_bytes(true);
  ASSERT_TRUE(decode_plain(good).ok());
  ASSERT_TRUE(decode_plain(group).ok());
  EXPECT_EQ(decode_plain(ByteView(good).first(good.size() - 1)).code(), ErrorCode::kTruncated);
  EXPECT_EQ(decode_plain(ByteView(group).first(group.size() - 1)).code(), ErrorCode::kTruncated);
  Bytes trailing = good;
  trailing.push_back(0);
  EXPECT_EQ(decode_plain(trailing).code(), ErrorCode::kTrailingBytes);
  EXPECT_EQ(decode_plain(with_byte(good, 1, 0)).code(), ErrorCode::kBadVersion);
  EXPECT_EQ(decode_plain(with_byte(good, 2, 3)).code(), ErrorCode::kBadValue);   // scope
  EXPECT_EQ(decode_plain(with_byte(good, 2, 2)).code(), ErrorCode::kTruncated);  // no group
  EXPECT_EQ(decode_plain(with_byte(good, 11, 2)).code(), ErrorCode::kBadValue);  // kind
  EXPECT_EQ(decode_plain(with_byte(good, 11, 0)).code(), ErrorCode::kBadValue);  // session, ms>0
  Bytes zero_duration = good;
  std::fill(zero_duration.begin() + 12, zero_duration.begin() + 20, 0);
  EXPECT_EQ(decode_plain(zero_duration).code(), ErrorCode::kBadValue);  // duration of 0
  EXPECT_EQ(decode_plain(with_byte(good, 21, 3)).code(), ErrorCode::kUnknownSuite);
  // Suite 2 asks for a 32-byte master key: the 16 present are not enough.
  EXPECT_EQ(decode_plain(with_byte(good, 21, 2)).code(), ErrorCode::kTruncated);
}

TEST(KeyShare, GroupPartDecoderReportsEachMalformation) {
  const Bytes group = plain_bytes(true);
  const std::size_t part_at = 22 + 64 + 16;
  const std::size_t count_at = part_at + 2 + 16 + 4;
  EXPECT_EQ(decode_plain(with_byte(with_byte(group, part_at, 0), part_at + 1, 0)).code(),
            ErrorCode::kBadLength);  // empty group id
  EXPECT_EQ(decode_plain(with_byte(group, count_at + 1, 0)).code(), ErrorCode::kBadLength);
  Bytes count_over = with_byte(with_byte(group, count_at, 0x03), count_at + 1, 0xe9);  // 1001
  EXPECT_EQ(decode_plain(count_over).code(), ErrorCode::kBadLength);
  // Make the third member a copy of the first (all ids are 16 characters).
  Bytes duplicate = group;
  const std::size_t first = count_at + 2;
  std::copy_n(group.begin() + static_cast<std::ptrdiff_t>(first), 18,
              duplicate.begin() + static_cast<std::ptrdiff_t>(first + 36));
  EXPECT_EQ(decode_plain(duplicate).code(), ErrorCode::kBadValue);
}

TEST(KeyShare, MessageDecoderReportsEachMalformation) {
  const Party alice = party("alice");
  const Party bob = party("bob");
  DeterministicRng rng(4, "message decode");
  const Bytes paper = seal(rng, paper_profile(), sample_share(Suite::kAes128, false), kAlice, kBob,
                           bob.enc.public_key, nullptr);
  const Bytes hardened = seal(rng, hardened_profile(), sample_share(Suite::kAes128, false), kAlice,
                              kBob, bob.enc.public_key, &alice.sign.secret_key);
  const std::size_t flags_at = 2 + 18 + 18;
  EXPECT_EQ(decode_message(ByteView(hardened).first(hardened.size() - 1)).code(),
            ErrorCode::kTruncated);
  EXPECT_EQ(decode_message(with_byte(paper, flags_at, 1)).code(), ErrorCode::kTruncated);
  Bytes trailing = paper;
  trailing.push_back(0);
  EXPECT_EQ(decode_message(trailing).code(), ErrorCode::kTrailingBytes);
  EXPECT_EQ(decode_message(with_byte(hardened, flags_at, 0)).code(), ErrorCode::kTrailingBytes);
  EXPECT_EQ(decode_message(with_byte(paper, 0, 1)).code(), ErrorCode::kBadVersion);
  EXPECT_EQ(decode_message(with_byte(paper, flags_at, 2)).code(), ErrorCode::kBadValue);
  EXPECT_EQ(decode_message(with_byte(paper, flags_at, 0x81)).code(), ErrorCode::kBadValue);
  // sealed length 47 < 48 and 4097 > 4096
  EXPECT_EQ(decode_message(with_byte(with_byte(paper, flags_at + 1, 0), flags_at + 2, 47)).code(),
            ErrorCode::kBadLength);
  EXPECT_EQ(decode_message(with_byte(with_byte(paper, flags_at + 1, 0x10), flags_at + 2, 1)).code(),
            ErrorCode::kBadLength);
  EXPECT_EQ(decode_message(with_byte(paper, 3, 65)).code(), ErrorCode::kBadLength);  // id of 65
}

}  // namespace
}  // namespace spmc::keyshare
