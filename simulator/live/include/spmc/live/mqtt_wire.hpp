#pragma once
// MQTT 3.1.1 packets as bytes on the wire (OASIS MQTT 3.1.1, sections 2 and 3.3), for
// accounting only: what a PUBLISH of a channel frame costs (spec/transport_mqtt.md, MQT-008),
// and the packets in a captured TCP byte stream. The transport itself leaves the encoding to
// libmosquitto; nothing here is on its path.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "spmc/bytes.hpp"
#include "spmc/result.hpp"

namespace spmc::live::mqtt_wire {

// Control packet types (MQTT 3.1.1, 2.2.1), the high nibble of the first byte.
inline constexpr std::uint8_t kConnect = 1;
inline constexpr std::uint8_t kConnack = 2;
inline constexpr std::uint8_t kPublish = 3;
inline constexpr std::uint8_t kPuback = 4;
inline constexpr std::uint8_t kSubscribe = 8;
inline constexpr std::uint8_t kSuback = 9;
inline constexpr std::uint8_t kPingreq = 12;
inline constexpr std::uint8_t kPingresp = 13;
inline constexpr std::uint8_t kDisconnect = 14;

// The largest Remaining Length (2.2.3): four bytes of 7 bits.
inline constexpr std::size_t kMaxRemainingLength = 268'435'455;

// Bytes of the Remaining Length field for a value (1..4); 0 above kMaxRemainingLength.
std::size_t remaining_length_bytes(std::size_t remaining);

// A PUBLISH split into its parts (3.3): fixed header (1 byte of type and flags, then the
// Remaining Length), variable header (2-byte topic length, the topic, a 2-byte packet
// identifier when QoS > 0) and the payload.
struct PublishLayout {
  std::size_t type_and_flags = 1;
  std::size_t remaining_length_field = 0;
  std::size_t topic_length_field = 2;
  std::size_t topic = 0;
  std::size_t packet_id = 0;
  std::size_t payload = 0;

  std::size_t overhead() const {
    return type_and_flags + remaining_length_field + topic_length_field + topic + packet_id;
  }
  std::size_t total() const { return overhead() + payload; }
};
PublishLayout publish_layout(std::size_t topic_bytes, std::size_t payload_bytes, int qos);

// One control packet as it appeared in a stream.
struct Packet {
  std::uint8_t type = 0;         // high nibble of byte 0
  std::uint8_t flags = 0;        // low nibble of byte 0
  std::size_t header_bytes = 0;  // 1 + Remaining Length field
  ByteView body;                 // the Remaining Length bytes after the fixed header
  std::size_t wire_bytes() const { return header_bytes + body.size(); }
};

// The complete packets at the start of `stream`, in order; `consumed` is how many bytes they
// cover (a packet cut off at the end is left for more bytes). A Remaining Length longer than
// four bytes is bad_length; nothing else about the packets is checked.
struct Split {
  std::vector<Packet> packets;
  std::size_t consumed = 0;
};
Result<Split> split_packets(ByteView stream);

// A PUBLISH packet's fields (3.3.1, 3.3.2). truncated when the body is shorter than its
// topic and packet identifier; bad_value for another packet type or QoS 3.
struct Publish {
  bool dup = false;
  int qos = 0;
  bool retain = false;
  std::string_view topic;
  std::uint16_t packet_id = 0;  // 0 at QoS 0
  ByteView payload;
};
Result<Publish> parse_publish(const Packet& packet);

}  // namespace spmc::live::mqtt_wire
