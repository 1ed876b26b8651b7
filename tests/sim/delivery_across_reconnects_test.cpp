// Nothing the server accepted is lost when connections break at the wrong moment
// (PH-004, PH-010, PH-013, PH-014, SRV-014; ambiguity A-40). Each test recreates one root
// cause found by the churn and crash-storm worlds on the loss-free loopback world, with a
// filter that drops exactly the frames the fault would have lost.
#include <gtest/gtest.h>

#include <algorithm>

#include "spmc/channel.hpp"
#include "spmc/sim/loopback.hpp"

namespace spmc {
namespace {

constexpr std::size_t kServer = 0;
std::size_t network_node(std::size_t phone) { return phone + 1; }

// The server message a frame carries, if it is a data frame holding one.
std::optional<proto::Message> message_of(ByteView frame) {
  auto f = channel::decode(frame);
  if (!f.ok() || f->kind != channel::FrameKind::kData) {
    return std::nullopt;
  }
  auto m = proto::decode(f->payload);
  return m.ok() ? std::optional<proto::Message>(*m) : std::nullopt;
}

bool saw(const sim::LoopbackWorld& w, std::size_t phone, phone::PhoneEventKind type) {
  const auto& ev = w.events(phone);
  return std::any_of(ev.begin(), ev.end(),
                     [type](const phone::PhoneEvent& e) { return e.type == type; });
}

bool got(const sim::LoopbackWorld& w, std::size_t phone, std::string_view body) {
  const auto& in = w.inbox(phone);
  return std::any_of(in.begin(), in.end(),
                     [body](const phone::Delivered& d) { return d.body == bytes_of(body); });
}

// PH-013, SRV-014: B accepts A's request; the server takes the acceptance but B's
// connection dies before the answer. Both sides still become contacts, and A's messages
// (which the server accepts as soon as A holds B) reach B.
TEST(DeliveryAcrossReconnects, ContactExchangeSurvivesALostAnswerToTheAcceptance) {
  sim::LoopbackWorld w(paper_profile(), 21);
  const auto a = w.add_signed_up_phone("a@x.org");
  const auto b = w.add_signed_up_phone("b@x.org");
  const std::string a_id = w.phone(a).state().user_id;
  const std::string b_id = w.phone(b).state().user_id;
  bool cut = false;
  w.set_drop([&](std::size_t from, std::size_t to, ByteView frame) {
    if (from == network_node(b) && to == kServer) {
      auto m = message_of(frame);
      cut = cut || (m && std::holds_alternative<proto::AcceptContact>(m->body));
      return false;  // the acceptance itself reaches the server
    }
    return cut && from == kServer && to == network_node(b);  // everything back to B is lost
  });
  ASSERT_TRUE(w.phone(a).add_contact(b_id, w.effects(a)).ok());
  w.run(5000);
  ASSERT_TRUE(cut);
  ASSERT_TRUE(w.phone(a).state().contacts.contains(b_id));
  EXPECT_FALSE(w.phone(b).state().contacts.contains(a_id));
  ASSERT_TRUE(w.phone(a).send_text(b_id, bytes_of("hello b"), w.effects(a)).ok());
  w.run(5000);
  w.set_drop({});
  w.set_online(b, false);  // B's connection is gone; it comes back with a new one
  w.set_online(b, true);
  w.run();
  EXPECT_TRUE(w.phone(b).state().contacts.contains(a_id));
  EXPECT_TRUE(got(w, b, "hello b")) << "accepted by the server, so it must arrive";
  EXPECT_FALSE(saw(w, b, phone::PhoneEventKind::kMsgReject));
  EXPECT_FALSE(saw(w, b, phone::PhoneEventKind::kKeyshareReject));
  EXPECT_EQ(w.server().store_depth(), 0U);
}

// PH-013: an acceptance made while the phone has no connection is not dropped: it goes
// out after the next login.
TEST(DeliveryAcrossReconnects, AcceptanceMadeWhileDisconnectedGoesOutAfterLogin) {
  sim::LoopbackWorld w(paper_profile(), 22);
  const auto a = w.add_signed_up_phone("a@x.org");
  const auto b = w.add_signed_up_phone("b@x.org");
  const std::string a_id = w.phone(a).state().user_id;
  const std::string b_id = w.phone(b).state().user_id;
  // B's acceptance, sent at once on the request, is lost with the connection it was on.
  w.set_drop([&](std::size_t from, std::size_t to, ByteView frame) {
    auto m = message_of(frame);
    return from == network_node(b) && to == kServer && m &&
           std::holds_alternative<proto::AcceptContact>(m->body);
  });
  ASSERT_TRUE(w.phone(a).add_contact(b_id, w.effects(a)).ok());
  w.run(300);
  ASSERT_TRUE(saw(w, b, phone::PhoneEventKind::kContactRequest));
  w.set_online(b, false);
  w.set_drop({});
  w.set_online(b, true);
  w.run();
  EXPECT_TRUE(w.phone(a).state().contacts.contains(b_id));
  EXPECT_TRUE(w.phone(b).state().contacts.contains(a_id));
  EXPECT_EQ(w.phone(b).outbox_size(), 0U);
}

// PH-004: the server acknowledges the Login frame, then crashes before its answer leaves.
// The channel is idle, but a reply is overdue: the phone reconnects and logs in.
TEST(DeliveryAcrossReconnects, PhoneReconnectsWhenTheServerCrashesBeforeAnsweringItsLogin) {
  sim::LoopbackWorld w(paper_profile(), 23);
  const auto a = w.add_signed_up_phone("a@x.org");
  bool crashed = false;
  w.set_drop([&](std::size_t from, std::size_t to, ByteView frame) {
    if (crashed || from != kServer || to != network_node(a)) {
      return false;
    }
    auto m = message_of(frame);
    if (m && std::holds_alternative<proto::LoggedIn>(m->body)) {
      crashed = true;  // the answer is lost with the server's memory of the session
      w.server().crash();
      return true;
    }
    return false;
  });
  w.set_online(a, false);
  w.set_online(a, true);
  w.run();
  ASSERT_TRUE(crashed);
  EXPECT_TRUE(w.phone(a).ready());
  EXPECT_TRUE(saw(w, a, phone::PhoneEventKind::kReconnect));
}

// PH-004, CH-003: frames of a session the phone abandoned (a server that took a late first
// frame of it for a new connection keeps retransmitting on it) are no sign of life.
TEST(DeliveryAcrossReconnects, FramesOfAnotherSessionDoNotHoldOffTheReconnect) {
  sim::LoopbackWorld w(paper_profile(), 24);
  const auto a = w.add_signed_up_phone("a@x.org");
  const auto b = w.add_signed_up_phone("b@x.org");
  w.befriend(a, b);
  const std::string b_id = w.phone(b).state().user_id;
  w.set_drop([&](std::size_t from, std::size_t to, ByteView) {
    return from == kServer && to == network_node(a);  // the server never answers on a's session
  });
  ASSERT_TRUE(w.phone(a).send_text(b_id, bytes_of("x"), w.effects(a)).ok());
  w.run(0);
  const Bytes stale = channel::encode(channel::Frame{channel::FrameKind::kData, 7, 0, {1, 2}});
  for (int second = 0; second < 12 && !saw(w, a, phone::PhoneEventKind::kReconnect); ++second) {
    w.phone(a).on_packet(stale, w.effects(a));
    w.clock().advance(1000);
    w.phone(a).on_timer(w.effects(a));
  }
  EXPECT_TRUE(saw(w, a, phone::PhoneEventKind::kReconnect));
}

// PH-014: a member's group message overtakes the organiser's share to another member (the
// organiser's Send of that share was lost once and is retransmitted). It is held, then
// opened when the share arrives; nothing is refused.
TEST(DeliveryAcrossReconnects, GroupMessageThatOvertakesItsShareIsHeldThenOpened) {
  for (const Profile* profile : {&paper_profile(), &hardened_profile()}) {
    sim::LoopbackWorld w(*profile, 25);
    const auto o = w.add_signed_up_phone("o@x.org");
    const auto m1 = w.add_signed_up_phone("m1@x.org");
    const auto m2 = w.add_signed_up_phone("m2@x.org");
    w.befriend(o, m1);
    w.befriend(o, m2);
    const std::string m2_id = w.phone(m2).state().user_id;
    bool dropped = false;
    w.set_drop([&](std::size_t from, std::size_t to, ByteView frame) {
      if (dropped || from != network_node(o) || to != kServer) {
        return false;
      }
      auto m = message_of(frame);
      const auto* send = m ? std::get_if<proto::Send>(&m->body) : nullptr;
      dropped = send != nullptr && send->to == m2_id && send->kind == proto::PayloadKind::kKeyShare;
      return dropped;
    });
    auto id = w.phone(o).create_group({w.phone(m1).state().user_id, m2_id}, w.effects(o));
    ASSERT_TRUE(id.ok());
    w.run(0);  // no timer yet: the lost share is not retransmitted
    ASSERT_TRUE(dropped) << profile->name;
    ASSERT_TRUE(w.phone(m1).state().groups.contains(*id)) << profile->name;
    ASSERT_TRUE(w.phone(m1).send_group_text(*id, bytes_of("early"), w.effects(m1)).ok());
    w.run(0);
    EXPECT_TRUE(saw(w, m2, phone::PhoneEventKind::kMsgHeld)) << profile->name;
    EXPECT_FALSE(got(w, m2, "early")) << profile->name;
    w.run();  // the organiser retransmits its share
    EXPECT_TRUE(got(w, m2, "early")) << profile->name;
    EXPECT_FALSE(saw(w, m2, phone::PhoneEventKind::kMsgReject)) << profile->name;
    EXPECT_TRUE(w.phone(m2).state().held.empty()) << profile->name;
  }
}

}  // namespace
}  // namespace spmc
