#pragma once
// Why a recorded trace and its replay differ. A byte comparison alone calls every difference
// non-determinism; a user who hands `spmc replay` a truncated download, a file an editor
// converted to CRLF or one flipped byte needs to hear that the file changed, not the run.
// The shapes tell them apart: damage leaves every byte that is present in place (truncation,
// line endings) or changes a few lines while every line after them still matches (an edit,
// a corrupted byte), whereas a run that took another course differs from there on.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace spmc::cli {

enum class TraceVerdict {
  kIdentical,
  kLineEndings,  // CRLF instead of LF, events identical
  kTruncated,    // the file is a prefix of the run's trace
  kExtraLines,   // the run's trace is a prefix of the file
  kCorruptLine,  // a line that differs is not a trace event at all
  kEditedLines,  // a few lines differ, every other line matches
  kDiverged,     // the events differ from some line on
};

// The first line that differs; `expected` from the trace file, `got` from the replay.
struct LinePair {
  std::size_t line = 0;    // 1-based
  std::size_t column = 0;  // 0-based byte offset of the first differing byte
  std::string expected;
  std::string got;
};

struct TraceComparison {
  TraceVerdict verdict = TraceVerdict::kIdentical;
  std::string diagnosis;  // one sentence, without the path
  std::optional<LinePair> first_difference;
};

// Damaged files (exit 4) as opposed to a run that took another course (exit 3).
bool is_damage(TraceVerdict verdict);
std::string_view verdict_name(TraceVerdict verdict);

TraceComparison compare_traces(std::string_view recorded, std::string_view replayed);

// `line` cut to about `width` characters around `column`, every byte that is not printable
// ASCII written as \xNN, so a corrupted byte neither garbles a terminal nor hides.
std::string printable_excerpt(std::string_view line, std::size_t column, std::size_t width);

}  // namespace spmc::cli
