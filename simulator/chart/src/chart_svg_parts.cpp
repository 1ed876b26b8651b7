#include "chart_svg_parts.hpp"

#include <array>
#include <cmath>

namespace spmc::sim::chart_detail {
namespace {

constexpr std::string_view kLabel =
    "font-size=\"11\" paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\"";

struct Style {
  std::string_view colour;
  std::string_view width;
  std::string_view dash;  // "" for a solid line
};

Style style_of(const Arrow& a) {
  if (a.injected || a.tampered) {
    return {"#c0007a", "2.4", ""};
  }
  if (a.duplicate) {
    return {"#7b3fb5", "1.6", "2 4"};
  }
  Style st{"#555", "1.3", ""};
  switch (a.kind) {
    case ArrowKind::kAppMessage:
      st = {"#1a56c4", "2.2", ""};
      break;
    case ArrowKind::kKeyShare:
      st = {"#1e8c3a", "2", ""};
      break;
    case ArrowKind::kAck:
      st = {"#9a9a9a", "1", "3 3"};
      break;
    case ArrowKind::kAbstract:
      st = {"#333", "1.6", ""};
      break;
    case ArrowKind::kControl:
      break;
  }
  if (a.retransmit) {
    st.dash = "8 4";
  }
  return st;
}

std::string stroke(const Style& st) {
  std::string out =
      "stroke=\"" + std::string(st.colour) + "\" stroke-width=\"" + std::string(st.width) + "\"";
  if (!st.dash.empty()) {
    out += " stroke-dasharray=\"" + std::string(st.dash) + "\"";
  }
  return out;
}

void arrowhead(SvgOut& s, int x1, int y1, int x2, int y2, std::string_view colour) {
  const double dx = x2 - x1;
  const double dy = y2 - y1;
  const double len = std::hypot(dx, dy);
  if (len < 1) {
    return;
  }
  const double ux = dx / len;
  const double uy = dy / len;
  const auto at = [](double v) { return static_cast<int>(std::lround(v)); };
  s.polygon({{x2, y2},
             {at(x2 - 10 * ux - 4 * uy), at(y2 - 10 * uy + 4 * ux)},
             {at(x2 - 10 * ux + 4 * uy), at(y2 - 10 * uy - 4 * ux)}},
            "fill=\"" + std::string(colour) + "\"");
}

void cross(SvgOut& s, int x, int y) {
  constexpr std::string_view kRed = "stroke=\"#d32f2f\" stroke-width=\"2.5\"";
  s.line(x - 6, y - 6, x + 6, y + 6, kRed);
  s.line(x - 6, y + 6, x + 6, y - 6, kRed);
}

std::string arrow_label(const Chart& chart, const Arrow& a) {
  std::string label;
  if (a.injected) {
    label += "INJECTED ";
  }
  if (a.tampered) {
    label += "TAMPERED ";
  }
  if (a.retransmit) {
    label += "resent: ";
  }
  if (a.duplicate) {
    label += "dup copy: ";
  }
  label += a.label;
  if (a.repeat > 1) {
    label +=
        " \u00d7" + std::to_string(a.repeat) + " until " + format_time(a.last_sent, chart.steps);
  }
  if (a.lost) {
    label += " \u2014 lost" + (a.lost_reason.empty() ? std::string() : " (" + a.lost_reason + ")");
  }
  if (a.in_flight) {
    label += " \u2014 still in flight";
  }
  return label;
}

}  // namespace

void SvgOut::line(int x1, int y1, int x2, int y2, std::string_view attrs) {
  out += "<line x1=\"" + std::to_string(x1) + "\" y1=\"" + std::to_string(y1) + "\" x2=\"" +
         std::to_string(x2) + "\" y2=\"" + std::to_string(y2) + "\" " + std::string(attrs) + "/>\n";
}

void SvgOut::rect(int x, int y, int w, int h, std::string_view attrs) {
  out += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
         std::to_string(w) + "\" height=\"" + std::to_string(h) + "\" " + std::string(attrs) +
         "/>\n";
}

void SvgOut::text(int x, int y, std::string_view content, std::string_view attrs) {
  out += "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" " +
         std::string(attrs) + ">" + xml_escape(content) + "</text>\n";
}

void SvgOut::polygon(const std::vector<std::pair<int, int>>& points, std::string_view attrs) {
  out += "<polygon points=\"";
  for (std::size_t i = 0; i < points.size(); ++i) {
    out += (i > 0 ? " " : "") + std::to_string(points[i].first) + "," +
           std::to_string(points[i].second);
  }
  out += "\" " + std::string(attrs) + "/>\n";
}

void SvgOut::circle(int x, int y, int r, std::string_view attrs) {
  out += "<circle cx=\"" + std::to_string(x) + "\" cy=\"" + std::to_string(y) + "\" r=\"" +
         std::to_string(r) + "\" " + std::string(attrs) + "/>\n";
}

void draw_breaks(SvgOut& s, const Chart& /*chart*/, const Layout& l) {
  for (const GapBreak& b : l.breaks) {
    s.rect(kLeft - 90, b.y + 4, l.width - kLeft + 74, kBreak - 8,
           "fill=\"#f1f1f1\" stroke=\"#ccc\" stroke-dasharray=\"4 3\"");
    s.text(l.width / 2, b.y + kBreak / 2 + 4,
           "\u2026 " + format_span(b.span) + " with nothing \u2026",
           "font-size=\"11\" fill=\"#666\" text-anchor=\"middle\" font-style=\"italic\"");
  }
}

void draw_time_gutter(SvgOut& s, const Chart& chart, const Layout& l) {
  int last = -100;
  for (const auto& [t, y] : l.row_top) {
    if (y - last < 16) {
      continue;
    }
    s.text(kLeft - 12, y + kRow / 2 + 4, format_time(t, chart.steps),
           "font-size=\"10\" fill=\"#888\" text-anchor=\"end\"");
    last = y;
  }
}

void draw_arrow(SvgOut& s, const Chart& chart, const Layout& l, const Arrow& a, int y) {
  const Style st = style_of(a);
  const int x1 = l.lane_x(a.from);
  int x2 = l.lane_x(a.to);
  int y2 = a.arrived == a.sent ? y : std::max(y, l.y_at(a.arrived));
  if (a.in_flight) {
    y2 = std::max(y2, l.content_bottom - 6);
  }
  const std::string label = arrow_label(chart, a);
  if (a.from == a.to) {
    // To itself: a small loop to the right.
    s.out += "<path d=\"M" + std::to_string(x1) + " " + std::to_string(y) +
             " h28 v10 h-28\" class=\"arrow\" fill=\"none\" " + stroke(st) + "/>\n";
    s.text(x1 + 34, y + 4, label, std::string(kLabel) + " fill=\"#333\"");
    return;
  }
  if (a.lost) {
    // Lost on the way: the line stops short of the receiver, ending in a cross.
    const int share = a.arrived == a.sent ? 50 : 80;
    x2 = x1 + (x2 - x1) * share / 100;
  }
  // The classes name what a reader (or a browser test) looks for; styling stays inline.
  s.line(x1, y, x2, y2, "class=\"arrow\" " + stroke(st));
  if (a.lost) {
    cross(s, x2, y2);
  } else if (!a.in_flight) {
    arrowhead(s, x1, y, x2, y2, st.colour);
  }
  const bool rightwards = l.lane_x(a.to) > x1;
  s.text(x1 + (rightwards ? 8 : -8), y - 4, label,
         std::string(kLabel) + (rightwards ? "" : " text-anchor=\"end\"") +
             (a.lost ? " fill=\"#b71c1c\"" : " fill=\"#222\""));
}

void draw_mark(SvgOut& s, const Chart& chart, const Layout& l, const Mark& m, int y) {
  if (m.lane == kAllLanes) {
    s.line(kLeft, y, l.width - 16, y,
           "stroke=\"#777\" stroke-width=\"1\" stroke-dasharray=\"10 4\"");
    s.text(kLeft + 4, y - 4, m.label, std::string(kLabel) + " fill=\"#444\" font-style=\"italic\"");
    return;
  }
  (void)chart;
  const int x = l.lane_x(m.lane);
  std::string colour = "#444";
  switch (m.kind) {
    case MarkKind::kEvent:
      s.circle(x, y, 4, "fill=\"#fff\" stroke=\"#444\" stroke-width=\"1.5\"");
      break;
    case MarkKind::kDelivered:
      colour = "#1a56c4";
      s.circle(x, y, 5, "fill=\"#1a56c4\"");
      break;
    case MarkKind::kRejected:
      colour = "#c62828";
      s.rect(x - 5, y - 5, 10, 10, "fill=\"#c62828\"");
      break;
    case MarkKind::kAdversary:
      colour = "#c0007a";
      s.polygon({{x, y - 7}, {x + 7, y}, {x, y + 7}, {x - 7, y}},
                "class=\"adversary\" fill=\"#c0007a\"");
      break;
  }
  s.text(x + 10, y + 4, m.label, std::string(kLabel) + " fill=\"" + colour + "\"");
}

void draw_violation(SvgOut& s, const Layout& l, const Violation& v, int y) {
  s.line(kLeft - 90, y, l.width - 16, y, "class=\"violation\" stroke=\"#d00\" stroke-width=\"3\"");
  s.text(kLeft + 4, y - 6,
         "\u2717 VIOLATED: " + v.invariant + (v.expected ? " (expected by the scenario)" : "") +
             (v.detail.empty() ? "" : " \u2014 " + shorten(v.detail, 110)),
         "font-size=\"12\" font-weight=\"bold\" fill=\"#d00\" paint-order=\"stroke\" "
         "stroke=\"#fff\" stroke-width=\"3\"");
}

}  // namespace spmc::sim::chart_detail
