#include "spmc/sim/trace.hpp"

#include <ostream>

#include "spmc/check.hpp"

namespace spmc::sim {

TraceEvent make_trace_event(TimeUs time_us, std::string_view kind) {
  TraceEvent event = TraceEvent::object();
  event["t"] = time_us;
  event["ev"] = kind;
  return event;
}

std::string trace_bytes(ByteView bytes) {
  if (bytes.size() <= kTraceInlineBytesMax) {
    return to_hex(bytes);
  }
  return "sha256:" + to_hex(crypto::sha256(bytes));
}

TraceLine::TraceLine(TimeUs time_us, std::string_view kind) {
  m_line.reserve(160);
  m_line += "{\"t\":";
  m_line += std::to_string(time_us);
  str("ev", kind);
}

void TraceLine::key(std::string_view key) {
  m_line += ",\"";
  m_line += key;
  m_line += "\":";
}

TraceLine& TraceLine::num(std::string_view key_name, std::uint64_t value) {
  key(key_name);
  m_line += std::to_string(value);
  return *this;
}

TraceLine& TraceLine::str(std::string_view key_name, std::string_view value) {
  for (const char c : value) {
    SPMC_CHECK(c >= 0x20 && c < 0x7f && c != '"' && c != '\\');
  }
  key(key_name);
  m_line += '"';
  m_line += value;
  m_line += '"';
  return *this;
}

std::string TraceLine::finish() {
  m_line += '}';
  return std::move(m_line);
}

void TraceStream::write(const TraceEvent& event) {
  SPMC_CHECK(event.is_object());
  // Compact, no indentation; non-ASCII escaped so the bytes never depend on a locale.
  write_line(event.dump(-1, ' ', true));
}

void TraceStream::write_line(std::string_view line) {
  SPMC_CHECK(line.find('\n') == std::string_view::npos);
  m_hash.update(line);
  m_hash.update(std::string_view("\n"));
  ++m_lines;
  m_bytes += line.size() + 1;
  if (m_sink != nullptr) {
    *m_sink << line << '\n';
  }
  if (m_capture) {
    m_captured.append(line);
    m_captured.push_back('\n');
  }
}

std::string TraceStream::hash_hex() const {
  const crypto::Digest digest = hash();
  return to_hex(digest);
}

void Trace::record(const TraceEvent& event) {
  m_full.write(event);
  if (m_projection) {
    m_projection(event, *this);
  }
}

}  // namespace spmc::sim
