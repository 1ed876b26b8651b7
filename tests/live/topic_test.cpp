// The MQTT names of live mode (spec/transport_mqtt.md): topics, addresses, client ids and the
// frame bound, each malformed input refused with its typed error.
#include "spmc/live/topic.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "spmc/channel.hpp"
#include "spmc/live/errors.hpp"

namespace spmc::live {
namespace {

void expect_fault(const Status& s, Fault fault, ErrorCode code) {
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(fault_of(s.error()), fault) << s.error().detail;
  EXPECT_EQ(s.error().code, code) << s.error().detail;
}

template <typename T>
Status status_of(const Result<T>& r) {
  if (r.ok()) {
    return ok_status();
  }
  return r.error();
}

// Proves: MQT-002
TEST(LiveTopic, UplinkAndDownlinkTopicsNameThePhone) {
  EXPECT_EQ(server_topic(7), "spmc/v1/srv/7");
  EXPECT_EQ(phone_topic(7), "spmc/v1/to/7");
  EXPECT_EQ(kServerSubscription, "spmc/v1/srv/+");
  const auto up = parse_topic("spmc/v1/srv/7");
  ASSERT_TRUE(up.ok()) << up.error().detail;
  EXPECT_EQ(*up, (Route{Direction::kToServer, 7}));
  const auto down = parse_topic("spmc/v1/to/4294967295");
  ASSERT_TRUE(down.ok()) << down.error().detail;
  EXPECT_EQ(*down, (Route{Direction::kToPhone, 4294967295U}));
}

// Proves: MQT-002, MQT-003
TEST(LiveTopic, EveryRouteRoundTrips) {
  const std::vector<Address> addresses{0,     1,     9,           10,          99,         100,
                                       65535, 65536, 2147483648U, 4294967294U, 4294967295U};
  for (const Address a : addresses) {
    for (const Direction d : {Direction::kToServer, Direction::kToPhone}) {
      const Route route{d, a};
      const auto parsed = parse_topic(topic_of(route));
      ASSERT_TRUE(parsed.ok()) << topic_of(route) << ": " << parsed.error().detail;
      EXPECT_EQ(*parsed, route) << topic_of(route);
    }
    const auto back = parse_address(address_text(a));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, a);
  }
}

// Proves: MQT-003
TEST(LiveTopic, RefusesAddressesThatAreNotCanonicalDecimal) {
  const std::vector<std::string> bad{"",   "07",  "00", "+7", "-1",         "7 ",        " 7",
                                     "1a", "0x1", "+",  "#",  "4294967296", "9999999999"};
  for (const std::string& text : bad) {
    SCOPED_TRACE(text);
    expect_fault(status_of(parse_address(text)), Fault::kBadTopic, ErrorCode::kBadValue);
    expect_fault(status_of(parse_topic("spmc/v1/srv/" + text)), Fault::kBadTopic,
                 ErrorCode::kBadValue);
  }
}

// Proves: MQT-002
TEST(LiveTopic, RefusesTopicsThatAreNotOurs) {
  const std::vector<std::string> bad{"",
                                     "spmc/v1/srv",
                                     "spmc/v1/srv/",
                                     "spmc/v1/srv/+",
                                     "spmc/v1/srv/#",
                                     "spmc/v1/srv/7/extra",
                                     "spmc/v2/srv/7",
                                     "SPMC/v1/srv/7",
                                     "/spmc/v1/srv/7",
                                     "spmc/v1/to",
                                     "spmc/v1/from/7"};
  for (const std::string& topic : bad) {
    SCOPED_TRACE(topic);
    expect_fault(status_of(parse_topic(topic)), Fault::kBadTopic, ErrorCode::kBadValue);
  }
}

// Proves: MQT-004
TEST(LiveTopic, LengthsAreBoundedBeforeParsing) {
  EXPECT_LE(topic_of({Direction::kToServer, 4294967295U}).size(), kMaxTopicBytes);
  EXPECT_LE(topic_of({Direction::kToPhone, 4294967295U}).size(), kMaxTopicBytes);
  expect_fault(status_of(parse_topic(std::string(kMaxTopicBytes + 1, 'a'))), Fault::kTopicTooLong,
               ErrorCode::kBadLength);
  expect_fault(status_of(parse_topic("spmc/v1/srv/" + std::string(64, '1'))), Fault::kTopicTooLong,
               ErrorCode::kBadLength);
  expect_fault(status_of(parse_address("12345678901")), Fault::kTopicTooLong,
               ErrorCode::kBadLength);
  // A short topic whose address part is 11 digits: the address bound, not the topic bound.
  expect_fault(status_of(parse_topic("spmc/v1/to/12345678901")), Fault::kTopicTooLong,
               ErrorCode::kBadLength);
}

// Proves: MQT-010
TEST(LiveTopic, ClientIdsFitMqtt311) {
  EXPECT_EQ(phone_client_id(42), "spmc-p-42");
  EXPECT_LE(phone_client_id(4294967295U).size(), kMaxClientIdBytes);
  EXPECT_LE(kServerClientId.size(), kMaxClientIdBytes);
  EXPECT_NE(phone_client_id(0), kServerClientId);
}

// Proves: MQT-008
TEST(LiveTopic, TheFrameBoundIsTheLargestChannelFrame) {
  channel::Frame largest;
  largest.kind = channel::FrameKind::kData;
  largest.session = 0xFFFFFFFFU;
  largest.number = 0xFFFFFFFFU;
  largest.payload.assign(channel::kMaxPayload, 0xAB);
  EXPECT_EQ(channel::encode(largest).size(), kMaxFrameBytes);
  channel::Frame empty;
  EXPECT_EQ(channel::encode(empty).size(), kFrameHeaderBytes);
  EXPECT_TRUE(check_frame_size(kMaxFrameBytes).ok());
  expect_fault(check_frame_size(kMaxFrameBytes + 1), Fault::kFrameTooLarge, ErrorCode::kBadLength);
}

// Proves: MQT-016
TEST(LiveErrors, EveryFaultIsReadBackFromItsError) {
  for (const Fault f :
       {Fault::kBadTopic, Fault::kTopicTooLong, Fault::kFrameTooLarge, Fault::kBrokerMissing,
        Fault::kBrokerFailed, Fault::kConnectFailed, Fault::kNotConnected, Fault::kConnectionLost,
        Fault::kRefused, Fault::kTimeout, Fault::kCallback, Fault::kTls, Fault::kPki,
        Fault::kLibrary}) {
    const Error e = live_error(f, "why");
    EXPECT_EQ(fault_of(e), f) << e.detail;
    EXPECT_EQ(e.detail, std::string(fault_name(f)) + ": why");
  }
  EXPECT_EQ(fault_of(make_error(ErrorCode::kBadState, "not logged in")), std::nullopt);
  // A protocol error whose text happens to start like a fault is not a fault: the code differs.
  EXPECT_EQ(fault_of(make_error(ErrorCode::kReplay, "timeout: x")), std::nullopt);
}

}  // namespace
}  // namespace spmc::live
