#include "trace_diff.hpp"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <vector>

namespace spmc::cli {

namespace {

// An edit or a corrupted byte touches a line or two; a run that took another course
// rewrites everything after the first difference. Three lines leaves room for a byte that
// split one line in two or joined two, without calling a real divergence an edit.
constexpr std::size_t kLocalChangeLinesMax = 3;

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    lines.push_back(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  return lines;
}

std::string strip_carriage_returns(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!(text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      out += text[i];
    }
  }
  return out;
}

bool is_trace_event(std::string_view line) {
  const auto event = nlohmann::json::parse(line, nullptr, false);
  return !event.is_discarded() && event.is_object() && event.contains("t") && event.contains("ev");
}

LinePair pair_at(const std::vector<std::string_view>& recorded,
                 const std::vector<std::string_view>& replayed, std::size_t index) {
  LinePair pair;
  pair.line = index + 1;
  pair.expected = index < recorded.size() ? std::string(recorded[index]) : "(end of file)";
  pair.got = index < replayed.size() ? std::string(replayed[index]) : "(end of run)";
  const auto mismatch =
      std::mismatch(pair.expected.begin(), pair.expected.end(), pair.got.begin(), pair.got.end());
  pair.column = static_cast<std::size_t>(mismatch.first - pair.expected.begin());
  return pair;
}

std::string lines_text(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " line" : " lines");
}

// Both files split in lines; the first differing line is `first`.
TraceComparison classify_difference(const std::vector<std::string_view>& recorded,
                                    const std::vector<std::string_view>& replayed,
                                    std::size_t first) {
  TraceComparison out;
  out.first_difference = pair_at(recorded, replayed, first);
  const std::size_t line = first + 1;
  if (first < recorded.size() && !is_trace_event(recorded[first])) {
    out.verdict = TraceVerdict::kCorruptLine;
    out.diagnosis = "line " + std::to_string(line) +
                    " of the trace is not a trace event (not a JSON object with \"t\" and "
                    "\"ev\"): the file was corrupted after it was written";
    return out;
  }
  // Lines that match again from the end: after a local change the rest realigns.
  std::size_t suffix = 0;
  while (suffix < recorded.size() - first && suffix < replayed.size() - first &&
         recorded[recorded.size() - 1 - suffix] == replayed[replayed.size() - 1 - suffix]) {
    ++suffix;
  }
  const std::size_t changed_recorded = recorded.size() - first - suffix;
  const std::size_t changed_replayed = replayed.size() - first - suffix;
  const bool local = changed_recorded <= kLocalChangeLinesMax &&
                     changed_replayed <= kLocalChangeLinesMax &&
                     (suffix > 0 || recorded.size() == replayed.size());
  if (local) {
    out.verdict = TraceVerdict::kEditedLines;
    out.diagnosis =
        first == 0
            ? "only the header (line 1) differs from what this build writes for the world it "
              "names, every other line matches: an edited header, or one written by another "
              "version of spmc"
            : (changed_recorded <= 1 ? "line " + std::to_string(line) + " differs"
                                     : lines_text(changed_recorded) + " from line " +
                                           std::to_string(line) + " differ") +
                  " and every other line matches, so the run did not take another course: the "
                  "file was edited or corrupted after it was written";
    return out;
  }
  out.verdict = TraceVerdict::kDiverged;
  out.diagnosis = "the events differ from line " + std::to_string(line) + " on (" +
                  lines_text(recorded.size()) + " in the trace, " + lines_text(replayed.size()) +
                  " in the replay)";
  return out;
}

}  // namespace

bool is_damage(TraceVerdict verdict) {
  return verdict != TraceVerdict::kIdentical && verdict != TraceVerdict::kDiverged;
}

std::string_view verdict_name(TraceVerdict verdict) {
  // In TraceVerdict order.
  static constexpr std::array<std::string_view, 7> kNames = {
      "identical",    "line_endings", "truncated", "extra_lines",
      "corrupt_line", "edited_lines", "diverged"};
  return kNames.at(static_cast<std::size_t>(verdict));
}

TraceComparison compare_traces(std::string_view recorded_bytes, std::string_view replayed) {
  TraceComparison out;
  if (recorded_bytes == replayed) {
    return out;
  }
  const bool crlf = recorded_bytes.find("\r\n") != std::string_view::npos;
  const std::string stripped = crlf ? strip_carriage_returns(recorded_bytes) : std::string();
  const std::string_view recorded = crlf ? std::string_view(stripped) : recorded_bytes;
  if (crlf && recorded == replayed) {
    out.verdict = TraceVerdict::kLineEndings;
    out.diagnosis =
        "the trace's line endings were converted to CRLF after it was written (an editor or a "
        "Windows checkout); apart from them every event replays identically (restore it with "
        "tr -d '\\r')";
    return out;
  }
  const auto recorded_lines = split_lines(recorded);
  const auto replayed_lines = split_lines(replayed);
  if (recorded.size() < replayed.size() && replayed.substr(0, recorded.size()) == recorded) {
    const bool mid_line = !recorded.empty() && recorded.back() != '\n';
    out.verdict = TraceVerdict::kTruncated;
    out.first_difference = pair_at(recorded_lines, replayed_lines,
                                   mid_line ? recorded_lines.size() - 1 : recorded_lines.size());
    out.diagnosis = "the trace is truncated: it ends after " + std::to_string(recorded.size()) +
                    " bytes" + (mid_line ? ", inside line " : ", after line ") +
                    std::to_string(recorded_lines.size()) + ", while the run writes " +
                    lines_text(replayed_lines.size()) + " (" + std::to_string(replayed.size()) +
                    " bytes); every byte present matches";
  } else if (replayed.size() < recorded.size() && recorded.substr(0, replayed.size()) == replayed) {
    out.verdict = TraceVerdict::kExtraLines;
    out.first_difference = pair_at(recorded_lines, replayed_lines, replayed_lines.size());
    out.diagnosis = "the trace goes on for " +
                    lines_text(recorded_lines.size() - replayed_lines.size()) +
                    " after the run's last line (appended to, or two traces joined); every line "
                    "before matches";
  } else {
    std::size_t first = 0;
    const std::size_t common = std::min(recorded_lines.size(), replayed_lines.size());
    while (first < common && recorded_lines[first] == replayed_lines[first]) {
      ++first;
    }
    out = classify_difference(recorded_lines, replayed_lines, first);
  }
  if (crlf) {
    out.diagnosis += " (the line endings were also converted to CRLF)";
  }
  return out;
}

std::string printable_excerpt(std::string_view line, std::size_t column, std::size_t width) {
  // Keep some context before the first difference when the line is too long to show whole.
  const std::size_t context = width / 3;
  const std::size_t start = column > context && line.size() > width ? column - context : 0;
  std::string out = start > 0 ? "..." : "";
  std::size_t shown = 0;
  for (std::size_t i = start; i < line.size(); ++i) {
    if (shown >= width) {
      out += "...";
      break;
    }
    const auto byte = static_cast<unsigned char>(line[i]);
    if (byte >= 0x20 && byte < 0x7f) {
      out += static_cast<char>(byte);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
    ++shown;
  }
  return out;
}

}  // namespace spmc::cli
