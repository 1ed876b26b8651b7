#pragma once
// What a frame on the wire is, when the trace holds its bytes (frames up to
// kTraceInlineBytesMax are written out in hex, longer ones only as a hash): a channel
// acknowledgement, or a data frame whose payload's first byte names the server message.
#include <optional>
#include <string>
#include <string_view>

namespace spmc::sim::chart_detail {

struct FrameInfo {
  std::string label;  // "ack", "login", "time sync"
  bool ack = false;   // an acknowledgement (channel ack or the server's "accepted")
};

// Nothing when the bytes are hashed or do not decode as a frame.
std::optional<FrameInfo> describe_frame(std::string_view trace_bytes);

}  // namespace spmc::sim::chart_detail
