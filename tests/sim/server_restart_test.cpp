// A server restarted from its store (spec/server.md SRV-021) between real phones: the new
// process is built from the changes the old one persisted, and the conversation carries on
// as if the old one had never gone: the same CA, the same contacts, every message accepted
// before the restart delivered exactly once, new accounts and messages after it.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "spmc/sim/loopback.hpp"

namespace spmc {
namespace {

std::size_t count(const sim::LoopbackWorld& w, std::size_t phone, std::string_view body) {
  const auto& in = w.inbox(phone);
  return static_cast<std::size_t>(
      std::count_if(in.begin(), in.end(),
                    [body](const phone::Delivered& d) { return d.body == bytes_of(body); }));
}

// Proves: SRV-014, SRV-021
TEST(ServerRestart, AServerBuiltFromItsStoreCarriesTheConversationOn) {
  sim::LoopbackWorld w(paper_profile(), 31);
  const auto a = w.add_signed_up_phone("a@x.org");
  const auto b = w.add_signed_up_phone("b@x.org");
  w.befriend(a, b);
  const std::string a_id = w.phone(a).state().user_id;
  const std::string b_id = w.phone(b).state().user_id;
  ASSERT_TRUE(w.phone(a).send_text(b_id, bytes_of("before"), w.effects(a)).ok());
  w.run(5000);
  ASSERT_EQ(count(w, b, "before"), 1U);
  // B goes offline; A's messages wait in B's offline store when the server dies.
  w.set_online(b, false);
  ASSERT_TRUE(w.phone(a).send_text(b_id, bytes_of("while away 1"), w.effects(a)).ok());
  ASSERT_TRUE(w.phone(a).send_text(b_id, bytes_of("while away 2"), w.effects(a)).ok());
  w.run(5000);
  ASSERT_EQ(w.server().store_depth(b_id), w.server_store().store.at(b_id).size());
  ASSERT_GE(w.server().store_depth(b_id), 2U);
  const server::DurableState before = w.server().durable_state();
  const crypto::Ed25519Public ca = w.server().ca_public();

  w.restart_server();
  EXPECT_TRUE(w.server().durable_state() == before);
  EXPECT_EQ(w.server().ca_public(), ca);
  EXPECT_EQ(w.server().stats().requests, 0U);  // a new process

  // A notices its connection is gone and reconnects; B comes back and gets both, once.
  w.set_online(b, true);
  w.run(30'000);
  EXPECT_EQ(count(w, b, "while away 1"), 1U);
  EXPECT_EQ(count(w, b, "while away 2"), 1U);
  EXPECT_EQ(count(w, b, "before"), 1U);
  EXPECT_EQ(w.server().store_depth(), 0U);  // acknowledged and deleted, from the store too
  EXPECT_TRUE(w.server_store().store.empty());
  // The restarted server still knows both as contacts and certifies a newcomer under the
  // same CA, whose certificates A and B accept.
  ASSERT_TRUE(w.phone(b).send_text(a_id, bytes_of("after"), w.effects(b)).ok());
  const auto c = w.add_signed_up_phone("c@x.org");
  w.befriend(c, a);
  ASSERT_TRUE(w.phone(c).send_text(a_id, bytes_of("from c"), w.effects(c)).ok());
  w.run(30'000);
  EXPECT_EQ(count(w, a, "after"), 1U);
  EXPECT_EQ(count(w, a, "from c"), 1U);
  EXPECT_TRUE(w.server_store() == w.server().durable_state());
}

}  // namespace
}  // namespace spmc
