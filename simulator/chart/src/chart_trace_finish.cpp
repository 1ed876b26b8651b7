// The end of reading a trace: the checks that need the whole window (an unknown
// conversation, an empty window), then the lifelines: the server and the phones asked for,
// or else the busiest phones up to kMaxLifelines, with a note naming how many were left out.
#include <algorithm>

#include "chart_trace_state.hpp"

namespace spmc::sim::chart_detail {

Result<Chart> TraceChartState::finish() {
  if (!m_instant_events.empty()) {
    if (auto status = flush_instant(); !status.ok()) {
      return status.error();
    }
  }
  if (m_options.conversation) {
    for (const std::string& name :
         {m_options.conversation->first, m_options.conversation->second}) {
      const auto node = conversation_node(name);
      if (!node || (m_phone_count && *node > *m_phone_count)) {
        return make_error(ErrorCode::kUnknownUser,
                          m_source + ": conversation: unknown phone or user '" + name + "'");
      }
    }
  }
  const TimeUs end = m_options.to_us || m_closed_early ? m_to : m_last;
  if (m_closed_early) {
    m_chart.notes.push_back("the window was closed at " + format_time(m_to, false) + " after " +
                            std::to_string(m_chart.arrows.size() + m_chart.marks.size()) +
                            " frames and events (narrow it with --from/--to or --phones)");
  }
  for (const auto& [key, from] : m_open_bands) {
    if (from <= end && node_shown(key.first)) {
      m_chart.bands.push_back(
          Band{std::max(from, m_from), end, key.first, static_cast<BandKind>(key.second)});
    }
  }
  for (const auto& [id, index] : m_in_flight) {
    m_chart.arrows[index].in_flight = true;
    m_chart.arrows[index].arrived = std::max(end, m_chart.arrows[index].sent);
  }
  if (m_chart.arrows.empty() && m_chart.marks.empty() && m_chart.violations.empty()) {
    return make_error(ErrorCode::kBadValue,
                      m_source + ": empty window: no frame or event between " +
                          format_time(m_from, false) + " and " +
                          (m_options.to_us ? format_time(m_to, false) : std::string("the end")) +
                          (m_filtered_out > 0 ? " that passes the filters" : ""));
  }

  // Lifelines: node ids become lanes 0..n-1, the server first.
  std::vector<std::size_t> nodes{0};
  std::size_t hidden = 0;
  if (m_options.conversation) {
    for (const std::string& name :
         {m_options.conversation->first, m_options.conversation->second}) {
      nodes.push_back(*conversation_node(name));
    }
  } else if (!m_phone_filter.empty()) {
    nodes.insert(nodes.end(), m_phone_filter.begin(), m_phone_filter.end());
  } else {
    std::vector<std::pair<std::size_t, std::size_t>> busy;  // (items, node)
    for (const auto& [node, items] : m_node_items) {
      if (node != 0) {
        busy.emplace_back(items, node);
      }
    }
    std::stable_sort(busy.begin(), busy.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [items, node] : busy) {
      if (nodes.size() < kMaxLifelines) {
        nodes.push_back(node);
      } else {
        ++hidden;
      }
    }
  }
  std::sort(nodes.begin() + 1, nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  std::map<std::size_t, std::size_t> lane_of;
  for (std::size_t node : nodes) {
    lane_of[node] = m_chart.lifelines.size();
    const auto user = m_node_user.find(node);
    m_chart.lifelines.push_back(Lifeline{node == 0 ? "server" : "phone " + std::to_string(node - 1),
                                         user == m_node_user.end() ? "" : user->second});
  }
  std::size_t dropped = 0;
  std::vector<Arrow> arrows;
  for (Arrow& a : m_chart.arrows) {
    if (lane_of.contains(a.from) && lane_of.contains(a.to)) {
      a.from = lane_of[a.from];
      a.to = lane_of[a.to];
      arrows.push_back(std::move(a));
    } else {
      ++dropped;
    }
  }
  m_chart.arrows = std::move(arrows);
  std::stable_sort(m_chart.arrows.begin(), m_chart.arrows.end(),
                   [](const Arrow& a, const Arrow& b) { return a.sent < b.sent; });
  std::erase_if(m_chart.marks,
                [&](const Mark& m) { return m.lane != kAllLanes && !lane_of.contains(m.lane); });
  for (Mark& m : m_chart.marks) {
    m.lane = m.lane == kAllLanes ? kAllLanes : lane_of[m.lane];
  }
  std::erase_if(m_chart.bands, [&](const Band& b) { return !lane_of.contains(b.lane); });
  for (Band& b : m_chart.bands) {
    b.lane = lane_of[b.lane];
  }
  std::stable_sort(m_chart.bands.begin(), m_chart.bands.end(),
                   [](const Band& a, const Band& b) { return a.from < b.from; });
  if (hidden > 0) {
    m_chart.notes.push_back(std::to_string(hidden) + " more phones not drawn (" +
                            std::to_string(dropped) + " frames with them left out); the busiest " +
                            std::to_string(nodes.size() - 1) + " are shown: choose with --phones");
  }
  for (std::string& note : m_outside_violations) {
    m_chart.notes.push_back(std::move(note));
  }
  m_chart.window_from = m_from;
  m_chart.window_to = end;
  finish_chart(m_chart, m_options.max_arrows);
  return std::move(m_chart);
}

}  // namespace spmc::sim::chart_detail
