// SVG: lifelines as columns, time downwards (chart_layout.hpp), arrows from the sender's
// moment to the receiver's, a legend that names every style used, and notes for what was
// left out. Only integers and escaped text reach the output, so a chart renders to the same
// bytes every time.
#include <algorithm>
#include <cmath>

#include "chart_layout.hpp"
#include "chart_svg_parts.hpp"

namespace spmc::sim {
namespace {

using namespace chart_detail;

struct Body {
  int width = 0;
  int height = 0;
  std::string svg;
};

std::string subtitle(const Chart& chart) {
  std::string out = chart.kind + ", " + format_time(chart.window_from, chart.steps) + " to " +
                    format_time(chart.window_to, chart.steps) + " \u00b7 " +
                    std::to_string(chart.arrows.size()) + " arrows, " +
                    std::to_string(chart.marks.size()) + " events";
  out += chart.steps
             ? " \u00b7 one row per step of the model"
             : " \u00b7 time runs down; quiet stretches are cut short (\u2026 3.2 s \u2026)";
  return out;
}

Body render_body(const Chart& chart) {
  const Layout l = lay_out(chart);
  SvgOut s;
  // A long path keeps its end (the file name) and loses its start.
  const std::size_t room = static_cast<std::size_t>(std::max(20, (l.width - 200) / 9));
  const std::string source = chart.source.size() <= room
                                 ? chart.source
                                 : "..." + chart.source.substr(chart.source.size() - room);
  s.text(16, 26, "Sequence chart: " + source, "font-size=\"16\" font-weight=\"bold\"");
  s.text(16, 46, subtitle(chart), "font-size=\"12\" fill=\"#555\"");
  // Lifelines: a head box and a line down the whole picture.
  for (std::size_t i = 0; i < chart.lifelines.size(); ++i) {
    const int x = l.lane_x(i);
    const Lifeline& life = chart.lifelines[i];
    s.rect(x - kLaneWidth / 2 + 10, 60, kLaneWidth - 20, 40,
           i == 0 && life.name == "server" ? "fill=\"#eef2f7\" stroke=\"#5a6b80\""
                                           : "fill=\"#f7f7f2\" stroke=\"#777\"");
    s.text(x, life.detail.empty() ? 85 : 77, life.name,
           "font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\"");
    if (!life.detail.empty()) {
      s.text(x, 93, shorten(life.detail, 22),
             "font-size=\"10\" fill=\"#666\" text-anchor=\"middle\"");
    }
    s.line(x, 100, x, l.content_bottom,
           "class=\"lifeline\" data-lifeline=\"" + xml_escape(life.name) +
               "\" stroke=\"#bbb\" stroke-width=\"1\"");
  }
  draw_breaks(s, chart, l);
  draw_time_gutter(s, chart, l);
  draw_bands(s, chart, l);
  for (std::size_t i = 0; i < chart.arrows.size(); ++i) {
    draw_arrow(s, chart, l, chart.arrows[i], l.arrow_y[i]);
  }
  for (std::size_t i = 0; i < chart.marks.size(); ++i) {
    draw_mark(s, chart, l, chart.marks[i], l.mark_y[i]);
  }
  for (std::size_t i = 0; i < chart.violations.size(); ++i) {
    draw_violation(s, l, chart.violations[i], l.violation_y[i]);
  }
  int y = l.content_bottom + 24;
  for (const std::string& note : chart.notes) {
    s.text(16, y, "Note: " + note, "font-size=\"12\" fill=\"#8a4b00\"");
    y += 18;
  }
  y = draw_legend(s, y + 8, l.width);
  return Body{l.width, y + 12, std::move(s.out)};
}

std::string open_svg(int width, int height) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) +
         "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) +
         " " + std::to_string(height) +
         "\" font-family=\"DejaVu Sans, Verdana, sans-serif\">\n<rect width=\"100%\" "
         "height=\"100%\" fill=\"#fff\"/>\n";
}

}  // namespace

std::string render_svg(const Chart& chart) {
  Body body = render_body(chart);
  return open_svg(body.width, body.height) + body.svg + "</svg>\n";
}

std::string render_svg_side_by_side(const Chart& left, const Chart& right) {
  constexpr int kGutter = 40;
  const Body a = render_body(left);
  const Body b = render_body(right);
  const int width = a.width + kGutter + b.width;
  return open_svg(width, std::max(a.height, b.height)) + "<g>\n" + a.svg + "</g>\n<line x1=\"" +
         std::to_string(a.width + kGutter / 2) + "\" y1=\"8\" x2=\"" +
         std::to_string(a.width + kGutter / 2) + "\" y2=\"" +
         std::to_string(std::max(a.height, b.height) - 8) +
         "\" stroke=\"#999\" stroke-width=\"2\"/>\n<g transform=\"translate(" +
         std::to_string(a.width + kGutter) + ",0)\">\n" + b.svg + "</g>\n</svg>\n";
}

}  // namespace spmc::sim
