#pragma once
// JSON Lines traces (DESIGN.md section 3). One event per line, compact JSON with keys in
// the order the code inserted them ("t" then "ev" first), virtual time in integer
// microseconds, no floating point. trace_hash is SHA-256 over the exact bytes written
// (every line including its '\n'), so two runs agree iff their traces are identical.
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "spmc/bytes.hpp"
#include "spmc/crypto.hpp"
#include "spmc/sim/event_queue.hpp"
#include "spmc/sim/sha256_stream.hpp"

namespace spmc::sim {

using TraceEvent = nlohmann::ordered_json;

// Byte strings up to this length are written as lowercase hex, longer ones as
// "sha256:<hex of their SHA-256>".
inline constexpr std::size_t kTraceInlineBytesMax = 64;

// {"t": time_us, "ev": kind}; add fields with event["key"] = value in a fixed order.
TraceEvent make_trace_event(TimeUs time_us, std::string_view kind);
std::string trace_bytes(ByteView bytes);

// A trace line rendered directly, for the hottest events (the network's, one or two per
// packet): integer fields and strings that need no escaping only, giving exactly the bytes
// TraceStream::write gives for the same event (Trace.LineEqualsJsonDump holds them equal)
// without building a JSON object.
class TraceLine {
 public:
  TraceLine(TimeUs time_us, std::string_view kind);
  TraceLine& num(std::string_view key, std::uint64_t value);
  // `value` must be printable ASCII without '"' or '\\' (checked; hex and names are).
  TraceLine& str(std::string_view key, std::string_view value);
  std::string finish();  // the line; the builder is left empty

 private:
  void key(std::string_view key);
  std::string m_line;
};

// One JSON Lines stream: running hash, counters, an optional sink and optional capture.
class TraceStream {
 public:
  void write(const TraceEvent& event);
  // Writes one already-rendered line (without its '\n'); must be a single JSON object.
  void write_line(std::string_view line);

  crypto::Digest hash() const { return m_hash.digest(); }
  std::string hash_hex() const;
  std::uint64_t lines() const { return m_lines; }
  std::uint64_t bytes() const { return m_bytes; }

  // The sink is not owned (e.g. a std::ofstream the command line opened); nullptr: none.
  void set_sink(std::ostream* sink) { m_sink = sink; }
  // Keep every line in memory (tests, shrinking); off by default.
  void set_capture(bool capture) { m_capture = capture; }
  const std::string& captured() const { return m_captured; }

 private:
  Sha256Stream m_hash;
  std::uint64_t m_lines = 0;
  std::uint64_t m_bytes = 0;
  std::ostream* m_sink = nullptr;
  bool m_capture = false;
  std::string m_captured;
};

// The full trace plus the abstract trace: a projection of full events onto the models'
// alphabet (models/README.md). The projection sees each full event after it is written
// and may emit any number of abstract events through record_abstract().
class Trace {
 public:
  using Projection = std::function<void(const TraceEvent& full, Trace& trace)>;

  void record(const TraceEvent& event);
  // An event rendered with TraceLine. Projections never see it: only events no model
  // consumes may go this way (the network's net_send and net_deliver).
  void record_line(const std::string& line) { m_full.write_line(line); }
  void record_abstract(const TraceEvent& event) { m_abstract.write(event); }
  void set_projection(Projection projection) { m_projection = std::move(projection); }

  TraceStream& full() { return m_full; }
  TraceStream& abstract() { return m_abstract; }
  const TraceStream& full() const { return m_full; }
  const TraceStream& abstract() const { return m_abstract; }
  // Shorthand for full().hash_hex().
  std::string trace_hash() const { return m_full.hash_hex(); }

 private:
  TraceStream m_full;
  TraceStream m_abstract;
  Projection m_projection;
};

}  // namespace spmc::sim
