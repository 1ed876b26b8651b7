// KS-010..KS-015, ENV-004: which key shares a receiver accepts, and that a refused share
// leaves the book exactly as it was.
#include "spmc/key_share_book.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace spmc::keyshare {
namespace {

const std::string kAlice = "AliceAAAAAAAAAAA";
const std::string kBob = "BobBBBBBBBBBBBBB";
constexpr TimeMs kDay = 24ULL * 3600 * 1000;
constexpr TimeMs kT0 = 1'700'000'000'000;
const Limits kLimits{};

KeySharePlain share_at(TimeMs timestamp, Lifetime lifetime = Lifetime::session()) {
  DeterministicRng rng(timestamp, "book share");
  return make_pairwise(rng, Suite::kAes128, timestamp, lifetime);
}

KeySharePlain group_share_at(TimeMs timestamp, std::vector<std::string> members) {
  KeySharePlain share = share_at(timestamp);
  share.group = group::GroupPart{"Group0000000001", 1, std::move(members)};
  return share;
}

// Validates and, on success, accepts; returns the validation status.
Status offer(KeyShareBook& book, const KeySharePlain& share, const std::string& sender,
             TimeMs now) {
  auto accepted = book.validate(share, sender, now, kLimits);
  if (!accepted.ok()) {
    return accepted.error();
  }
  book.accept(std::move(accepted).value());
  return ok_status();
}

void expect_refused_unchanged(KeyShareBook& book, const KeySharePlain& share,
                              const std::string& sender, TimeMs now, ErrorCode code) {
  const Bytes before = encode(book);
  const Status st = offer(book, share, sender, now);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), code) << st.error().detail;
  EXPECT_EQ(encode(book), before);  // KS-015
}

TEST(KeyShareBook, AcceptsFirstShareAndANewerOneReplacesIt) {
  KeyShareBook book(kBob);
  ASSERT_TRUE(offer(book, share_at(kT0), kAlice, kT0).ok());
  ASSERT_NE(book.pairwise(kAlice), nullptr);
  EXPECT_EQ(*book.pairwise(kAlice), BookEntry::of(share_at(kT0), kAlice));
  ASSERT_TRUE(offer(book, share_at(kT0 + 1), kAlice, kT0 + 1).ok());
  EXPECT_EQ(book.pairwise(kAlice)->timestamp_ms, kT0 + 1);
  EXPECT_EQ(book.pairwise(kBob), nullptr);
}

TEST(KeyShareBook, ReplayedShareIsRejectedAndChangesNothing) {
  KeyShareBook book(kBob);
  ASSERT_TRUE(offer(book, share_at(kT0), kAlice, kT0).ok());
  expect_refused_unchanged(book, share_at(kT0), kAlice, kT0 + 5, ErrorCode::kReplay);
  expect_refused_unchanged(book, share_at(kT0 - 1), kAlice, kT0 + 5, ErrorCode::kReplay);
}

TEST(KeyShareBook, ReplayBoundIsPerSender) {
  KeyShareBook book(kBob);
  ASSERT_TRUE(offer(book, share_at(kT0), kAlice, kT0).ok());
  EXPECT_TRUE(offer(book, share_at(kT0 - 10), "CarolCCCCCCCCCCC", kT0).ok());
}

TEST(KeyShareBook, FutureTimestampIsStaleAndChangesNothing) {
  KeyShareBook book(kBob);
  const TimeMs skew = kLimits.max_future_skew_ms;
  expect_refused_unchanged(book, share_at(kT0 + skew + 1), kAlice, kT0, ErrorCode::kStaleTimestamp);
  EXPECT_TRUE(offer(book, share_at(kT0 + skew), kAlice, kT0).ok());  // the bound is inclusive
}

