#pragma once
// The drawing pieces of the SVG renderer: a writer of elements with integer coordinates and
// escaped text, and one function per kind of thing on the chart (chart_svg_parts.cpp).
#include <string>

#include "chart_layout.hpp"

namespace spmc::sim::chart_detail {

struct SvgOut {
  std::string out;
  // `attrs` are fixed attribute text written by this library, never input.
  void line(int x1, int y1, int x2, int y2, std::string_view attrs);
  void rect(int x, int y, int w, int h, std::string_view attrs);
  void text(int x, int y, std::string_view content, std::string_view attrs);
  void polygon(const std::vector<std::pair<int, int>>& points, std::string_view attrs);
  void circle(int x, int y, int r, std::string_view attrs);
};

void draw_breaks(SvgOut& s, const Chart& chart, const Layout& l);
void draw_time_gutter(SvgOut& s, const Chart& chart, const Layout& l);
void draw_bands(SvgOut& s, const Chart& chart, const Layout& l);
void draw_arrow(SvgOut& s, const Chart& chart, const Layout& l, const Arrow& a, int y);
void draw_mark(SvgOut& s, const Chart& chart, const Layout& l, const Mark& m, int y);
void draw_violation(SvgOut& s, const Layout& l, const Violation& v, int y);
// Returns the y below the legend.
int draw_legend(SvgOut& s, int y, int width);

}  // namespace spmc::sim::chart_detail
