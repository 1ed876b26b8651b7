// The server's persistence seam (spec/server.md SRV-021, SRV-022): the changes it announces
// rebuild its durable state, a restart from them loses nothing and draws nothing, and the
// record codecs refuse what they never write.
#include "spmc/server_durable.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "spmc/server.hpp"
#include "unit/server_harness.hpp"

namespace spmc::server {
namespace {

proto::Send send_to(const std::string& to, std::string_view text) {
  return ServerHarness::send_to(to, text);
}

// Two users who are contacts, a reinstall, a revocation and items left unacknowledged: every
// kind of change a server announces.
struct Busy {
  explicit Busy(ServerHarness& h) {
    h.fx.watched = &h.server();
    a = h.user(1, "a@x.org");
    b = h.user(2, "b@x.org");
    h.befriend(1, a, 2, b);
    (void)h.request(1, send_to(b, "one"));
    (void)h.request(1, send_to(b, "two"));
    // B reinstalls: new certificates, the old serials revoked, ContactAdded both ways.
    (void)h.request(2, proto::RequestCertificates{Bytes(32, 7), Bytes(32, 8)});
    h.go_offline(2);
    (void)h.request(1, send_to(b, "three"));
  }
  std::string a;
  std::string b;
};

// Proves: SRV-021
TEST(ServerDurable, TheStoreFedByPersistHoldsTheDurableStateBeforeEveryFrameLeaves) {
  ServerHarness h(paper_profile());
  const Busy busy(h);
  EXPECT_GT(h.fx.checked_transmits, 20U);
  EXPECT_TRUE(h.fx.store.state() == h.server().durable_state());
  const DurableState& d = h.fx.store.state();
  EXPECT_EQ(d.accounts.size(), 2U);
  EXPECT_EQ(d.revoked.size(), 2U);  // B's first pair
  EXPECT_EQ(d.next_serial, 7U);     // three pairs issued
  EXPECT_GE(d.store.at(busy.b).size(), 3U);
  EXPECT_EQ(d.sessions.size(), 2U);
}

// Proves: SRV-014, SRV-021
TEST(ServerDurable, ARestartFromTheStoreKeepsEveryDurableFieldAndLosesEveryConnection) {
  ServerHarness h(paper_profile());
  const Busy busy(h);
  const DurableState before = h.server().durable_state();
  const crypto::Ed25519Public ca = h.server().ca_public();
  h.restart();
  EXPECT_TRUE(h.server().durable_state() == before);
  EXPECT_EQ(h.server().ca_public(), ca);
  EXPECT_TRUE(h.server().idle());
  EXPECT_TRUE(h.server().has_unpushed());  // B's items wait for a login
  // B logs in on a new connection and gets every unacknowledged item again, in store order.
  h.fx.watched = &h.server();
  const auto pushed = h.login(3, busy.b, "b@x.org");
  std::vector<std::uint64_t> ids;
  for (const auto& m : pushed) {
    if (m.request_id == 0) {
      ids.push_back(push_message_id(m.body));
    }
  }
  std::vector<std::uint64_t> stored;
  for (const StoredItem& item : before.store.at(busy.b)) {
    stored.push_back(item.message_id);
  }
  EXPECT_EQ(ids, stored);
  // An acknowledgement after the restart deletes from the store as well (Req6).
  (void)h.request(3, proto::Ack{stored.front()});
  EXPECT_EQ(h.fx.store.state().store.at(busy.b).size(), stored.size() - 1);
}

// Counts every byte drawn, to show a restart draws nothing.
class CountingRng final : public Rng {
 public:
  void fill(std::span<std::uint8_t> out) override {
    drawn += out.size();
    inner.fill(out);
  }
  DeterministicRng inner{5, "counting"};
  std::size_t drawn = 0;
};

// Proves: SRV-021
TEST(ServerDurable, AServerBuiltFromAStateDrawsNothingAndAnswersWithTheSameCa) {
  ServerHarness h(paper_profile());
  const Busy busy(h);
  CountingRng rng;
  ManualClock clock(2'000'000);
  ChatServer restored(paper_profile(), rng, clock, ServerConfig{}, h.fx.store.state());
  EXPECT_EQ(rng.drawn, 0U);
  EXPECT_EQ(restored.ca_public(), h.server().ca_public());
  EXPECT_TRUE(restored.durable_state() == h.fx.store.state());
  EXPECT_EQ(restored.store_depth(), h.server().store_depth());
  EXPECT_EQ(restored.revoked(), h.server().revoked());
  ASSERT_NE(restored.account(busy.a), nullptr);
  EXPECT_TRUE(*restored.account(busy.a) == *h.server().account(busy.a));
}

// Proves: SRV-021
TEST(ServerDurable, ChangesOfAStateRebuildIt) {
  ServerHarness h(paper_profile());
  (void)Busy(h);
  const DurableState d = h.server().durable_state();
  MemoryDurableStore rebuilt;
  const auto changes = changes_of(d);
  rebuilt.commit(changes);
  EXPECT_TRUE(rebuilt.state() == d);
}

// CH-008 across a restart: a delayed first frame of a session opened before the crash does
// not open it again.
// Proves: SRV-021
TEST(ServerDurable, SessionsOpenBeforeARestartStayRetired) {
  ServerHarness h(paper_profile());
  channel::Endpoint old_client(77, channel::Config{});
  std::vector<Bytes> first;
  ASSERT_TRUE(old_client.send(proto::encode({1, proto::TimeSync{}}), 0, first).ok());
  h.server().on_packet(9, first.at(0), h.fx);
  EXPECT_EQ(h.fx.store.state().sessions.at(9).back(), 77U);
  h.restart();
  const auto bad = h.server().stats().bad_frames;
  h.server().on_packet(9, first.at(0), h.fx);
  EXPECT_EQ(h.server().stats().bad_frames, bad + 1);
  EXPECT_TRUE(h.fx.frames.empty());
}

// Proves: SRV-021
TEST(ServerDurable, ASessionListKeepsTheLastSixteen) {
  DurableState d;
  for (std::uint32_t s = 1; s <= 20; ++s) {
    apply(d, SessionOpened{4, s});
  }
  ASSERT_EQ(d.sessions.at(4).size(), kRetiredSessions);
  EXPECT_EQ(d.sessions.at(4).front(), 5U);
  EXPECT_EQ(d.sessions.at(4).back(), 20U);
}

Account sample_account() {
  Account a;
  a.user_id = "AAAABBBBCCCCDDDD";
  a.email_hash.fill(3);
  a.password_salt = Bytes(kSaltLength, 4);
  a.password_verifier = Bytes(kVerifierLength, 5);
  a.verification_code = "123456";
  a.verified = true;
  a.sign_cert = Bytes(100, 6);
  a.enc_cert = Bytes(100, 7);
  a.cert_serials = {3, 4};
  a.contacts = {"b", "c"};
  a.pending_from = {"d"};
  return a;
}

// Every proper prefix of an encoding is refused, and so is any byte more.
template <typename Decode>
void expect_prefixes_and_trailing_refused(const Bytes& encoded, Decode decode) {
  for (std::size_t n = 0; n < encoded.size(); ++n) {
    EXPECT_FALSE(decode(ByteView(encoded.data(), n)).ok()) << n;
  }
  Bytes longer = encoded;
  longer.push_back(0);
  EXPECT_EQ(decode(longer).code(), ErrorCode::kTrailingBytes);
}

// Proves: SRV-022
TEST(ServerDurable, AnAccountRecordRoundTripsAndItsPrefixesAreRefused) {
  const Account a = sample_account();
  const Bytes e = encode_account(a);
  auto back = decode_account(e);
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_TRUE(*back == a);
  expect_prefixes_and_trailing_refused(e, decode_account);
  Account fresh;  // before certification: no certificates, no serials
  fresh.user_id = "x";
  fresh.password_salt = Bytes(kSaltLength, 1);
  fresh.password_verifier = Bytes(kVerifierLength, 1);
  fresh.verification_code = "100000";
  auto fresh_back = decode_account(encode_account(fresh));
  ASSERT_TRUE(fresh_back.ok());
  EXPECT_TRUE(*fresh_back == fresh);
}

// Proves: SRV-022
TEST(ServerDurable, AnAccountRecordOfAnotherVersionOrOutOfOrderIsRefused) {
  Bytes e = encode_account(sample_account());
  Bytes other_version = e;
  other_version[0] = 2;
  EXPECT_EQ(decode_account(other_version).code(), ErrorCode::kBadVersion);
  // The contact list's elements swapped: "c" before "b" is not the one encoding of the set.
  Bytes swapped = e;
  const Bytes b_then_c = {0, 1, 'b', 0, 1, 'c'};
  auto at = std::search(swapped.begin(), swapped.end(), b_then_c.begin(), b_then_c.end());
  ASSERT_NE(at, swapped.end());
  std::swap(at[2], at[5]);
  const auto r = decode_account(swapped);
  EXPECT_EQ(r.code(), ErrorCode::kBadValue);
  // A verified flag that is not 0 or 1.
  Account a = sample_account();
  Bytes flag = encode_account(a);
  const std::size_t flag_at = 1 + 2 + a.user_id.size() + 32 + 2 + kSaltLength + 2 +
                              kVerifierLength + 2 + a.verification_code.size();
  ASSERT_EQ(flag[flag_at], 1);
  flag[flag_at] = 2;
  EXPECT_EQ(decode_account(flag).code(), ErrorCode::kBadValue);
}

// Proves: SRV-022
TEST(ServerDurable, APushRecordRoundTripsAndOnlyPushesDecode) {
  const proto::Body push =
      proto::Deliver{42, "from", proto::PayloadKind::kEnvelope, 7, bytes_of("sealed")};
  const Bytes e = encode_push(push);
  auto back = decode_push(e);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(push_message_id(*back), 42U);
  EXPECT_EQ(encode_push(*back), e);
  expect_prefixes_and_trailing_refused(e, decode_push);
  EXPECT_EQ(decode_push(proto::encode({0, proto::Ok{}})).code(), ErrorCode::kBadValue);
  EXPECT_EQ(decode_push(proto::encode({5, push})).code(), ErrorCode::kBadValue);
  EXPECT_EQ(decode_push(encode_push(proto::ContactAdded{0, "u", Bytes(1), Bytes(1)})).code(),
            ErrorCode::kBadValue);
}

// Proves: SRV-022
TEST(ServerDurable, AnIdentityRecordRoundTripsAndItsPrefixesAreRefused) {
  DurableIdentity id;
  id.ca_secret.fill(9);
  id.email_salt = Bytes(kSaltLength, 1);
  const Bytes e = encode_identity(id);
  EXPECT_EQ(e.size(), 1 + 32 + 2 + kSaltLength);
  auto back = decode_identity(e);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(*back == id);
  expect_prefixes_and_trailing_refused(e, decode_identity);
}

}  // namespace
}  // namespace spmc::server