TEST(KeyShareBook, ExpiredLifetimeIsRejectedAndChangesNothing) {
  KeyShareBook book(kBob);
  ASSERT_TRUE(offer(book, share_at(kT0), kAlice, kT0).ok());
  const KeySharePlain short_lived = share_at(kT0 + 10, Lifetime::duration(kDay));
  expect_refused_unchanged(book, short_lived, kAlice, kT0 + 10 + kDay, ErrorCode::kExpired);
  EXPECT_TRUE(offer(book, short_lived, kAlice, kT0 + 10 + kDay - 1).ok());
}

// KS-011 has no lower bound: a phone offline for days still takes the share it finds.
TEST(KeyShareBook, OfflineRecipientOpensShareDaysLater) {
  KeyShareBook book(kBob);
  EXPECT_TRUE(offer(book, share_at(kT0), kAlice, kT0 + 30 * kDay).ok());
  EXPECT_TRUE(
      offer(book, share_at(kT0 + 1, Lifetime::duration(7 * kDay)), kAlice, kT0 + 6 * kDay).ok());
}

TEST(KeyShareBook, GroupReplayIsPerGroupIdNotPerSender) {
  KeyShareBook book(kBob);
  ASSERT_TRUE(offer(book, share_at(kT0 + 100), kAlice, kT0 + 100).ok());
  const KeySharePlain g = group_share_at(kT0, {kAlice, kBob});
  ASSERT_TRUE(offer(book, g, kAlice, kT0 + 100).ok());
  ASSERT_NE(book.group("Group0000000001"), nullptr);
  EXPECT_EQ(book.group("Group0000000001")->sender_id, kAlice);
  EXPECT_EQ(book.group("Group0000000001")->scope(), Scope::kGroup);
  expect_refused_unchanged(book, g, "CarolCCCCCCCCCCC", kT0 + 100, ErrorCode::kReplay);
}

TEST(KeyShareBook, GroupShareNotListingTheReceiverIsRefused) {
  KeyShareBook book(kBob);
  expect_refused_unchanged(book, group_share_at(kT0, {kAlice, "CarolCCCCCCCCCCC"}), kAlice, kT0,
                           ErrorCode::kNotMember);
}

// Proves: KS-021
TEST(KeyShareBook, MessageUnderUnknownKeyHasNoSession) {
  KeyShareBook book(kBob);
  EXPECT_EQ(book.check_message_time(kAlice, kT0, kT0, kT0, kLimits).code(), ErrorCode::kNoSession);
  ASSERT_TRUE(offer(book, share_at(kT0), kAlice, kT0).ok());
  EXPECT_TRUE(book.check_message_time(kAlice, kT0, kT0 + 1, kT0 + 1, kLimits).ok());
  // A message naming a newer share than the one held: that share has not arrived yet.
  EXPECT_EQ(book.check_message_time(kAlice, kT0 + 1, kT0 + 2, kT0 + 2, kLimits).code(),
            ErrorCode::kNoSession);
  EXPECT_EQ(book.check_group_message_time("Group0000000001", kT0, kT0, kT0, kLimits).code(),
            ErrorCode::kNoSession);
}

// Proves: KS-021
TEST(KeyShareBook, SessionKeyEndsOnlyWhenReplaced) {
  KeyShareBook book(kBob);
  ASSERT_TRUE(offer(book, share_at(kT0), kAlice, kT0).ok());
  EXPECT_TRUE(
      book.check_message_time(kAlice, kT0, kT0 + 365 * kDay, kT0 + 365 * kDay, kLimits).ok());
  ASSERT_TRUE(offer(book, share_at(kT0 + 5), kAlice, kT0 + 5).ok());
  EXPECT_EQ(book.check_message_time(kAlice, kT0, kT0 + 6, kT0 + 6, kLimits).code(),
            ErrorCode::kExpired);
}

TEST(KeyShareBook, DurationKeyExpiresAtSentTimeNotReceiveTime) {
  KeyShareBook book(kBob);
  ASSERT_TRUE(offer(book, share_at(kT0, Lifetime::duration(kDay)), kAlice, kT0).ok());
  // Sent just inside the lifetime, received a week later: still valid (KS-012 uses sent_ms).
  EXPECT_TRUE(book.check_message_time(kAlice, kT0, kT0 + kDay - 1, kT0 + 7 * kDay, kLimits).ok());
  EXPECT_EQ(book.check_message_time(kAlice, kT0, kT0 + kDay, kT0 + kDay, kLimits).code(),
            ErrorCode::kExpired);
}

