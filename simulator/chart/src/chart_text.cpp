// The chart as text for other tools: Mermaid's sequenceDiagram (renders in Markdown viewers)
// and mscgen (msc { ... }, `mscgen -Tsvg`). Both are a walk over the chart's items in time
// order; a quiet stretch becomes a note with its length, as in the SVG.
#include <algorithm>
#include <functional>

#include "chart_internal.hpp"
#include "chart_layout.hpp"

namespace spmc::sim {
namespace {

using namespace chart_detail;

// One item in time order: its time, its order among items of that time, what it writes.
struct Item {
  TimeUs at;
  int order;
  std::size_t index;
  std::function<void(std::string&)> write;
};

std::string flags(const Arrow& a) {
  std::string out;
  if (a.injected) {
    out += "INJECTED ";
  }
  if (a.tampered) {
    out += "TAMPERED ";
  }
  if (a.retransmit) {
    out += "resent: ";
  }
  if (a.duplicate) {
    out += "dup copy: ";
  }
  out += a.label;
  if (a.repeat > 1) {
    out += " x" + std::to_string(a.repeat);
  }
  if (a.lost) {
    out += " - lost" + (a.lost_reason.empty() ? std::string() : " (" + a.lost_reason + ")");
  }
  if (a.in_flight) {
    out += " - still in flight";
  }
  return out;
}

const char* band_word(BandKind kind) {
  switch (kind) {
    case BandKind::kOffline:
      return "offline";
    case BandKind::kCrashed:
      return "crashed";
    case BandKind::kPartitioned:
      return "partitioned";
  }
  return "";
}

// Every item of the chart in time order, with breaks for the quiet stretches.
using ArrowWriter = std::function<void(std::string&, const Arrow&)>;
using NoteWriter = std::function<void(std::string&, std::size_t, const std::string&)>;
using AcrossWriter = std::function<void(std::string&, const std::string&, bool)>;

// The items refer to `arrow`, `note` and `across`, so the caller keeps them alive (named
// objects, not lambdas converted on the call) for as long as it writes the items.
std::vector<Item> items(const Chart& chart, const ArrowWriter& arrow, const NoteWriter& note,
                        const AcrossWriter& across) {
  std::vector<Item> out;
  for (std::size_t i = 0; i < chart.arrows.size(); ++i) {
    out.push_back(
        {chart.arrows[i].sent, 1, i, [&, i](std::string& s) { arrow(s, chart.arrows[i]); }});
  }
  for (std::size_t i = 0; i < chart.marks.size(); ++i) {
    const Mark& m = chart.marks[i];
    out.push_back({m.at, 2, i, [&, i](std::string& s) {
                     const Mark& mk = chart.marks[i];
                     if (mk.lane == kAllLanes) {
                       across(s, mk.label, false);
                     } else {
                       note(s, mk.lane, mk.label);
                     }
                   }});
  }
  for (std::size_t i = 0; i < chart.bands.size(); ++i) {
    out.push_back({chart.bands[i].from, 0, i, [&, i](std::string& s) {
                     const Band& b = chart.bands[i];
                     note(s, b.lane,
                          std::string(band_word(b.kind)) + " until " +
                              format_time(b.to, chart.steps));
                   }});
  }
  for (std::size_t i = 0; i < chart.violations.size(); ++i) {
    out.push_back({chart.violations[i].at, 3, i, [&, i](std::string& s) {
                     const Violation& v = chart.violations[i];
                     across(s,
                            "VIOLATED: " + v.invariant +
                                (v.detail.empty() ? "" : " - " + shorten(v.detail, 90)),
                            true);
                   }});
  }
  std::stable_sort(out.begin(), out.end(), [](const Item& a, const Item& b) {
    return a.at != b.at ? a.at < b.at : a.order != b.order ? a.order < b.order : a.index < b.index;
  });
  std::vector<Item> with_breaks;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i > 0 && !chart.steps && out[i].at - out[i - 1].at > kGapUs) {
      const TimeUs span = out[i].at - out[i - 1].at;
      with_breaks.push_back({out[i].at, 0, 0, [&, span](std::string& s) {
                               across(s, "... " + format_span(span) + " with nothing ...", false);
                             }});
    }
    with_breaks.push_back(std::move(out[i]));
  }
  return with_breaks;
}

