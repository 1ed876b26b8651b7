#pragma once
// The MQTT names of SPMC (spec/transport_mqtt.md): which topic a frame travels on, which
// client id a process connects with, how large a frame may be. Pure functions: no broker.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "spmc/bytes.hpp"
#include "spmc/channel.hpp"
#include "spmc/result.hpp"
#include "spmc/server.hpp"

namespace spmc::live {

using server::Address;

// MQT-002: phone -> server frames on kServerTopicPrefix + address (the phone's own), server ->
// phone frames on kPhoneTopicPrefix + address; the server subscribes to kServerSubscription.
inline constexpr std::string_view kServerTopicPrefix = "spmc/v1/srv/";
inline constexpr std::string_view kPhoneTopicPrefix = "spmc/v1/to/";
inline constexpr std::string_view kServerSubscription = "spmc/v1/srv/+";
// MQT-026: the server's presence. It publishes kServerUp here when it starts; the broker
// publishes its will, kServerDown, when its connection ends without a DISCONNECT. Phones
// subscribe, and log in again on kServerUp: a restarted server knows no channel session.
inline constexpr std::string_view kServerStatusTopic = "spmc/v1/server";
inline constexpr std::string_view kServerUp = "up";
inline constexpr std::string_view kServerDown = "down";
// MQT-004: an address is at most 10 decimal digits (uint32), a topic at most 32 bytes.
inline constexpr std::size_t kMaxAddressChars = 10;
inline constexpr std::size_t kMaxTopicBytes = 32;
// MQT-010: client ids.
inline constexpr std::string_view kPhoneClientIdPrefix = "spmc-p-";
inline constexpr std::string_view kServerClientId = "spmc-server";
inline constexpr std::size_t kMaxClientIdBytes = 23;
// MQT-008: one PUBLISH payload is one channel frame (CH-001): u8 kind, u32 session, u32
// number, u32 payload length, payload of at most channel::kMaxPayload bytes.
inline constexpr std::size_t kFrameHeaderBytes = 1 + 4 + 4 + 4;
inline constexpr std::size_t kMaxFrameBytes = kFrameHeaderBytes + channel::kMaxPayload;

enum class Direction : std::uint8_t { kToServer, kToPhone };

// Where a frame goes or came from: the direction and the phone's address.
struct Route {
  Direction direction = Direction::kToServer;
  Address address = 0;

  friend bool operator==(const Route&, const Route&) = default;
};

// MQT-003: the canonical decimal text of an address, and its strict parse.
std::string address_text(Address address);
Result<Address> parse_address(std::string_view text);

std::string topic_of(const Route& route);
std::string server_topic(Address phone);  // the phone's uplink
std::string phone_topic(Address phone);   // the phone's downlink
// The route a topic names; anything else is a typed error (bad_topic, topic_too_long).
Result<Route> parse_topic(std::string_view topic);

std::string phone_client_id(Address phone);
// MQT-008: frame_too_large above kMaxFrameBytes.
Status check_frame_size(std::size_t bytes);

}  // namespace spmc::live