TEST(KeyShareBook, MessageFromTheFutureIsStale) {
  KeyShareBook book(kBob);
  ASSERT_TRUE(offer(book, share_at(kT0), kAlice, kT0).ok());
  const TimeMs skew = kLimits.max_future_skew_ms;
  EXPECT_TRUE(book.check_message_time(kAlice, kT0, kT0 + skew, kT0, kLimits).ok());
  EXPECT_EQ(book.check_message_time(kAlice, kT0, kT0 + skew + 1, kT0, kLimits).code(),
            ErrorCode::kStaleTimestamp);
}

TEST(KeyShareBook, LifetimeArithmeticSaturatesInsteadOfWrapping) {
  KeyShareBook book(kBob);
  const TimeMs max = UINT64_MAX;
  ASSERT_TRUE(offer(book, share_at(max - 10, Lifetime::duration(max)), kAlice, max - 5).ok());
  EXPECT_TRUE(book.check_message_time(kAlice, max - 10, max - 1, max, kLimits).ok());
}

TEST(KeyShareBook, EncodingRoundTripsAndIsCanonical) {
  KeyShareBook book(kBob);
  ASSERT_TRUE(offer(book, share_at(kT0), kAlice, kT0).ok());
  ASSERT_TRUE(offer(book, share_at(kT0, Lifetime::duration(kDay)), "CarolCCCCCCCCCCC", kT0).ok());
  ASSERT_TRUE(offer(book, group_share_at(kT0, {kAlice, kBob}), kAlice, kT0).ok());
  const Bytes encoded = encode(book);
  auto decoded = decode_book(encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  EXPECT_EQ(*decoded, book);
  EXPECT_EQ(encode(*decoded), encoded);
  EXPECT_EQ(decode_book(ByteView(encoded).first(encoded.size() - 1)).code(), ErrorCode::kTruncated);
  Bytes bad_version = encoded;
  bad_version[1] = 9;
  EXPECT_EQ(decode_book(bad_version).code(), ErrorCode::kBadVersion);
}

// Proves: KS-022
TEST(KeyShareBook, KeepsNoMasterKeyAndNoSeedOfAnAcceptedShare) {
  KeyShareBook book(kBob);
  const KeySharePlain pairwise = share_at(kT0, Lifetime::duration(kDay));
  const KeySharePlain group = group_share_at(kT0 + 1, {kAlice, kBob});
  ASSERT_TRUE(offer(book, pairwise, kAlice, kT0).ok());
  ASSERT_TRUE(offer(book, group, kAlice, kT0 + 1).ok());
  const BookEntry& p = *book.pairwise(kAlice);
  EXPECT_EQ(p.sender_id, kAlice);
  EXPECT_EQ(p.scope(), Scope::kPairwise);
  EXPECT_EQ(p.timestamp_ms, kT0);
  EXPECT_EQ(p.lifetime, Lifetime::duration(kDay));
  EXPECT_EQ(book.group("Group0000000001")->timestamp_ms, kT0 + 1);
  // Neither the stored form nor the entries hold K or any seed number.
  const Bytes stored = encode(book);
  const auto holds = [&stored](ByteView secret) {
    return std::search(stored.begin(), stored.end(), secret.begin(), secret.end()) != stored.end();
  };
  for (const KeySharePlain* share : {&pairwise, &group}) {
    EXPECT_FALSE(holds(share->master_key));
    for (const Block& n : share->seed) {
      EXPECT_FALSE(holds(n));
    }
  }
}

// Proves: KS-022
TEST(KeyShareBook, StoredLayoutIsVersionTwoAndRefusesTheKeyedVersionOne) {
  KeyShareBook book(kBob);
  ASSERT_TRUE(offer(book, share_at(kT0, Lifetime::duration(kDay)), kAlice, kT0).ok());
  ASSERT_TRUE(offer(book, group_share_at(kT0, {kAlice, kBob}), kAlice, kT0).ok());
  // STO-008: u16 2; own id; 1 pairwise entry: sender, scope 1, timestamp, lifetime; 1 group
  // entry: sender, scope 2, timestamp, lifetime, group id.
  const Bytes stored = encode(book);
  const std::size_t pairwise_entry = 2 + 16 + 1 + 8 + 1 + 8;
  const std::size_t group_entry = 2 + 16 + 1 + 8 + 1 + 8 + 2 + 15;
  EXPECT_EQ(stored.size(), 2 + 2 + 16 + 4 + pairwise_entry + 4 + group_entry);
  EXPECT_EQ(stored[0], 0);
  EXPECT_EQ(stored[1], 2);
  Bytes version_one = stored;
  version_one[1] = 1;
  EXPECT_EQ(decode_book(version_one).code(), ErrorCode::kBadVersion);
  // A scope byte other than 1 or 2.
  Bytes bad_scope = stored;
  bad_scope[2 + 2 + 16 + 4 + 2 + 16] = 3;
  EXPECT_EQ(decode_book(bad_scope).code(), ErrorCode::kBadValue);
}

TEST(KeyShareBook, DecoderRejectsEntriesOutOfOrderOrInTheWrongMap) {
  KeyShareBook one(kBob);
  ASSERT_TRUE(offer(one, share_at(kT0), kAlice, kT0).ok());
  KeyShareBook other(kBob);
  ASSERT_TRUE(offer(other, share_at(kT0), "CarolCCCCCCCCCCC", kT0).ok());
  // Splice: pairwise count 2, Carol's entry first, then Alice's.
  const Bytes a = encode(one);
  const Bytes c = encode(other);
  const std::size_t head = 2 + 18;  // version, own id
  const std::size_t entry = a.size() - head - 4 - 4;
  Bytes spliced(a.begin(), a.begin() + head);
  spliced.insert(spliced.end(), {0, 0, 0, 2});
  spliced.insert(spliced.end(), c.begin() + head + 4, c.begin() + head + 4 + entry);
  spliced.insert(spliced.end(), a.begin() + head + 4, a.begin() + head + 4 + entry);
  spliced.insert(spliced.end(), {0, 0, 0, 0});
  EXPECT_EQ(decode_book(spliced).code(), ErrorCode::kBadValue);
  // A pairwise share filed among the groups.
  Bytes misfiled(a.begin(), a.begin() + head);
  misfiled.insert(misfiled.end(), {0, 0, 0, 0, 0, 0, 0, 1});
  misfiled.insert(misfiled.end(), a.begin() + head + 4, a.begin() + head + 4 + entry);
  EXPECT_EQ(decode_book(misfiled).code(), ErrorCode::kBadValue);
}

TEST(KeyShareBook, SealedShareFlowsFromSenderIntoTheBook) {
  DeterministicRng rng(11, "flow");
  const auto bob_enc = crypto::x25519_generate(rng);
  const auto alice_sign = crypto::ed25519_generate(rng);
  const KeySharePlain plain = make_pairwise(rng, Suite::kAes256, kT0, Lifetime::session());
  const Bytes wire = seal(rng, hardened_profile(), plain, kAlice, kBob, bob_enc.public_key,
                          &alice_sign.secret_key);
  auto message = decode_message(wire);
  ASSERT_TRUE(message.ok());
  auto opened = open(hardened_profile(), *message, bob_enc.secret_key, &alice_sign.public_key);
  ASSERT_TRUE(opened.ok());
  KeyShareBook book(kBob);
  ASSERT_TRUE(offer(book, *opened, message->sender_id, kT0 + 3 * kDay).ok());
  // The same wire bytes delivered again are a replay.
  expect_refused_unchanged(book, *opened, message->sender_id, kT0 + 3 * kDay, ErrorCode::kReplay);
}

}  // namespace
}  // namespace spmc::keyshare
