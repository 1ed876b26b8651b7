#include "spmc/channel.hpp"

namespace spmc::channel {

Bytes encode(const Frame& frame) { return wire::encode(frame); }

Result<Frame> decode(ByteView bytes) { return wire::decode<Frame>(bytes); }

Endpoint::Endpoint(std::uint32_t session, Config config) : m_session(session), m_config(config) {
  SPMC_CHECK(config.window > 0);
}

Bytes Endpoint::data_frame(std::uint32_t seq, const Bytes& payload) const {
  return encode(Frame{FrameKind::kData, m_session, seq, payload});
}

Status Endpoint::send(Bytes payload, TimeMs now, std::vector<Bytes>& out) {
  SPMC_CHECK(payload.size() <= kMaxPayload);
  if (m_queue.size() >= m_config.queue_max) {
    return make_error(ErrorCode::kQueueFull, "channel send queue full");
  }
  m_queue.push_back(std::move(payload));
  pump(now, out);
  return ok_status();
}

void Endpoint::pump(TimeMs now, std::vector<Bytes>& out) {
  while (!m_queue.empty() && m_unacked.size() < m_config.window) {
    if (m_unacked.empty()) {
      m_sent_at = now;
    }
    out.push_back(data_frame(m_next_send, m_queue.front()));
    m_unacked.push_back(std::move(m_queue.front()));
    m_queue.pop_front();
    ++m_next_send;
  }
}

Result<std::vector<Bytes>> Endpoint::on_frame(ByteView bytes, TimeMs now, std::vector<Bytes>& out) {
  SPMC_TRY(Frame f, decode(bytes));
  std::vector<Bytes> delivered;
  if (f.session != m_session) {
    return delivered;  // CH-003: another connection's frame; dropping it is correct
  }
  if (f.kind == FrameKind::kAck) {
    // CH-002: cumulative; an ack beyond what was sent is forged or corrupt.
    if (f.number > m_next_send) {
      return make_error(ErrorCode::kBadValue, "ack beyond the last frame sent");
    }
    ++m_frames_heard;
    while (m_base < f.number) {
      m_unacked.pop_front();
      ++m_base;
      m_sent_at = now;
    }
    pump(now, out);
    return delivered;
  }
  // Data: deliver only the next expected frame (go-back-N); always re-ack so a lost
  // ack is repaired by the duplicate.
  ++m_frames_heard;
  if (f.number == m_next_expected) {
    delivered.push_back(std::move(f.payload));
    ++m_next_expected;
  }
  out.push_back(encode(Frame{FrameKind::kAck, m_session, m_next_expected, {}}));
  return delivered;
}

TimeMs Endpoint::next_deadline() const {
  return m_unacked.empty() ? 0 : m_sent_at + m_config.retransmit_ms;
}

void Endpoint::on_timer(TimeMs now, std::vector<Bytes>& out) {
  if (m_unacked.empty() || now < next_deadline()) {
    return;
  }
  for (std::size_t i = 0; i < m_unacked.size(); ++i) {
    out.push_back(data_frame(m_base + static_cast<std::uint32_t>(i), m_unacked[i]));
  }
  m_sent_at = now;
}

}  // namespace spmc::channel
