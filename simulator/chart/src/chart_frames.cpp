#include "chart_frames.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <variant>
#include <vector>

#include "spmc/channel.hpp"
#include "spmc/server_proto.hpp"

namespace spmc::sim::chart_detail {
namespace {

// CH-001: u8 kind, u32 session, u32 number, then (data) u32 length and the payload, whose
// first byte is the server message's kType.
constexpr std::size_t kPayloadTypeOffset = 13;

template <std::size_t... I>
std::string_view message_name(std::uint8_t type, std::index_sequence<I...> /*indexes*/) {
  std::string_view out;
  (void)((std::variant_alternative_t<I, proto::Body>::kType == type
              ? (out = std::variant_alternative_t<I, proto::Body>::kName, true)
              : false) ||
         ...);
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return -1;
}

}  // namespace

std::optional<FrameInfo> describe_frame(std::string_view trace_bytes) {
  if (trace_bytes.size() < 2 || trace_bytes.size() % 2 != 0) {
    return std::nullopt;  // hashed ("sha256:...") or not hex
  }
  std::vector<std::uint8_t> bytes;
  bytes.reserve(trace_bytes.size() / 2);
  for (std::size_t i = 0; i < trace_bytes.size(); i += 2) {
    const int hi = hex_digit(trace_bytes[i]);
    const int lo = hex_digit(trace_bytes[i + 1]);
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    bytes.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
  }
  if (bytes[0] == static_cast<std::uint8_t>(channel::FrameKind::kAck)) {
    return FrameInfo{"ack", true};
  }
  if (bytes[0] != static_cast<std::uint8_t>(channel::FrameKind::kData) ||
      bytes.size() <= kPayloadTypeOffset) {
    return std::nullopt;
  }
  const std::string_view name = message_name(
      bytes[kPayloadTypeOffset], std::make_index_sequence<std::variant_size_v<proto::Body>>{});
  if (name.empty()) {
    return std::nullopt;
  }
  // Two replies read better with what they mean: the phone's Ack lets the server delete a
  // delivered item; the server's Accepted says it stored a message for relay.
  std::string label(name == "ack"        ? "delivery ack"
                    : name == "accepted" ? "accepted (stored)"
                                         : name);
  std::replace(label.begin(), label.end(), '_', ' ');
  return FrameInfo{label, name == "accepted"};
}

}  // namespace spmc::sim::chart_detail
