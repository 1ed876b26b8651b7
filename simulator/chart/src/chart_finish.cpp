// The last step of every reader: repeated exchanges collapse into one arrow with a count
// (a keep-alive or an ack stream would otherwise fill the picture), then the arrow cap
// cuts the chart at a moment in time, so what is drawn is everything up to that moment
// and a note says what came after.
#include <algorithm>
#include <map>

#include "chart_internal.hpp"

namespace spmc::sim::chart_detail {
namespace {

bool same_exchange(const Arrow& a, const Arrow& b) {
  return a.from == b.from && a.to == b.to && a.label == b.label && a.kind == b.kind &&
         a.lost == b.lost && a.lost_reason == b.lost_reason && a.retransmit == b.retransmit &&
         a.duplicate == b.duplicate && a.injected == b.injected && a.tampered == b.tampered &&
         !a.in_flight && !b.in_flight && a.kind != ArrowKind::kAbstract;
}

// An arrow joins the same exchange among the last two between its lifelines, so a
// request/reply pair repeated (A->S, S->A, A->S, S->A) becomes two arrows with counts.
void collapse(Chart& chart) {
  std::vector<Arrow> out;
  std::map<std::pair<std::size_t, std::size_t>, std::vector<std::size_t>> recent;
  for (Arrow& a : chart.arrows) {
    auto& last = recent[{std::min(a.from, a.to), std::max(a.from, a.to)}];
    bool merged = false;
    for (auto it = last.rbegin(); it != last.rend() && !merged; ++it) {
      Arrow& into = out[*it];
      if (same_exchange(into, a)) {
        ++into.repeat;
        into.last_sent = a.sent;
        merged = true;
      }
    }
    if (merged) {
      continue;
    }
    a.last_sent = a.sent;
    last.push_back(out.size());
    if (last.size() > 2) {
      last.erase(last.begin());
    }
    out.push_back(std::move(a));
  }
  chart.arrows = std::move(out);
}

}  // namespace

void finish_chart(Chart& chart, std::size_t max_arrows) {
  collapse(chart);
  std::optional<TimeUs> cut;
  if (chart.arrows.size() > max_arrows) {
    cut = chart.arrows[max_arrows].sent;
    const std::size_t left = chart.arrows.size() - max_arrows;
    chart.arrows.resize(max_arrows);
    chart.notes.push_back(std::to_string(left) + " more arrows from " +
                          format_time(*cut, chart.steps) + " on are left out (cap --max-arrows " +
                          std::to_string(max_arrows) +
                          "; narrow the window with --from/--to or --phones)");
  }
  if (chart.marks.size() > max_arrows) {
    const TimeUs at = chart.marks[max_arrows].at;
    cut = cut ? std::min(*cut, at) : at;
  }
  if (!cut) {
    return;
  }
  const std::size_t marks_before = chart.marks.size();
  std::erase_if(chart.marks, [&](const Mark& m) { return m.at >= *cut; });
  std::erase_if(chart.arrows, [&](const Arrow& a) { return a.sent >= *cut; });
  if (chart.marks.size() < marks_before) {
    chart.notes.push_back(std::to_string(marks_before - chart.marks.size()) + " events from " +
                          format_time(*cut, chart.steps) + " on are left out with them");
  }
  for (const Violation& v : chart.violations) {
    if (v.at >= *cut) {
      chart.notes.push_back(v.invariant + " violated at " + format_time(v.at, chart.steps) +
                            ", after the cut");
    }
  }
  std::erase_if(chart.violations, [&](const Violation& v) { return v.at >= *cut; });
  std::erase_if(chart.bands, [&](const Band& b) { return b.from >= *cut; });
  for (Band& b : chart.bands) {
    b.to = std::min(b.to, *cut);
  }
  chart.window_to = std::min(chart.window_to, *cut);
}

}  // namespace spmc::sim::chart_detail
