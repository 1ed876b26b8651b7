// read_chart: tells the three inputs apart by their first line and hands the stream to the
// reader for its kind; --around-failure finds the first violation in a first pass over a
// seekable stream and charts the window around it in a second. Also the small shared
// helpers (errors, escaping, fixed number formatting).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "chart_internal.hpp"

namespace spmc::sim {

std::string format_time(TimeUs t, bool steps) {
  if (steps) {
    return "step " + std::to_string(t);
  }
  const TimeUs ms = t / 1000;
  std::string frac = std::to_string(ms % 1000);
  frac.insert(0, 3 - frac.size(), '0');
  return std::to_string(ms / 1000) + "." + frac + " s";
}

std::string format_span(TimeUs span) {
  if (span >= 1'000'000) {
    const TimeUs tenths = span / 100'000;
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " s";
  }
  if (span >= 1000) {
    return std::to_string(span / 1000) + " ms";
  }
  return std::to_string(span) + " us";
}

namespace chart_detail {

Error line_error(std::string_view source, std::size_t line, std::string_view reason) {
  return make_error(ErrorCode::kBadValue,
                    std::string(source) + ":" + std::to_string(line) + ": " + std::string(reason));
}

InputKind classify(std::string_view first_line) {
  if (first_line.starts_with("#")) {
    return InputKind::kCounterexample;
  }
  const auto e = nlohmann::json::parse(first_line, nullptr, false);
  if (!e.is_discarded() && e.is_object() && e.contains("a") && e.contains("b") && e.contains("x") &&
      !e.contains("phone") && !e.contains("id")) {
    return InputKind::kAbstract;
  }
  return InputKind::kTrace;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // Control characters are not allowed in XML 1.0 text.
        out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    }
  }
  return out;
}

std::string shorten(std::string_view text, std::size_t max) {
  if (text.size() <= max) {
    return std::string(text);
  }
  std::size_t cut = max > 3 ? max - 3 : 0;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
    --cut;  // not inside a UTF-8 sequence
  }
  return std::string(text.substr(0, cut)) + "...";
}

namespace {

// The earliest violation, by a pass over the whole stream that parses only inv_violation
// lines: its first_at when a check made as events happen failed. An invariant judged at the
// end of the run has no first_at and is recorded at the end, where nothing is left to see;
// then the window goes to the first adversary action (an adv_* event: the attack that the
// violation judges), and only without one to the time the violation was recorded.
struct Anchor {
  TimeUs at = 0;
  bool adversary = false;  // the first adversary action, not a violation's own time
};

Result<std::optional<Anchor>> first_violation(std::istream& in, std::string_view source) {
  std::optional<TimeUs> first;      // earliest first_at
  std::optional<TimeUs> recorded;   // earliest inv_violation without first_at
  std::optional<TimeUs> first_adv;  // earliest adv_* event
  std::string line;
  std::size_t line_no = 1;  // the first line was read already
  while (std::getline(in, line)) {
    ++line_no;
    if (!first_adv && line.find("\"ev\":\"adv_") < 32) {
      const auto e = nlohmann::json::parse(line, nullptr, false);
      if (!e.is_discarded() && e.is_object() && e.contains("t") && e["t"].is_number_unsigned()) {
        first_adv = e["t"].get<TimeUs>();
      }
      continue;
    }
    // Only in the prefix ({"t":N,"ev":...), not in some other event's text (npos is larger).
    if (line.find("\"ev\":\"inv_violation\"") > 32) {
      continue;
    }
    const auto e = nlohmann::json::parse(line, nullptr, false);
    if (e.is_discarded() || !e.is_object() || !e.contains("t") || !e["t"].is_number_unsigned()) {
      return line_error(source, line_no, "an inv_violation line that is not a trace event");
    }
    const auto first_at = e.find("first_at");
    if (first_at != e.end() && first_at->is_number_unsigned()) {
      const auto when = first_at->get<TimeUs>();
      first = first ? std::min(*first, when) : when;
    } else {
      const auto when = e["t"].get<TimeUs>();
      recorded = recorded ? std::min(*recorded, when) : when;
    }
  }
  if (in.bad()) {
    return line_error(source, line_no, "read error");
  }
  if (first) {
    return std::optional<Anchor>(Anchor{*first, false});
  }
  if (recorded && first_adv) {
    return std::optional<Anchor>(Anchor{*first_adv, true});
  }
  return recorded ? std::optional<Anchor>(Anchor{*recorded, false}) : std::nullopt;
}

}  // namespace
}  // namespace chart_detail

Result<Chart> read_chart(std::istream& in, std::string_view source, const ChartOptions& options) {
  using namespace chart_detail;
  if (options.from_us && options.to_us && *options.from_us > *options.to_us) {
    return make_error(ErrorCode::kBadValue, std::string(source) + ": empty window: --from " +
                                                format_time(*options.from_us, false) +
                                                " is after --to " +
                                                format_time(*options.to_us, false));
  }
  if (options.max_arrows == 0) {
    return make_error(ErrorCode::kBadValue, "max arrows: must be at least 1");
  }
  const std::streampos start = in.tellg();
  std::string first;
  if (!std::getline(in, first)) {
    return make_error(ErrorCode::kTruncated, std::string(source) + ":1: empty file");
  }
  const InputKind kind = classify(first);
  if (kind != InputKind::kTrace) {
    return read_abstract_chart(in, source, options, std::move(first), kind);
  }
  if (!options.around_failure) {
    return read_trace_chart(in, source, options, std::move(first));
  }
  if (start == std::streampos(-1)) {
    return make_error(ErrorCode::kBadValue,
                      std::string(source) +
                          ": --around-failure reads the trace twice, so it needs a file, not a "
                          "pipe");
  }
  auto found = first_violation(in, source);
  if (!found.ok()) {
    return found.error();
  }
  if (!*found) {
    return make_error(ErrorCode::kBadValue,
                      std::string(source) +
                          ": --around-failure: no inv_violation in the trace (every invariant "
                          "held, or the trace predates violation events)");
  }
  in.clear();
  in.seekg(start);
  if (!in || !std::getline(in, first)) {
    return make_error(ErrorCode::kBadValue, std::string(source) + ": cannot read it again");
  }
  ChartOptions around = options;
  const Anchor anchor = **found;
  const TimeUs before = anchor.adversary ? kAroundAttackBeforeUs : kAroundFailureBeforeUs;
  around.from_us = anchor.at > before ? anchor.at - before : 0;
  around.to_us = anchor.at + (anchor.adversary ? kAroundAttackAfterUs : kAroundFailureAfterUs);
  auto chart = read_trace_chart(in, source, around, std::move(first));
  if (chart.ok() && anchor.adversary) {
    chart->notes.insert(chart->notes.begin(),
                        "the violations were judged at the end of the run; the window is "
                        "around the first adversary action, at " +
                            format_time(anchor.at, false));
  }
  return chart;
}

}  // namespace spmc::sim
