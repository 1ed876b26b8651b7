// The store layout of a phone's PersistentState (STO-010): canonical round trips of every
// field, and typed errors for every malformed input (truncations, order, bounds, trailing
// bytes, foreign magic, inconsistent parts).
#include "spmc/phone_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>

#include "support/phone_state_sample.hpp"

namespace spmc::phone {
namespace {

using testing::kAlice;
using testing::kBob;
using testing::kCarol;
using testing::sample_state;

const Profile* const kProfiles[] = {&paper_profile(), &hardened_profile()};

ErrorCode refusal(ByteView in, const Profile& profile = paper_profile()) {
  auto decoded = decode_state(in, profile);
  EXPECT_FALSE(decoded.ok());
  return decoded.ok() ? ErrorCode::kBadState : decoded.error().code;
}

// The offset of `needle` in `hay` (the test's way to reach one field of an encoding).
std::size_t find(const Bytes& hay, const Bytes& needle) {
  const auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end());
  SPMC_CHECK(it != hay.end());
  return static_cast<std::size_t>(it - hay.begin());
}

Bytes be(std::uint64_t v, std::size_t width) {
  Bytes out(width);
  for (std::size_t i = 0; i < width; ++i) {
    out[width - 1 - i] = static_cast<std::uint8_t>(v >> (8 * i));
  }
  return out;
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) {
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

// Proves: STO-010
TEST(PhoneStore, RichStateRoundTripsToTheSameBytesUnderEveryProfile) {
  for (const Profile* profile : kProfiles) {
    const PersistentState state = sample_state(*profile);
    const Bytes bytes = encode_state(state);
    auto decoded = decode_state(bytes, *profile);
    ASSERT_TRUE(decoded.ok()) << profile->name << ": " << decoded.error().detail;
    EXPECT_EQ(encode_state(*decoded), bytes) << profile->name;
  }
}

// Proves: STO-010
TEST(PhoneStore, DefaultStateRoundTrips) {
  const PersistentState fresh;
  const Bytes bytes = encode_state(fresh);
  auto decoded = decode_state(bytes, paper_profile());
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  EXPECT_EQ(encode_state(*decoded), bytes);
  EXPECT_EQ(decoded->next_out, 1U);
  EXPECT_FALSE(decoded->book.has_value());
}

// Proves: STO-010
TEST(PhoneStore, DecodedStateEqualsTheOriginalFieldByField) {
  const Profile& profile = hardened_profile();
  PersistentState s = sample_state(profile);
  s.outbox.begin()->second.in_flight = true;  // volatile: written as false
  auto decoded = decode_state(encode_state(s), profile);
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  const PersistentState& d = *decoded;
  EXPECT_EQ(d.account, s.account);
  EXPECT_EQ(d.email, s.email);
  EXPECT_EQ(d.password, s.password);
  EXPECT_EQ(d.user_id, s.user_id);
  EXPECT_EQ(d.sign_keys.public_key, s.sign_keys.public_key);
  EXPECT_EQ(d.sign_keys.secret_key, s.sign_keys.secret_key);
  EXPECT_EQ(d.enc_keys.public_key, s.enc_keys.public_key);
  EXPECT_EQ(d.enc_keys.secret_key, s.enc_keys.secret_key);
  EXPECT_EQ(d.sign_cert, s.sign_cert);
  EXPECT_EQ(d.enc_cert, s.enc_cert);
  EXPECT_EQ(d.revoked, s.revoked);
  ASSERT_EQ(d.contacts.size(), s.contacts.size());
  for (const auto& [user, c] : s.contacts) {
    const Contact& e = d.contacts.at(user);
    EXPECT_EQ(e.sign_cert, c.sign_cert);
    EXPECT_EQ(e.enc_cert, c.enc_cert);
    EXPECT_EQ(e.send.has_value(), c.send.has_value());
    if (c.send) {
      EXPECT_TRUE(*e.send == *c.send);
    }
    EXPECT_EQ(e.send_key_timestamp, c.send_key_timestamp);
    EXPECT_EQ(e.send_lifetime, c.send_lifetime);
    ASSERT_EQ(e.receive.size(), c.receive.size());
    for (const auto& [t, chain] : c.receive) {
      EXPECT_TRUE(e.receive.at(t) == chain);
    }
    EXPECT_EQ(e.u2u, c.u2u);
  }
  EXPECT_EQ(d.contacts.at(kBob).receive.begin()->second.skipped_count(), 3U);
  EXPECT_EQ(d.pending_requests, s.pending_requests);
  ASSERT_TRUE(d.book.has_value());
  EXPECT_EQ(*d.book, *s.book);
  ASSERT_EQ(d.groups.size(), s.groups.size());
  for (const auto& [id, g] : s.groups) {
    const GroupMembership& e = d.groups.at(id);
    EXPECT_EQ(e.organiser, g.organiser);
    EXPECT_EQ(e.share, g.share);
    EXPECT_EQ(e.replaced, g.replaced);
    EXPECT_EQ(e.my_index, g.my_index);
    EXPECT_EQ(e.send.has_value(), g.send.has_value());
    ASSERT_EQ(e.receive.size(), g.receive.size());
    ASSERT_EQ(e.organiser_state.has_value(), g.organiser_state.has_value());
    if (g.organiser_state) {
      EXPECT_EQ(e.organiser_state->share(), g.organiser_state->share());
      EXPECT_EQ(e.organiser_state->active_members(), g.organiser_state->active_members());
      EXPECT_EQ(e.organiser_state->active_members(),
                (std::vector<std::string>{kAlice, kBob}));  // Carol was removed
    }
  }
  EXPECT_EQ(d.last_message_id, s.last_message_id);
  EXPECT_EQ(d.next_group_number, s.next_group_number);
  EXPECT_EQ(d.next_out, s.next_out);
  ASSERT_EQ(d.outbox.size(), s.outbox.size());
  for (const auto& [seq, item] : s.outbox) {
    const OutItem& e = d.outbox.at(seq);
    EXPECT_EQ(e.op, item.op);
    EXPECT_EQ(e.to, item.to);
    EXPECT_EQ(e.kind, item.kind);
    EXPECT_EQ(e.payload, item.payload);
    EXPECT_EQ(e.retry_at, item.retry_at);
    EXPECT_FALSE(e.in_flight);
  }
  ASSERT_EQ(d.held.size(), s.held.size());
  EXPECT_EQ(d.held.front().from, s.held.front().from);
  EXPECT_EQ(d.held.front().payload, s.held.front().payload);
  EXPECT_EQ(d.held.front().decide_by, s.held.front().decide_by);
  EXPECT_EQ(d.offset_ms, -1234);
  EXPECT_EQ(d.history, s.history);
  EXPECT_EQ(d.history_bytes, 12U) << "derived from the bodies, not stored";
}

// Proves: STO-010
TEST(PhoneStore, HistoryBytesIsRecomputedNotStored) {
  PersistentState s = sample_state(paper_profile());
  s.history_bytes = 999;  // wrong on purpose: not part of the encoding
  EXPECT_EQ(encode_state(s), encode_state(sample_state(paper_profile())));
  auto decoded = decode_state(encode_state(s), paper_profile());
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->history_bytes, 12U);
}

// Proves: STO-010
TEST(PhoneStore, EveryTruncationIsATypedError) {
  const Bytes bytes = encode_state(sample_state(paper_profile()));
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const ErrorCode code = refusal(ByteView(bytes.data(), n));
    EXPECT_TRUE(code == ErrorCode::kTruncated || code == ErrorCode::kBadLength)
        << "prefix " << n << ": " << error_name(code);
  }
}

