#include "spmc/live/mqtt_wire.hpp"

#include <string>

namespace spmc::live::mqtt_wire {

std::size_t remaining_length_bytes(std::size_t remaining) {
  if (remaining < 128) {
    return 1;
  }
  if (remaining < 16'384) {
    return 2;
  }
  if (remaining < 2'097'152) {
    return 3;
  }
  if (remaining <= kMaxRemainingLength) {
    return 4;
  }
  return 0;
}

PublishLayout publish_layout(std::size_t topic_bytes, std::size_t payload_bytes, int qos) {
  PublishLayout layout;
  layout.topic = topic_bytes;
  layout.packet_id = qos > 0 ? 2 : 0;
  layout.payload = payload_bytes;
  const std::size_t remaining =
      layout.topic_length_field + layout.topic + layout.packet_id + layout.payload;
  layout.remaining_length_field = remaining_length_bytes(remaining);
  return layout;
}

Result<Split> split_packets(ByteView stream) {
  Split split;
  std::size_t at = 0;
  while (at < stream.size()) {
    // Remaining Length (2.2.3): 7 bits per byte, least significant first, continuation bit 8.
    std::size_t remaining = 0;
    std::size_t field = 0;
    bool complete = false;
    while (at + 1 + field < stream.size()) {
      const std::uint8_t byte = stream[at + 1 + field];
      remaining |= static_cast<std::size_t>(byte & 0x7FU) << (7 * field);
      ++field;
      if ((byte & 0x80U) == 0) {
        complete = true;
        break;
      }
      if (field == 4) {
        return make_error(
            ErrorCode::kBadLength,
            "MQTT Remaining Length longer than four bytes at offset " + std::to_string(at));
      }
    }
    if (!complete || stream.size() - at - 1 - field < remaining) {
      break;  // the rest of this packet has not arrived
    }
    Packet packet;
    packet.type = static_cast<std::uint8_t>(stream[at] >> 4U);
    packet.flags = static_cast<std::uint8_t>(stream[at] & 0x0FU);
    packet.header_bytes = 1 + field;
    packet.body = stream.subspan(at + packet.header_bytes, remaining);
    split.packets.push_back(packet);
    at += packet.wire_bytes();
  }
  split.consumed = at;
  return split;
}

Result<Publish> parse_publish(const Packet& packet) {
  if (packet.type != kPublish) {
    return make_error(ErrorCode::kBadValue,
                      "MQTT packet type " + std::to_string(packet.type) + " is not PUBLISH");
  }
  Publish publish;
  publish.dup = (packet.flags & 0x08U) != 0;
  publish.qos = (packet.flags >> 1U) & 0x03U;
  publish.retain = (packet.flags & 0x01U) != 0;
  if (publish.qos == 3) {
    return make_error(ErrorCode::kBadValue, "MQTT PUBLISH with QoS 3");
  }
  const ByteView body = packet.body;
  if (body.size() < 2) {
    return make_error(ErrorCode::kTruncated, "MQTT PUBLISH without a topic length");
  }
  const std::size_t topic_bytes = (static_cast<std::size_t>(body[0]) << 8U) | body[1];
  const std::size_t id_bytes = publish.qos > 0 ? 2 : 0;
  if (body.size() < 2 + topic_bytes + id_bytes) {
    return make_error(ErrorCode::kTruncated, "MQTT PUBLISH shorter than its topic");
  }
  const ByteView topic = body.subspan(2, topic_bytes);
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes viewed as characters
  publish.topic = std::string_view(reinterpret_cast<const char*>(topic.data()), topic.size());
  if (id_bytes > 0) {
    publish.packet_id =
        static_cast<std::uint16_t>((body[2 + topic_bytes] << 8U) | body[2 + topic_bytes + 1]);
  }
  publish.payload = body.subspan(2 + topic_bytes + id_bytes);
  return publish;
}

}  // namespace spmc::live::mqtt_wire
