#pragma once
// Where things go on the page: lanes left to right, time downwards. Every distinct moment
// gets a row per item that starts there (arrows sent, marks, violations), so items of one
// instant never overlap, and a stretch of time with nothing in it longer than kGapUs becomes
// a fixed-height break labelled with its length instead of empty space.
#include <map>
#include <vector>

#include "chart_internal.hpp"

namespace spmc::sim::chart_detail {

inline constexpr int kLeft = 100;       // the time gutter
inline constexpr int kLaneWidth = 190;  // one lifeline
inline constexpr int kRow = 20;         // one item
inline constexpr int kThinRow = 8;      // a moment where something only ends
inline constexpr int kBreak = 30;       // a compressed gap
inline constexpr int kContentTop = 120;
inline constexpr TimeUs kGapUs = 400'000;

struct GapBreak {
  int y = 0;  // top of the break
  TimeUs span = 0;
};

struct Layout {
  int width = 0;
  int content_bottom = 0;
  std::map<TimeUs, int> row_top;  // moment -> y of its first row
  std::vector<int> arrow_y;       // per arrow, the y it leaves at
  std::vector<int> mark_y;        // per mark
  std::vector<int> violation_y;   // per violation
  std::vector<GapBreak> breaks;

  int lane_x(std::size_t lane) const {
    return kLeft + static_cast<int>(lane) * kLaneWidth + kLaneWidth / 2;
  }
  // The y of a moment (its first row's line); a moment not laid out maps to the next one.
  int y_at(TimeUs t) const;
};

Layout lay_out(const Chart& chart);

}  // namespace spmc::sim::chart_detail
