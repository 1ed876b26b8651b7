// Group membership changes between phones on the loopback world (GRP-010, GRP-012).
#include <gtest/gtest.h>

#include <algorithm>

#include "spmc/sim/loopback.hpp"

namespace spmc {
namespace {

// Organiser O with members M1, M2 and R; R is the one removed.
struct Group {
  explicit Group(std::uint64_t seed) : w(hardened_profile(), seed) {
    o = w.add_signed_up_phone("o@x.org");
    m1 = w.add_signed_up_phone("m1@x.org");
    m2 = w.add_signed_up_phone("m2@x.org");
    r = w.add_signed_up_phone("r@x.org");
    for (auto m : {m1, m2, r}) {
      w.befriend(o, m);
    }
    auto id = w.phone(o).create_group({user(m1), user(m2), user(r)}, w.effects(o));
    SPMC_CHECK(id.ok());
    group = *id;
    w.run();
  }
  std::string user(std::size_t i) { return w.phone(i).state().user_id; }
  bool got(std::size_t i, const std::string& body) {
    const auto& in = w.inbox(i);
    return std::any_of(in.begin(), in.end(),
                       [&body](const phone::Delivered& d) { return d.body == bytes_of(body); });
  }
  bool refused_expired(std::size_t i) {
    const auto& ev = w.events(i);
    return std::any_of(ev.begin(), ev.end(), [](const phone::PhoneEvent& e) {
      return e.type == phone::PhoneEventKind::kMsgReject && e.detail == "expired";
    });
  }
  // M2 is offline while O removes R, so only M1 holds the new key.
  void remove_r_while_m2_offline() {
    w.set_online(m2, false);
    w.clock().advance(1000);
    ASSERT_TRUE(w.phone(o).group_remove(group, user(r), w.effects(o)).ok());
    w.run();
  }

  sim::LoopbackWorld w;
  std::size_t o = 0, m1 = 0, m2 = 0, r = 0;
  std::string group;
};

TEST(PhoneGroup, MessageWrittenBeforeTheNewKeyArrivedStillOpensAfterTheRekey) {
  Group g(11);
  g.remove_r_while_m2_offline();
  // M2 writes under the old key: it has not received the new one.
  ASSERT_TRUE(g.w.phone(g.m2).send_group_text(g.group, bytes_of("late"), g.w.effects(g.m2)).ok());
  g.w.set_online(g.m2, true);
  g.w.run();
  EXPECT_TRUE(g.got(g.m1, "late")) << "GRP-012: M1 holds the new key and the replaced one";
  EXPECT_TRUE(g.got(g.o, "late"));
  EXPECT_FALSE(g.refused_expired(g.m1));
}

TEST(PhoneGroup, RemovedMemberWritingAfterTheRekeyIsRefused) {
  Group g(12);
  g.w.clock().advance(1000);
  ASSERT_TRUE(g.w.phone(g.o).group_remove(g.group, g.user(g.r), g.w.effects(g.o)).ok());
  g.w.run();
  g.w.clock().advance(1000);
  // R still holds the old share and relays to every member of it.
  ASSERT_TRUE(g.w.phone(g.r).send_group_text(g.group, bytes_of("intruder"), g.w.effects(g.r)).ok());
  g.w.run();
  EXPECT_FALSE(g.got(g.m1, "intruder"));
  EXPECT_FALSE(g.got(g.o, "intruder"));
  // PH-014: a share re-adding R could still be on the way, so M1 holds the message until
  // the replaced key's grace period ends, then refuses it.
  EXPECT_FALSE(g.w.phone(g.m1).state().held.empty());
  g.w.run(hardened_profile().limits.max_future_skew_ms + 60'000);
  EXPECT_FALSE(g.got(g.m1, "intruder"));
  EXPECT_FALSE(g.got(g.o, "intruder"));
  EXPECT_TRUE(g.refused_expired(g.m1));
  EXPECT_TRUE(g.w.phone(g.m1).state().held.empty());
}

// PH-014, GRP-012: R is removed and re-added while M2 is offline; R writes before the share
// that re-adds it reaches M2's store. M2 holds R's message and opens it when that share
// arrives: a re-added member's words are not mistaken for a removed member's.
TEST(PhoneGroup, ReaddedMemberWritingBeforeTheReceiverLearntOfTheReaddIsHeldThenOpened) {
  Group g(14);
  g.remove_r_while_m2_offline();  // M2 misses the removal's share
  g.w.clock().advance(1000);
  g.w.set_online(g.o, false);  // the organiser's re-add share waits in its outbox
  ASSERT_TRUE(g.w.phone(g.o).group_add(g.group, g.user(g.r), g.w.effects(g.o)).ok());
  // R has not received the re-add share either: it writes under the key it still holds.
  ASSERT_TRUE(g.w.phone(g.r).send_group_text(g.group, bytes_of("back"), g.w.effects(g.r)).ok());
  g.w.run(0);
  g.w.set_online(g.m2, true);  // M2 gets the removal's share, then R's message
  g.w.run(0);
  EXPECT_FALSE(g.got(g.m2, "back"));
  EXPECT_FALSE(g.w.phone(g.m2).state().held.empty());
  g.w.set_online(g.o, true);  // the re-add share goes out
  g.w.run();
  EXPECT_TRUE(g.got(g.m2, "back"));
  EXPECT_FALSE(g.refused_expired(g.m2));
}

TEST(PhoneGroup, ReplacedKeyClosesWhenTheGracePeriodEnds) {
  Group g(13);
  g.remove_r_while_m2_offline();
  g.w.clock().advance(hardened_profile().limits.max_future_skew_ms + 1000);
  ASSERT_TRUE(
      g.w.phone(g.m2).send_group_text(g.group, bytes_of("too late"), g.w.effects(g.m2)).ok());
  g.w.set_online(g.m2, true);
  g.w.run();
  EXPECT_FALSE(g.got(g.m1, "too late"));
  EXPECT_TRUE(g.refused_expired(g.m1));
}

}  // namespace
}  // namespace spmc
