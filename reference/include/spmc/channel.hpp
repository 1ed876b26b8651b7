#pragma once
// A reliable, ordered phone <-> server channel over a network that loses, duplicates and
// reorders packets (spec/server.md, CH-001..CH-008). It stands in for the TLS/MQTT
// connection of the paper: go-back-N with cumulative acknowledgements, one session id per
// connection. Sans-IO: frames leave through the returned list, time comes in as arguments.
#include <cstdint>
#include <deque>
#include <vector>

#include "spmc/bytes.hpp"
#include "spmc/clock.hpp"
#include "spmc/result.hpp"
#include "spmc/wire.hpp"

namespace spmc::channel {

enum class FrameKind : std::uint8_t { kData = 1, kAck = 2 };

inline constexpr std::size_t kMaxPayload = 1U << 20;

// CH-001: u8 kind; u32 session; u32 seq (data) or cumulative ack (ack); bytes32 payload
// (data only, 0..kMaxPayload bytes).
struct Frame {
  FrameKind kind = FrameKind::kData;
  std::uint32_t session = 0;
  std::uint32_t number = 0;
  Bytes payload;

  static bool has_payload(const Frame& f) { return f.kind == FrameKind::kData; }
  static auto fields(auto& m) {
    using Kind = wire::Enum<FrameKind, FrameKind::kData, FrameKind::kAck, "frame kind">;
    return wire::fields<Kind, wire::U32, wire::U32, wire::If<wire::Bytes32<0, kMaxPayload>>>(
        m.kind, m.session, m.number, wire::when<has_payload>(m, m.payload));
  }
};
Bytes encode(const Frame& frame);
Result<Frame> decode(ByteView bytes);

struct Config {
  std::uint32_t window = 32;       // CH-004: frames in flight
  std::uint32_t queue_max = 4096;  // CH-005: queued payloads before queue_full
  TimeMs retransmit_ms = 400;      // CH-006: go-back-N timeout
};

class Endpoint {
 public:
  Endpoint(std::uint32_t session, Config config);

  // Queues a payload; frames that may go out now are appended to `out`.
  Status send(Bytes payload, TimeMs now, std::vector<Bytes>& out);
  // A frame from the peer. Returns the payloads now deliverable, in order, exactly once.
  // Frames of another session are ignored (CH-003): stale or from a previous connection.
  Result<std::vector<Bytes>> on_frame(ByteView bytes, TimeMs now, std::vector<Bytes>& out);
  // Retransmits the whole window when the oldest unacknowledged frame timed out.
  void on_timer(TimeMs now, std::vector<Bytes>& out);

  std::uint32_t session() const { return m_session; }
  bool idle() const { return m_unacked.empty() && m_queue.empty(); }
  // When on_timer next has work, or 0 when nothing is outstanding.
  TimeMs next_deadline() const;
  std::size_t backlog() const { return m_unacked.size() + m_queue.size(); }
  // Valid frames of this session received so far. Frames of another session do not count:
  // a peer that keeps answering on a connection we abandoned is not alive for us (PH-004).
  std::uint64_t frames_heard() const { return m_frames_heard; }

 private:
  void pump(TimeMs now, std::vector<Bytes>& out);
  Bytes data_frame(std::uint32_t seq, const Bytes& payload) const;

  std::uint32_t m_session;
  Config m_config;
  std::uint32_t m_next_send = 0;  // seq of the next new frame
  std::uint32_t m_base = 0;       // oldest unacknowledged seq
  std::deque<Bytes> m_unacked;    // payloads m_base .. m_next_send-1
  std::deque<Bytes> m_queue;      // waiting for window space
  TimeMs m_sent_at = 0;           // when the window's oldest frame was last sent
  std::uint32_t m_next_expected = 0;
  std::uint64_t m_frames_heard = 0;
};

}  // namespace spmc::channel