// Proves: STO-010
TEST(PhoneStore, TrailingByteIsRefused) {
  Bytes bytes = encode_state(sample_state(paper_profile()));
  bytes.push_back(0);
  EXPECT_EQ(refusal(bytes), ErrorCode::kTrailingBytes);
}

// Proves: STO-010
TEST(PhoneStore, ForeignPlaintextIsRefusedByTheMagic) {
  Bytes bytes = encode_state(PersistentState{});
  bytes[7] = '2';  // "SPMCPS02"
  EXPECT_EQ(refusal(bytes), ErrorCode::kBadValue);
  EXPECT_EQ(refusal(bytes_of("SPMCST01")), ErrorCode::kBadValue);  // a store file
}

// Proves: STO-010
TEST(PhoneStore, OutOfOrderOrRepeatedKeysAreRefused) {
  const Bytes bytes = encode_state(sample_state(paper_profile()));
  // Revoked serials 3, 7 written as 7, 3.
  Bytes revoked = bytes;
  const std::size_t at = find(bytes, concat({be(2, 4), be(3, 8), be(7, 8)}));
  std::copy_n(concat({be(7, 8), be(3, 8)}).begin(), 16, revoked.begin() + at + 4);
  EXPECT_EQ(refusal(revoked), ErrorCode::kBadValue);
  // Carol's contact entry renamed to sort before Bob's (same length).
  Bytes contacts = bytes;
  const std::size_t carol = find(bytes, bytes_of(kCarol));
  const Bytes aaron = bytes_of("AaronAAAAAAAAAAA");
  std::copy(aaron.begin(), aaron.end(), contacts.begin() + carol);
  EXPECT_EQ(refusal(contacts), ErrorCode::kBadValue);
  // Carol renamed Bob: a repeated key.
  const Bytes bob = bytes_of(kBob);
  std::copy(bob.begin(), bob.end(), contacts.begin() + carol);
  EXPECT_EQ(refusal(contacts), ErrorCode::kBadValue);
}

