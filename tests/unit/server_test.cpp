// The chat server alone (spec/server.md SRV-, spec/signup.md SU-): its refusal rules and what
// it stores, driven request by request through a real channel endpoint, with no phone. Each
// refusal is checked for its error, its echoed request id and that it changed nothing.
// Proves: SRV-001 (both roles in one ChatServer), SRV-013 (every reply echoes its request id)
#include "spmc/server.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "unit/server_harness.hpp"

namespace spmc::server {
namespace {

constexpr auto code(ErrorCode c) { return static_cast<std::uint16_t>(c); }

template <typename T>
std::vector<T> all_of_type(const std::vector<proto::Message>& ms) {
  std::vector<T> out;
  for (const auto& m : ms) {
    if (const auto* t = std::get_if<T>(&m.body)) {
      out.push_back(*t);
    }
  }
  return out;
}

// Proves: SRV-002, SRV-003, SRV-012
TEST(Server, EveryRequestButTheAccountOnesNeedsALogin) {
  ServerHarness h(paper_profile());
  const std::string b = h.user(2, "b@x.org");
  for (const proto::Body& body :
       {proto::Body{proto::RequestCertificates{Bytes(32, 1), Bytes(32, 2)}},
        proto::Body{proto::AddContact{b}}, proto::Body{proto::AcceptContact{b}},
        proto::Body{ServerHarness::send_to(b, "hi")}, proto::Body{proto::Ack{1}}}) {
    EXPECT_EQ(h.refusal(1, body), code(ErrorCode::kBadState)) << proto::type_name(body);
  }
  EXPECT_EQ(h.server().store_depth(), 0U);
  // TimeSync needs no login and answers with the server clock.
  const auto t = h.reply(1, proto::TimeSync{});
  EXPECT_EQ(std::get<proto::Time>(t.body).server_time_ms, h.clock.now_ms());
}

// Proves: SRV-003, SRV-012
TEST(Server, ReplyTypesAreRefusedAndAcksGetNoAnswer) {
  ServerHarness h(paper_profile());
  (void)h.user(1, "a@x.org");
  EXPECT_EQ(h.refusal(1, proto::Ok{}), code(ErrorCode::kBadValue));
  EXPECT_EQ(h.refusal(1, proto::Accepted{7}), code(ErrorCode::kBadValue));
  EXPECT_TRUE(h.request(1, proto::Ack{12345}).empty());  // unknown id: ignored, unanswered
}

// Proves: SRV-004, SRV-006, SRV-008, SRV-011, SRV-012
TEST(Server, RelayRefusesUnknownRecipientAndFullStoreAndStoresNothing) {
  Profile small = paper_profile();
  small.limits.offline_queue_max = 2;
  ServerHarness h(small);
  const std::string a = h.user(1, "a@x.org");
  const std::string b = h.user(2, "b@x.org");
  h.go_offline(2);
  EXPECT_EQ(h.refusal(1, ServerHarness::send_to("NoSuchUser123456", "x")),
            code(ErrorCode::kUnknownUser));
  EXPECT_EQ(h.server().store_depth(), 0U);
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(std::holds_alternative<proto::Accepted>(
        h.reply(1, ServerHarness::send_to(b, "m" + std::to_string(i))).body));
  }
  EXPECT_EQ(h.refusal(1, ServerHarness::send_to(b, "one too many")), code(ErrorCode::kQueueFull));
  EXPECT_EQ(h.server().store_depth(b), 2U);
  EXPECT_EQ(h.server().stats().queue_full, 1U);
  // An acknowledged item frees its slot, and only the acknowledged item goes.
  const auto pushed = all_of_type<proto::Deliver>(h.login(2, b, "b@x.org"));
  ASSERT_EQ(pushed.size(), 2U);
  EXPECT_TRUE(h.request(2, proto::Ack{pushed[0].message_id}).empty());
  EXPECT_EQ(h.server().store_depth(b), 1U);
  EXPECT_EQ(h.refusal(1, ServerHarness::send_to(b, "fits again")), 0);
  (void)a;
}

// Proves: SRV-005, SRV-009, SRV-016
TEST(Server, RelaysOpaquePayloadsToAnyAccountStampedWithTheSender) {
  ServerHarness h(paper_profile());
  const std::string a = h.user(1, "a@x.org");
  // Neither a contact nor verified nor certified: still a valid recipient.
  const std::string c = h.sign_up(3, "c@x.org");
  const Bytes junk = {0xde, 0xad, 0xbe, 0xef};  // not a KeyShareMessage nor an Envelope
  const auto accepted = h.reply(1, proto::Send{c, proto::PayloadKind::kKeyShare, junk}).body;
  ASSERT_TRUE(std::holds_alternative<proto::Accepted>(accepted));
  // A user may send to itself; the push comes at once on its own session.
  const auto to_self = h.request(1, ServerHarness::send_to(a, "note to self"));
  const auto delivered = all_of_type<proto::Deliver>(to_self);
  ASSERT_EQ(delivered.size(), 1U);
  EXPECT_EQ(delivered[0].from, a);
  EXPECT_EQ(delivered[0].server_time_ms, h.clock.now_ms());
  EXPECT_EQ(delivered[0].payload, bytes_of("note to self"));
  EXPECT_GT(delivered[0].message_id, std::get<proto::Accepted>(accepted).message_id);
  EXPECT_EQ(h.server().store_depth(c), 1U);
}

// Proves: SRV-010, SRV-011, SRV-016
TEST(Server, LoginPushesTheStoreInOrderAgainUntilAcknowledged) {
  ServerHarness h(paper_profile());
  const std::string a = h.user(1, "a@x.org");
  const std::string b = h.user(2, "b@x.org");
  h.go_offline(2);
  for (const char* text : {"one", "two", "three"}) {
    h.request(1, ServerHarness::send_to(b, text));
  }
  const auto first = all_of_type<proto::Deliver>(h.login(2, b, "b@x.org"));
  ASSERT_EQ(first.size(), 3U);
  EXPECT_EQ(first[0].payload, bytes_of("one"));
  EXPECT_EQ(first[2].payload, bytes_of("three"));
  EXPECT_LT(first[0].message_id, first[1].message_id);
  EXPECT_LT(first[1].message_id, first[2].message_id);
  EXPECT_TRUE(h.request(2, proto::Ack{first[1].message_id}).empty());
  // A new login pushes what was pushed before but never acknowledged, in store order.
  const auto again = all_of_type<proto::Deliver>(h.login(2, b, "b@x.org"));
  ASSERT_EQ(again.size(), 2U);
  EXPECT_EQ(again[0].message_id, first[0].message_id);
  EXPECT_EQ(again[1].message_id, first[2].message_id);
  (void)a;
}

// Proves: SRV-014, SU-002, SU-003, SU-004, SU-006
TEST(Server, AccountRequestsRefuseInTheSpecOrder) {
  ServerHarness h(paper_profile());
  EXPECT_EQ(h.refusal(1, proto::SignUp{"no-at-sign", bytes_of("pw")}), code(ErrorCode::kBadValue));
  const std::string id = h.sign_up(1, "Alice@X.org");
  EXPECT_EQ(id.size(), 16U);
  EXPECT_TRUE(std::all_of(id.begin(), id.end(), [](char ch) { return std::isalnum(ch) != 0; }));
  EXPECT_EQ(h.fx.mails.back(), "SPMC verification for " + id + ": " + h.last_code());
  EXPECT_EQ(h.last_code().size(), 6U);
  // The same address in another case is the same account (lowercase before hashing, SU-005).
  EXPECT_EQ(h.refusal(2, proto::SignUp{"alice@x.org", bytes_of("other")}),
            code(ErrorCode::kBadState));
  // Login: unknown user, then wrong password, then not verified, in that order.
  EXPECT_EQ(h.refusal(1, proto::Login{"NoSuchUser123456", bytes_of("pw-Alice@X.org")}),
            code(ErrorCode::kUnknownUser));
  EXPECT_EQ(h.refusal(1, proto::Login{id, bytes_of("wrong")}), code(ErrorCode::kBadValue));
  EXPECT_EQ(h.refusal(1, proto::Login{id, bytes_of("pw-Alice@X.org")}), code(ErrorCode::kBadState));
  // VerifyEmail: unknown user, wrong code; the right code is not consumed.
  const std::string good = h.last_code();
  const std::string bad = good == "123456" ? "654321" : "123456";
  EXPECT_EQ(h.refusal(1, proto::VerifyEmail{"NoSuchUser123456", good}),
            code(ErrorCode::kUnknownUser));
  EXPECT_EQ(h.refusal(1, proto::VerifyEmail{id, bad}), code(ErrorCode::kBadValue));
  EXPECT_EQ(h.refusal(1, proto::VerifyEmail{id, good}), 0);
  EXPECT_EQ(h.refusal(1, proto::VerifyEmail{id, good}), 0);
  EXPECT_TRUE(std::holds_alternative<proto::LoggedIn>(
      h.reply(1, proto::Login{id, bytes_of("pw-Alice@X.org")}).body));
}

// Proves: SU-001, SU-005, SRV-007, SRV-015
TEST(Server, KeepsNeitherTheEmailNorThePasswordNorTheCode) {
  ServerHarness h(paper_profile());
  const std::string a = h.user(1, "alice@x.org");
  const std::string b = h.user(2, "bob@x.org");
  h.request(1, ServerHarness::send_to(b, "secret text"));
  const std::vector<Bytes> secrets = {bytes_of("alice@x.org"), bytes_of("pw-alice@x.org"),
                                      bytes_of("secret text")};
  h.server().visit_held_bytes([&](std::string_view what, ByteView held) {
    for (const Bytes& s : secrets) {
      EXPECT_EQ(std::search(held.begin(), held.end(), s.begin(), s.end()) != held.end(),
                what == "store.payload" && s == secrets[2])
          << what;
    }
  });
  for (const std::string& line : h.fx.logs) {
    for (const std::string& s : {std::string("alice@x.org"), std::string("pw-"), h.last_code(),
                                 std::string("secret text")}) {
      EXPECT_EQ(line.find(s), std::string::npos) << line;
    }
  }
  (void)a;
}

// Proves: SRV-006, SRV-014, SU-011
TEST(Server, ContactRequestsRefuseInTheSpecOrder) {
  Profile small = paper_profile();
  small.limits.offline_queue_max = 1;
  ServerHarness h(small);
  const std::string a = h.user(1, "a@x.org");
  const std::string b = h.user(2, "b@x.org");
  const std::string uncertified = h.sign_up(3, "c@x.org");
  EXPECT_EQ(h.refusal(1, proto::AddContact{"NoSuchUser123456"}), code(ErrorCode::kUnknownUser));
  EXPECT_EQ(h.refusal(1, proto::AddContact{"nobody@x.org"}), code(ErrorCode::kUnknownUser));
  EXPECT_EQ(h.refusal(1, proto::AddContact{a}), code(ErrorCode::kUnknownUser));
  EXPECT_EQ(h.refusal(1, proto::AddContact{"A@x.org"}), code(ErrorCode::kUnknownUser));
  EXPECT_EQ(h.refusal(1, proto::AddContact{uncertified}), code(ErrorCode::kBadState));
  EXPECT_EQ(h.refusal(1, proto::AcceptContact{b}), code(ErrorCode::kBadState));  // none pending
  // By email; a second request while the first is pending is refused.
  EXPECT_EQ(h.refusal(1, proto::AddContact{"B@X.org"}), 0);
  EXPECT_EQ(h.refusal(1, proto::AddContact{b}), code(ErrorCode::kBadState));
  // B's store holds the ContactRequest and is full: the acceptance would overflow it.
  ASSERT_EQ(h.server().store_depth(b), 1U);
  EXPECT_EQ(h.refusal(2, proto::AcceptContact{a}), code(ErrorCode::kQueueFull));
  EXPECT_TRUE(h.server().account(b)->contacts.empty());
  // B acknowledges the request; now the acceptance stores ContactAdded for both.
  const auto pushed = all_of_type<proto::ContactRequest>(h.login(2, b, "b@x.org"));
  ASSERT_EQ(pushed.size(), 1U);
  EXPECT_EQ(pushed[0].from, a);
  h.request(2, proto::Ack{pushed[0].message_id});
  const auto accepted = h.request(2, proto::AcceptContact{a});
  const auto added_b = all_of_type<proto::ContactAdded>(accepted);
  ASSERT_EQ(added_b.size(), 1U);
  EXPECT_EQ(added_b[0].user_id, a);
  EXPECT_EQ(added_b[0].sign_cert, h.server().account(a)->sign_cert);
  EXPECT_TRUE(h.server().account(a)->contacts.contains(b));
  EXPECT_EQ(h.server().store_depth(a), 1U);  // ContactAdded{b} for A
  EXPECT_EQ(h.refusal(1, proto::AddContact{b}), code(ErrorCode::kBadState));  // already contacts
}

// Proves: CERT-004, CERT-005, SRV-006, SRV-014
TEST(Server, NewCertificatesRevokeTheOldAndReachEveryContactEvenPastTheStoreBound) {
  Profile small = paper_profile();
  small.limits.offline_queue_max = 1;
  ServerHarness h(small);
  const std::string a = h.user(1, "a@x.org");
  const std::string b = h.user(2, "b@x.org");
  h.befriend(1, a, 2, b);
  h.go_offline(2);
  h.request(1, ServerHarness::send_to(b, "fills B's store"));
  ASSERT_EQ(h.server().store_depth(b), 1U);
  const std::vector<std::uint64_t> old = h.server().account(a)->cert_serials;
  h.request(1, proto::RequestCertificates{Bytes(32, 7), Bytes(32, 8)});
  for (std::uint64_t serial : old) {
    EXPECT_TRUE(h.server().revoked().contains(serial));
  }
  EXPECT_EQ(h.server().store_depth(b), 2U);  // stored although B's store was full
  const auto at_login = h.login(2, b, "b@x.org");
  const auto logged_in = all_of_type<proto::LoggedIn>(at_login);
  ASSERT_EQ(logged_in.size(), 1U);
  EXPECT_EQ(logged_in[0].revoked, old);  // the whole set, ascending
  const auto added = all_of_type<proto::ContactAdded>(at_login);
  ASSERT_EQ(added.size(), 1U);
  EXPECT_EQ(added[0].user_id, a);
  EXPECT_EQ(added[0].sign_cert, h.server().account(a)->sign_cert);
}

// Proves: SRV-014
TEST(Server, LoginElsewhereLogsTheOldSessionOut) {
  ServerHarness h(paper_profile());
  const std::string a = h.user(1, "a@x.org");
  const std::string b = h.user(2, "b@x.org");
  (void)h.login(3, a, "a@x.org");
  EXPECT_EQ(h.refusal(1, ServerHarness::send_to(b, "from the old phone")),
            code(ErrorCode::kBadState));
  EXPECT_EQ(h.refusal(3, ServerHarness::send_to(b, "from the new phone")), 0);
}

// Proves: SRV-020
TEST(Server, BehavesTheSameUnderEveryProfile) {
  auto run = [](const Profile& profile) {
    ServerHarness h(profile, 9);
    const std::string a = h.user(1, "a@x.org");
    const std::string b = h.user(2, "b@x.org");
    h.befriend(1, a, 2, b);
    std::vector<Bytes> seen;
    for (const auto& m : h.request(1, ServerHarness::send_to(b, "hello"))) {
      seen.push_back(proto::encode(m));
    }
    for (const auto& m : h.login(2, b, "b@x.org")) {
      seen.push_back(proto::encode(m));
    }
    return seen;
  };
  EXPECT_EQ(run(paper_profile()), run(hardened_profile()));
}

}  // namespace
}  // namespace spmc::server
