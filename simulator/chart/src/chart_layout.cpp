#include "chart_layout.hpp"

#include <algorithm>

namespace spmc::sim::chart_detail {

int Layout::y_at(TimeUs t) const {
  const auto it = row_top.lower_bound(t);
  return it == row_top.end() ? content_bottom : it->second + kRow / 2;
}

Layout lay_out(const Chart& chart) {
  Layout l;
  std::map<TimeUs, int> rows;  // items starting at each moment
  for (const Arrow& a : chart.arrows) {
    ++rows[a.sent];
    rows.try_emplace(a.arrived, 0);
  }
  for (const Mark& m : chart.marks) {
    ++rows[m.at];
  }
  for (const Violation& v : chart.violations) {
    rows[v.at] += 2;  // its line and, above it, its text
  }
  for (const Band& b : chart.bands) {
    rows.try_emplace(b.from, 0);
    rows.try_emplace(b.to, 0);
  }
  int y = kContentTop;
  std::optional<TimeUs> previous;
  for (const auto& [t, count] : rows) {
    if (previous && !chart.steps && t - *previous > kGapUs) {
      l.breaks.push_back(GapBreak{y, t - *previous});
      y += kBreak;
    }
    l.row_top[t] = y;
    y += count > 0 ? count * kRow : kThinRow;
    previous = t;
  }
  l.content_bottom = y + kRow;
  // Rows within a moment: its arrows first, then its marks, then its violations.
  std::map<TimeUs, int> used;
  for (const Arrow& a : chart.arrows) {
    l.arrow_y.push_back(l.row_top[a.sent] + used[a.sent]++ * kRow + kRow / 2);
  }
  for (const Mark& m : chart.marks) {
    l.mark_y.push_back(l.row_top[m.at] + used[m.at]++ * kRow + kRow / 2);
  }
  for (const Violation& v : chart.violations) {
    l.violation_y.push_back(l.row_top[v.at] + used[v.at] * kRow + kRow + kRow / 2);
    used[v.at] += 2;
  }
  // Room on the right for the text of marks on the last lifeline.
  l.width = std::max(kLeft + static_cast<int>(chart.lifelines.size()) * kLaneWidth + 180, 860);
  return l;
}

}  // namespace spmc::sim::chart_detail