// Proves: STO-010
TEST(PhoneStore, CountsOverTheirBoundAreBadLength) {
  const Bytes bytes = encode_state(sample_state(paper_profile()));
  Bytes revoked = bytes;
  const std::size_t at = find(bytes, concat({be(2, 4), be(3, 8), be(7, 8)}));
  std::copy_n(be(kMaxStoredRevoked + 1, 4).begin(), 4, revoked.begin() + at);
  EXPECT_EQ(refusal(revoked), ErrorCode::kBadLength);
  Bytes huge = bytes;
  std::copy_n(be(0xFFFFFFFF, 4).begin(), 4, huge.begin() + at);
  EXPECT_EQ(refusal(huge), ErrorCode::kBadLength);
}

// Proves: STO-010
TEST(PhoneStore, InconsistentPartsAreBadValue) {
  const Profile& profile = paper_profile();
  {  // an outbox item at or after next_out
    PersistentState s = sample_state(profile);
    s.next_out = 5;
    EXPECT_EQ(refusal(encode_state(s)), ErrorCode::kBadValue);
  }
  {  // a key-share book of another user
    PersistentState s = sample_state(profile);
    s.user_id = kCarol;
    EXPECT_EQ(refusal(encode_state(s)), ErrorCode::kBadValue);
  }
  {  // a public key that is not the secret's
    PersistentState s = sample_state(profile);
    s.enc_keys.public_key[0] ^= 1;
    EXPECT_EQ(refusal(encode_state(s)), ErrorCode::kBadValue);
  }
  {  // a group stored under another group's id
    PersistentState s = sample_state(profile);
    auto node = s.groups.extract(kBob + "-g1");
    node.key() = kBob + "-g9";
    s.groups.insert(std::move(node));
    EXPECT_EQ(refusal(encode_state(s)), ErrorCode::kBadValue);
  }
  {  // a sender index outside the share's member list
    PersistentState s = sample_state(profile);
    s.groups.at(kBob + "-g1").my_index = 2;
    EXPECT_EQ(refusal(encode_state(s)), ErrorCode::kBadValue);
  }
}

// Proves: STO-010
TEST(PhoneStore, GroupStateRestoreChecksTheOrganiserAndTheActiveMembers) {
  DeterministicRng rng(5, "restore");
  auto gs = group::GroupState::create(rng, hardened_profile(), "G", kAlice, {kBob, kCarol},
                                      Suite::kAes128, {}, testing::kT0);
  ASSERT_TRUE(gs.ok());
  const keyshare::KeySharePlain share = gs->share();
  auto restored = group::GroupState::restore(hardened_profile(), share, {kAlice, kCarol});
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(restored->organiser(), kAlice);
  EXPECT_EQ(restored->share(), share);
  // Under the restored (rekeying) policy a removal starts a new epoch.
  auto change = restored->remove(rng, kCarol, testing::kT0 + 1);
  ASSERT_TRUE(change.ok());
  EXPECT_TRUE(change->rekey_required);
  const std::vector<std::vector<std::string>> bad = {
      {}, {kBob, kAlice}, {kAlice, "Mallory"}, {kAlice, kBob, kBob}};
  for (const auto& active : bad) {
    auto r = group::GroupState::restore(hardened_profile(), share, active);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kBadValue);
  }
  keyshare::KeySharePlain pairwise = share;
  pairwise.group.reset();
  auto r = group::GroupState::restore(hardened_profile(), pairwise, {kAlice});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kBadValue);
}

// Proves: STO-010
TEST(PhoneStore, AU2uSessionIsReadUnderTheCallersProfileScheme) {
  // The sample's U2U session is tagged with its scheme (PRO-006): decoding a paper state
  // under the hardened profile is refused by that tag.
  const Bytes bytes = encode_state(sample_state(paper_profile()));
  EXPECT_EQ(refusal(bytes, hardened_profile()), ErrorCode::kBadValue);
}

}  // namespace
}  // namespace spmc::phone
