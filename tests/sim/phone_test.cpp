// The phone's own rules on the loss-free loopback world (spec/state_machines.md PH-): what it
// keeps, what it sends and when, and what it does with a push it has already handled.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "spmc/sim/loopback.hpp"

namespace spmc {
namespace {

std::size_t count_events(const std::vector<phone::PhoneEvent>& events, phone::PhoneEventKind type) {
  return static_cast<std::size_t>(std::count_if(
      events.begin(), events.end(), [type](const phone::PhoneEvent& e) { return e.type == type; }));
}

// The relay lines the server logged after line `from` ("relay id=.. from=.. to=.. bytes=..").
std::vector<std::string> relays_since(const sim::LoopbackWorld& w, std::size_t from) {
  std::vector<std::string> out;
  for (std::size_t i = from; i < w.server_log().size(); ++i) {
    if (w.server_log()[i].starts_with("relay ")) {
      out.push_back(w.server_log()[i]);
    }
  }
  return out;
}

std::string field(const std::string& line, const std::string& key) {
  const auto at = line.find(" " + key + "=");
  const auto start = at + key.size() + 2;
  return line.substr(start, line.find(' ', start) - start);
}

// Proves: PH-001, PH-002
TEST(Phone, SignUpVerifyAndCertificatesMakeThePhoneReady) {
  sim::LoopbackWorld w(paper_profile(), 11);
  const auto a = w.add_signed_up_phone("a@x.org");
  const phone::PersistentState& s = w.phone(a).state();
  EXPECT_TRUE(w.phone(a).ready());
  EXPECT_EQ(s.account, phone::AccountState::kReady);
  ASSERT_NE(w.server().account(s.user_id), nullptr);  // the id SignedUp gave
  EXPECT_TRUE(w.server().account(s.user_id)->verified);
  ASSERT_TRUE(s.sign_cert.has_value());
  EXPECT_EQ(s.sign_cert->user_id, s.user_id);
  // Disconnected, the account stays ready but the phone is not (no logged-in session).
  w.set_online(a, false);
  EXPECT_EQ(w.phone(a).state().account, phone::AccountState::kReady);
  EXPECT_FALSE(w.phone(a).ready());
}

// Proves: PH-003, PH-010
TEST(Phone, NothingLeavesADisconnectedPhoneAndItsOutboxGoesAfterLogin) {
  sim::LoopbackWorld w(paper_profile(), 12);
  const auto a = w.add_signed_up_phone("a@x.org");
  const auto b = w.add_signed_up_phone("b@x.org");
  w.befriend(a, b);
  const std::string b_id = w.phone(b).state().user_id;
  w.set_online(a, false);
  std::size_t from_a = 0;
  const std::size_t a_node = a + 1;
  w.set_drop([&from_a, a_node](std::size_t from, std::size_t, ByteView) {
    from_a += from == a_node ? 1 : 0;
    return false;  // only counts
  });
  ASSERT_TRUE(w.phone(a).send_text(b_id, bytes_of("written offline"), w.effects(a)).ok());
  w.run();
  EXPECT_EQ(from_a, 0U);
  EXPECT_EQ(w.phone(a).outbox_size(), 1U);
  w.set_online(a, true);
  w.run();
  ASSERT_EQ(w.inbox(b).size(), 1U);
  EXPECT_EQ(w.inbox(b)[0].body, bytes_of("written offline"));
  EXPECT_EQ(w.phone(a).outbox_size(), 0U);
}

// Proves: PH-012, SRV-010, SRV-011
TEST(Phone, APushAlreadyHandledIsOnlyAcknowledgedAgain) {
  sim::LoopbackWorld w(paper_profile(), 13);
  const auto a = w.add_signed_up_phone("a@x.org");
  const auto b = w.add_signed_up_phone("b@x.org");
  w.befriend(a, b);
  const std::string b_id = w.phone(b).state().user_id;
  // B handles the message, but nothing B sends reaches the server: its Ack is lost.
  const std::size_t b_node = b + 1;
  w.set_drop(
      [b_node](std::size_t from, std::size_t to, ByteView) { return from == b_node && to == 0; });
  ASSERT_TRUE(w.phone(a).send_text(b_id, bytes_of("once"), w.effects(a)).ok());
  w.run(5'000);
  ASSERT_EQ(w.inbox(b).size(), 1U);
  ASSERT_EQ(w.server().store_depth(b_id), 1U);
  const std::size_t accepted = count_events(w.events(b), phone::PhoneEventKind::kMsgAccept);
  // A new connection: the server pushes the unacknowledged item again, with the same id.
  w.set_drop({});
  w.phone(b).crash();
  w.phone(b).connect(w.effects(b));
  w.run();
  EXPECT_EQ(w.server().store_depth(b_id), 0U);  // acknowledged this time
  EXPECT_EQ(w.inbox(b).size(), 1U);
  EXPECT_EQ(count_events(w.events(b), phone::PhoneEventKind::kMsgAccept), accepted);
  EXPECT_EQ(count_events(w.events(b), phone::PhoneEventKind::kMsgReject),
            0U);  // not even opened again
}

// Proves: SRV-017
TEST(Phone, GroupMessagesAreFannedOutByTheSenderOneSendPerOtherMember) {
  sim::LoopbackWorld w(paper_profile(), 14);
  const auto a = w.add_signed_up_phone("a@x.org");
  const auto b = w.add_signed_up_phone("b@x.org");
  const auto c = w.add_signed_up_phone("c@x.org");
  w.befriend(a, b);
  w.befriend(a, c);
  const std::string a_id = w.phone(a).state().user_id;
  const std::string b_id = w.phone(b).state().user_id;
  const std::string c_id = w.phone(c).state().user_id;
  auto group = w.phone(a).create_group({b_id, c_id}, w.effects(a));
  ASSERT_TRUE(group.ok());
  w.run();
  for (const auto& [sender, others] :
       {std::pair{a, std::set<std::string>{b_id, c_id}}, std::pair{b, std::set{a_id, c_id}}}) {
    const std::size_t log = w.server_log().size();
    ASSERT_TRUE(
        w.phone(sender).send_group_text(*group, bytes_of("to all"), w.effects(sender)).ok());
    w.run();
    const auto relays = relays_since(w, log);
    ASSERT_EQ(relays.size(), 2U);
    std::set<std::string> to;
    for (const auto& r : relays) {
      to.insert(field(r, "to"));
      EXPECT_EQ(field(r, "bytes"), field(relays[0], "bytes"));  // the same envelope
    }
    EXPECT_EQ(to, others);
  }
}

// Proves: KS-022, RAT-010
TEST(Phone, AReceiversStateNoLongerDerivesThePastMessageKeysOfItsChains) {
  sim::LoopbackWorld w(paper_profile(), 15);
  const auto a = w.add_signed_up_phone("a@x.org");
  const auto b = w.add_signed_up_phone("b@x.org");
  w.befriend(a, b);
  const std::string a_id = w.phone(a).state().user_id;
  const std::string b_id = w.phone(b).state().user_id;
  // The sender's chain before its first message holds what the share carried: K, the seed
  // numbers, and so the key of counter 3.
  const auto& to_b = w.phone(a).state().contacts.at(b_id).send;
  ASSERT_TRUE(to_b.has_value());
  ASSERT_EQ(to_b->next_counter(), 0U);
  auto start = ratchet::SendChain::decode_state(to_b->encode_state());
  ASSERT_TRUE(start.ok());
  auto stepper = ratchet::SendChain::decode_state(to_b->encode_state());
  ASSERT_TRUE(stepper.ok());
  Block key_3{};
  for (int counter = 0; counter <= 3; ++counter) {
    auto mk = stepper->next();
    ASSERT_TRUE(mk.ok());
    key_3 = mk->key;
  }
  const ratchet::SendChain::State share = std::move(*start).take_state();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(
        w.phone(a).send_text(b_id, bytes_of("text " + std::to_string(i)), w.effects(a)).ok());
  }
  w.run();
  ASSERT_EQ(w.inbox(b).size(), 10U);

  // b's state is taken: its book holds neither K nor a seed number nor the key (KS-022) ...
  const phone::PersistentState& taken = w.phone(b).state();
  ASSERT_NE(taken.book->pairwise(a_id), nullptr);
  const Bytes book = keyshare::encode(*taken.book);
  const auto in_book = [&book](ByteView secret) {
    return std::search(book.begin(), book.end(), secret.begin(), secret.end()) != book.end();
  };
  EXPECT_FALSE(in_book(share.master_key));
  for (const Block& n : share.slots) {
    EXPECT_FALSE(in_book(n));
  }
  EXPECT_FALSE(in_book(key_3));
  // ... and its chain for a erased the key of counter 3 and cannot derive it again (RAT-010).
  const auto& chains = taken.contacts.at(a_id).receive;
  ASSERT_EQ(chains.size(), 1U);
  const ratchet::ReceiveChain& chain = chains.begin()->second;
  EXPECT_EQ(chain.next_counter(), 10U);
  EXPECT_EQ(chain.prepare(3).code(), ErrorCode::kReplay);
  const Bytes chain_state = chain.encode_state();
  EXPECT_EQ(std::search(chain_state.begin(), chain_state.end(), key_3.begin(), key_3.end()),
            chain_state.end());
}

}  // namespace
}  // namespace spmc