std::string lane_id(std::size_t lane) { return "L" + std::to_string(lane); }

std::string mermaid_text(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '#') {
      out += "#35;";
    } else if (c == ';') {
      out += "#59;";
    } else {
      out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    }
  }
  return out;
}

std::string msc_text(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  }
  return out;
}

std::string title(const Chart& chart) {
  return chart.source + " (" + chart.kind + ", " + format_time(chart.window_from, chart.steps) +
         " to " + format_time(chart.window_to, chart.steps) + ")";
}

}  // namespace

std::string render_mermaid(const Chart& chart) {
  std::string s = "sequenceDiagram\n";
  s += "  %% " + mermaid_text(title(chart)) + "\n";
  for (std::size_t i = 0; i < chart.lifelines.size(); ++i) {
    const Lifeline& l = chart.lifelines[i];
    s += "  participant " + lane_id(i) + " as " +
         mermaid_text(l.name + (l.detail.empty() ? "" : " (" + l.detail + ")")) + "\n";
  }
  const std::string all = chart.lifelines.size() > 1
                              ? lane_id(0) + "," + lane_id(chart.lifelines.size() - 1)
                              : lane_id(0);
  const ArrowWriter arrow = [](std::string& out, const Arrow& a) {
    const char* shape = a.lost                      ? "-x"
                        : a.in_flight               ? "-)"
                        : a.kind == ArrowKind::kAck ? "-->>"
                                                    : "->>";
    out += "  " + lane_id(a.from) + shape + lane_id(a.to) + ": " + mermaid_text(flags(a)) + "\n";
  };
  const NoteWriter note = [](std::string& out, std::size_t lane, const std::string& text) {
    out += "  Note right of " + lane_id(lane) + ": " + mermaid_text(text) + "\n";
  };
  const AcrossWriter across = [&all](std::string& out, const std::string& text,
                                     bool /*violation*/) {
    out += "  Note over " + all + ": " + mermaid_text(text) + "\n";
  };
  for (const Item& item : items(chart, arrow, note, across)) {
    item.write(s);
  }
  for (const std::string& n : chart.notes) {
    across(s, "Note: " + n, false);
  }
  return s;
}

std::string render_mscgen(const Chart& chart) {
  std::string s =
      "# " + msc_text(title(chart)) + "\nmsc {\n  hscale=\"1.6\", wordwraparcs=\"true\";\n  ";
  for (std::size_t i = 0; i < chart.lifelines.size(); ++i) {
    const Lifeline& l = chart.lifelines[i];
    s += (i > 0 ? ", " : "") + lane_id(i) + " [label=\"" + msc_text(l.name) +
         (l.detail.empty() ? "" : "\\n" + msc_text(l.detail)) + "\"]";
  }
  s += ";\n";
  const ArrowWriter arrow = [](std::string& out, const Arrow& a) {
    const char* shape = a.lost ? "-x" : a.kind == ArrowKind::kAck ? ">>" : "=>";
    std::string attrs = "label=\"" + msc_text(flags(a)) + "\"";
    if (a.injected || a.tampered) {
      attrs += ", linecolour=\"#c0007a\", textcolour=\"#c0007a\"";
    } else if (a.kind == ArrowKind::kAppMessage) {
      attrs += ", linecolour=\"#1a56c4\"";
    } else if (a.kind == ArrowKind::kKeyShare) {
      attrs += ", linecolour=\"#1e8c3a\"";
    }
    out += "  " + lane_id(a.from) + shape + lane_id(a.to) + " [" + attrs + "];\n";
  };
  const NoteWriter note = [](std::string& out, std::size_t lane, const std::string& text) {
    out +=
        "  " + lane_id(lane) + " note " + lane_id(lane) + " [label=\"" + msc_text(text) + "\"];\n";
  };
  const AcrossWriter across = [](std::string& out, const std::string& text, bool violation) {
    out += violation ? "  --- [label=\"" + msc_text(text) +
                           "\", linecolour=\"#dd0000\", textcolour=\"#dd0000\"];\n"
                     : "  ... [label=\"" + msc_text(text) + "\"];\n";
  };
  for (const Item& item : items(chart, arrow, note, across)) {
    item.write(s);
  }
  for (const std::string& n : chart.notes) {
    across(s, "Note: " + n, false);
  }
  s += "}\n";
  return s;
}

}  // namespace spmc::sim
