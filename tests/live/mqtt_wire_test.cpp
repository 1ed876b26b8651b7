// MQTT 3.1.1 packet accounting (spmc/live/mqtt_wire.hpp): the PUBLISH layout of MQT-008 and the
// split of a captured byte stream, on packets written out by hand from the standard.
#include "spmc/live/mqtt_wire.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "spmc/bytes.hpp"

namespace spmc::live::mqtt_wire {
namespace {

// Proves: MQT-008
TEST(LiveMqttWire, RemainingLengthTakesOneToFourBytes) {
  EXPECT_EQ(remaining_length_bytes(0), 1U);
  EXPECT_EQ(remaining_length_bytes(127), 1U);
  EXPECT_EQ(remaining_length_bytes(128), 2U);
  EXPECT_EQ(remaining_length_bytes(16'383), 2U);
  EXPECT_EQ(remaining_length_bytes(16'384), 3U);
  EXPECT_EQ(remaining_length_bytes(2'097'151), 3U);
  EXPECT_EQ(remaining_length_bytes(2'097'152), 4U);
  EXPECT_EQ(remaining_length_bytes(kMaxRemainingLength), 4U);
  EXPECT_EQ(remaining_length_bytes(kMaxRemainingLength + 1), 0U);
}

// Proves: MQT-008
TEST(LiveMqttWire, PublishOverheadStaysWithinTheBoundOfMqt008) {
  const PublishLayout small = publish_layout(13, 100, 1);  // spmc/v1/srv/7
  EXPECT_EQ(small.remaining_length_field, 1U);
  EXPECT_EQ(small.overhead(), 1U + 1U + 2U + 13U + 2U);
  EXPECT_EQ(small.total(), small.overhead() + 100U);
  EXPECT_EQ(publish_layout(13, 100, 0).packet_id, 0U);
  // The longest topic (22 bytes) and the largest frame: 3 bytes of Remaining Length, so 30
  // bytes of overhead; MQT-008's "at most 31" allows the field's general maximum of 4.
  const PublishLayout largest = publish_layout(22, 1'048'589, 1);
  EXPECT_EQ(largest.remaining_length_field, 3U);
  EXPECT_EQ(largest.overhead(), 30U);
  EXPECT_LE(largest.overhead(), 31U);
}

Bytes publish_bytes(const std::string& topic, std::uint16_t id, const Bytes& payload) {
  Bytes out{0x32};  // PUBLISH, QoS 1
  std::size_t remaining = 2 + topic.size() + 2 + payload.size();
  do {  // MQTT 3.1.1, 2.2.3
    std::uint8_t byte = remaining % 128;
    remaining /= 128;
    if (remaining > 0) {
      byte |= 0x80U;
    }
    out.push_back(byte);
  } while (remaining > 0);
  out.push_back(static_cast<std::uint8_t>(topic.size() >> 8U));
  out.push_back(static_cast<std::uint8_t>(topic.size() & 0xFFU));
  out.insert(out.end(), topic.begin(), topic.end());
  out.push_back(static_cast<std::uint8_t>(id >> 8U));
  out.push_back(static_cast<std::uint8_t>(id & 0xFFU));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

// Proves: MQT-008
TEST(LiveMqttWire, SplitsAStreamAndReadsAPublishAsTheLayoutSays) {
  const Bytes big(200, 0xAB);  // a two-byte Remaining Length
  Bytes stream = publish_bytes("spmc/v1/srv/7", 0x0102, big);
  const Bytes puback{0x40, 0x02, 0x01, 0x02};
  stream.insert(stream.end(), puback.begin(), puback.end());
  const Bytes second = publish_bytes("spmc/v1/to/42", 9, Bytes{1, 2, 3});
  stream.insert(stream.end(), second.begin(), second.end());

  const auto split = split_packets(stream);
  ASSERT_TRUE(split.ok()) << split.error().detail;
  ASSERT_EQ(split->packets.size(), 3U);
  EXPECT_EQ(split->consumed, stream.size());
  const Packet& first = split->packets[0];
  EXPECT_EQ(first.type, kPublish);
  EXPECT_EQ(first.header_bytes, 3U);
  EXPECT_EQ(first.wire_bytes(), publish_layout(13, 200, 1).total());
  EXPECT_EQ(split->packets[1].type, kPuback);
  EXPECT_EQ(split->packets[1].wire_bytes(), 4U);

  const auto p = parse_publish(first);
  ASSERT_TRUE(p.ok()) << p.error().detail;
  EXPECT_EQ(p->qos, 1);
  EXPECT_FALSE(p->retain);
  EXPECT_FALSE(p->dup);
  EXPECT_EQ(p->topic, "spmc/v1/srv/7");
  EXPECT_EQ(p->packet_id, 0x0102);
  EXPECT_EQ(Bytes(p->payload.begin(), p->payload.end()), big);
  const auto q = parse_publish(split->packets[2]);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->topic, "spmc/v1/to/42");
  EXPECT_EQ(q->packet_id, 9);
  EXPECT_FALSE(parse_publish(split->packets[1]).ok());  // a PUBACK is not a PUBLISH
}

TEST(LiveMqttWire, LeavesACutPacketForLaterAndRefusesBadInput) {
  const Bytes whole = publish_bytes("t", 1, Bytes(10, 7));
  for (std::size_t cut = 0; cut < whole.size(); ++cut) {
    const auto split = split_packets(ByteView(whole).first(cut));
    ASSERT_TRUE(split.ok());
    EXPECT_TRUE(split->packets.empty()) << cut;
    EXPECT_EQ(split->consumed, 0U);
  }
  const Bytes five_bytes_of_length{0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
  const auto bad = split_packets(five_bytes_of_length);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kBadLength);

  const Bytes short_topic{0x32, 0x03, 0x00, 0x05, 'a'};
  const auto split = split_packets(short_topic);
  ASSERT_TRUE(split.ok());
  ASSERT_EQ(split->packets.size(), 1U);
  const auto p = parse_publish(split->packets[0]);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, ErrorCode::kTruncated);
  const Bytes qos3{0x36, 0x03, 0x00, 0x01, 'a'};
  const auto q = parse_publish(split_packets(qos3)->packets.at(0));
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.error().code, ErrorCode::kBadValue);
}

}  // namespace
}  // namespace spmc::live::mqtt_wire
