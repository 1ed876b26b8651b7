// Phones and the chat server together on the loss-free loopback world.
#include <gtest/gtest.h>

#include "spmc/sim/loopback.hpp"

namespace spmc {
namespace {

TEST(PhoneServer, OfflineMessageIsStoredThenDeletedOnceDelivered) {
  sim::LoopbackWorld w(paper_profile(), 1);
  const auto a = w.add_signed_up_phone("a@x.org");
  const auto b = w.add_signed_up_phone("b@x.org");
  w.befriend(a, b);
  const std::string b_id = w.phone(b).state().user_id;
  w.set_online(b, false);
  ASSERT_TRUE(w.phone(a).send_text(b_id, bytes_of("later"), w.effects(a)).ok());
  w.run();
  EXPECT_EQ(w.server().store_depth(b_id), 1U);
  w.set_online(b, true);
  w.run();
  ASSERT_EQ(w.inbox(b).size(), 1U);
  EXPECT_EQ(w.inbox(b)[0].body, bytes_of("later"));
  EXPECT_EQ(w.server().store_depth(), 0U);  // Req6
}

class CountingServerFx final : public server::ServerEffects {
 public:
  void transmit(server::Address, Bytes) override { ++transmitted; }
  void send_email(const std::string&, const std::string&) override {}
  void log(const std::string&) override {}
  int transmitted = 0;
};

TEST(PhoneServer, MalformedFramesChangeNothingOnTheServer) {
  sim::LoopbackWorld w(paper_profile(), 2);
  (void)w.add_signed_up_phone("a@x.org");
  const auto stats = w.server().stats();
  const std::size_t depth = w.server().store_depth();
  CountingServerFx fx;
  // Empty, truncated, unknown frame kind, and a data frame that does not open a session.
  const Bytes junk[] = {{}, {0x01}, {0x09, 0, 0, 0, 0}, Bytes(40, 0xff)};
  for (const Bytes& j : junk) {
    w.server().on_packet(99, j, fx);
  }
  EXPECT_EQ(fx.transmitted, 0);
  EXPECT_EQ(w.server().store_depth(), depth);
  EXPECT_EQ(w.server().stats().requests, stats.requests);
  EXPECT_EQ(w.server().stats().bad_frames, stats.bad_frames + 4);
}

TEST(PhoneServer, ReinstallRevokesOldCertificatesAndMessagingResumes) {
  sim::LoopbackWorld w(hardened_profile(), 3);
  const auto a = w.add_signed_up_phone("a@x.org");
  const auto b = w.add_signed_up_phone("b@x.org");
  w.befriend(a, b);
  const std::string a_id = w.phone(a).state().user_id;
  const std::string b_id = w.phone(b).state().user_id;
  const std::uint64_t old_serial = w.phone(b).state().sign_cert->serial;
  w.clock().advance(60'000);  // a reinstall takes a while; key share timestamps must grow
  w.phone(b).reinstall("1234", w.effects(b));  // STO-005
  w.run();
  ASSERT_TRUE(w.phone(b).ready());
  EXPECT_TRUE(w.server().revoked().contains(old_serial));
  EXPECT_NE(w.phone(b).state().sign_cert->serial, old_serial);
  ASSERT_TRUE(w.phone(a).send_text(b_id, bytes_of("after reinstall"), w.effects(a)).ok());
  ASSERT_TRUE(w.phone(b).send_text(a_id, bytes_of("back"), w.effects(b)).ok());
  w.run();
  ASSERT_EQ(w.inbox(b).size(), 1U);
  EXPECT_EQ(w.inbox(b)[0].body, bytes_of("after reinstall"));
  ASSERT_EQ(w.inbox(a).size(), 1U);
  EXPECT_EQ(w.inbox(a)[0].body, bytes_of("back"));
}

TEST(PhoneServer, OfflineStoreIsBoundedAndRefusesWithQueueFull) {
  Profile small = paper_profile();
  small.limits.offline_queue_max = 3;
  sim::LoopbackWorld w(small, 4);
  const auto a = w.add_signed_up_phone("a@x.org");
  const auto b = w.add_signed_up_phone("b@x.org");
  w.befriend(a, b);
  const std::string b_id = w.phone(b).state().user_id;
  w.set_online(b, false);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(w.phone(a).send_text(b_id, bytes_of("m" + std::to_string(i)), w.effects(a)).ok());
  }
  w.run(1000);
  EXPECT_EQ(w.server().store_depth(b_id), 3U);
  EXPECT_GE(w.server().stats().queue_full, 2U);
  EXPECT_EQ(w.phone(a).outbox_size(), 2U);  // kept and retried, never lost (PH-010)
  w.set_online(b, true);
  w.run();
  EXPECT_EQ(w.inbox(b).size(), 5U);
  EXPECT_EQ(w.phone(a).outbox_size(), 0U);
}

}  // namespace
}  // namespace spmc
