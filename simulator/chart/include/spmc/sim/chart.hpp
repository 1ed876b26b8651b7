#pragma once
// Sequence charts of what happened in a run (issue 21): a simulator trace (`spmc sim
// --trace`), an abstract trace (`spmc sim --abstract`) or a SPIN counterexample
// (models/*/counterexamples/*.txt) becomes a Chart (lifelines, arrows, marks, bands), which
// renders as SVG, Mermaid or mscgen text. The reader streams: it takes an std::istream and
// keeps only what falls inside the window, so a trace of any size charts in bounded memory.
// No file is opened here and no clock is read (the CLI opens files; ARCHITECTURE.md).
#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spmc/result.hpp"
#include "spmc/sim/event_queue.hpp"

namespace spmc::sim {

struct ChartOptions {
  std::optional<TimeUs> from_us, to_us;  // window in virtual time
  std::vector<std::uint32_t> phones;     // phone indexes; empty: all (subject to the cap)
  // Two user ids or phone indexes: only what passes between these two phones.
  std::optional<std::pair<std::string, std::string>> conversation;
  std::optional<std::string> group;  // only what concerns this group id
  bool around_failure = false;       // window around the first inv_violation
  std::size_t max_arrows = 400;      // cap; a visible note says what was left out
};

// How much virtual time --around-failure shows before and after the first violation.
inline constexpr TimeUs kAroundFailureBeforeUs = 3'000'000;
inline constexpr TimeUs kAroundFailureAfterUs = 1'000'000;
// When every violation was judged at the end of the run (no first_at), the window is around
// the first adversary action instead: mostly after it, where the attack unfolds.
inline constexpr TimeUs kAroundAttackBeforeUs = 1'000'000;
inline constexpr TimeUs kAroundAttackAfterUs = 4'000'000;
// At most this many lifelines are drawn; the busiest phones win and a note names the rest.
inline constexpr std::size_t kMaxLifelines = 24;

// What an arrow carries, which decides its style.
enum class ArrowKind : std::uint8_t {
  kControl,     // a protocol request or reply (sign-up, login, certificates, contacts)
  kAppMessage,  // an envelope: an application message (or a group message)
  kKeyShare,    // a key share
  kAck,         // a channel acknowledgement or a server "accepted"
  kAbstract,    // an event of an abstract trace or counterexample
};

struct Arrow {
  TimeUs sent = 0;
  TimeUs arrived = 0;    // equal to `sent` for a lost arrow: it ends where it was lost
  std::size_t from = 0;  // lifeline indexes
  std::size_t to = 0;
  std::string label;
  ArrowKind kind = ArrowKind::kControl;
  bool lost = false;  // never arrived: drawn ending in a cross
  std::string lost_reason;
  bool in_flight = false;    // still travelling when the window closed
  bool retransmit = false;   // the same bytes sent again (the channel's go-back-N)
  bool duplicate = false;    // the network delivered an extra copy
  bool injected = false;     // an adversary put it on the wire
  bool tampered = false;     // an adversary rewrote it in flight
  std::uint32_t repeat = 1;  // identical consecutive exchanges collapsed into this one
  TimeUs last_sent = 0;      // when the last of them was sent (repeat > 1)
};

enum class MarkKind : std::uint8_t {
  kEvent,      // a phone or server event (key share accepted, contact added)
  kDelivered,  // a message handed to the application
  kRejected,   // something refused (a reject, a failure)
  kAdversary,  // an adversary action
};

struct Mark {
  TimeUs at = 0;
  std::size_t lane = 0;
  std::string label;
  MarkKind kind = MarkKind::kEvent;
};

enum class BandKind : std::uint8_t { kOffline, kCrashed, kPartitioned };

struct Band {
  TimeUs from = 0;
  TimeUs to = 0;
  std::size_t lane = 0;
  BandKind kind = BandKind::kOffline;
};

struct Violation {
  TimeUs at = 0;
  std::string invariant;
  std::string detail;
  bool expected = false;  // the scenario declared it (an attack that worked)
};

struct Lifeline {
  std::string name;    // "server", "phone 4", or a principal ("A")
  std::string detail;  // the user id when known, else ""
};

struct Chart {
  std::string source;  // as given to read_chart
  std::string kind;    // "trace", "abstract trace" or "counterexample"
  // True when time is a step number (a counterexample has no clock).
  bool steps = false;
  TimeUs window_from = 0;
  TimeUs window_to = 0;
  std::vector<Lifeline> lifelines;
  std::vector<Arrow> arrows;  // in order of sending
  std::vector<Mark> marks;    // in time order
  std::vector<Band> bands;
  std::vector<Violation> violations;
  std::vector<std::string> notes;  // what was left out, and why
};

// Reads a full trace, an abstract trace or a SPIN counterexample (told apart by content),
// streaming line by line; typed errors name source:line and the reason.
// --around-failure needs to read the input twice, so the stream must be seekable (a file);
// on a pipe it is a typed error rather than an unbounded buffer.
Result<Chart> read_chart(std::istream& in, std::string_view source, const ChartOptions& options);

// One <svg xmlns=...> element, no XML prolog. Integer coordinates, escaped text: the same
// chart gives the same bytes.
std::string render_svg(const Chart& chart);
std::string render_svg_side_by_side(const Chart& left, const Chart& right);
std::string render_mermaid(const Chart& chart);  // sequenceDiagram text
std::string render_mscgen(const Chart& chart);   // msc { ... } text

// Fixed formatting of a time for labels: "12.345 s" (or "step 7" for a counterexample).
std::string format_time(TimeUs t, bool steps);
// "3.2 s", "850 ms", "40 us": a span, one decimal at most.
std::string format_span(TimeUs span);

}  // namespace spmc::sim
