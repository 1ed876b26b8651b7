#pragma once
// The state of reading one full trace into a chart: who is who (phone index <-> user id),
// who is offline, crashed or partitioned, the frames still travelling, and what is kept so
// far, with lanes still network node ids (server 0, phone i = i + 1) until finish() picks
// the lifelines. Everything held is inside the window, so memory follows the window.
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "chart_internal.hpp"

namespace spmc::sim::chart_detail {

// Frames still unresolved this long after the window closes are drawn as in flight.
inline constexpr TimeUs kResolveGraceUs = 10'000'000;
// The window closes early once it holds this many times the arrow cap in frames and events
// (at least kMinHeldItems): the cap would cut the chart there anyway, unless most of them
// collapse, and memory and time must not grow with the file when no --to is given.
inline constexpr std::size_t kHeldItemsPerArrow = 20;
inline constexpr std::size_t kMinHeldItems = 20'000;

class TraceChartState {
 public:
  TraceChartState(std::string_view source, const ChartOptions& options);

  // Whether an event of kind `ev` at `t` needs parsing.
  bool wants(TimeUs t, std::string_view ev, bool tracks_state, bool resolves_pending) const;
  // One parsed event; lines of one instant are handled together when the instant ends.
  Status take(TimeUs t, nlohmann::json event, std::size_t line_no);
  Result<Chart> finish();

 private:
  struct Pending {
    nlohmann::json event;
    std::size_t line_no = 0;
  };
  // What a phone's or the server's event says a frame sent at the same instant carries.
  struct Carried {
    std::string label;
    ArrowKind kind = ArrowKind::kControl;
    std::string peer;   // the other user
    std::string group;  // the group, when it is a group's
  };

  Status flush_instant();
  Status handle(const nlohmann::json& e, std::size_t line_no,
                std::map<std::uint32_t, std::deque<Carried>>& phone_sends,
                std::vector<std::pair<std::string, Carried>>& relays);
  Status handle_state(std::string_view ev, const nlohmann::json& e, std::size_t line_no);
  Status handle_send(const nlohmann::json& e, std::size_t line_no,
                     std::map<std::uint32_t, std::deque<Carried>>& phone_sends,
                     std::vector<std::pair<std::string, Carried>>& relays);
  Status handle_arrival(std::string_view ev, const nlohmann::json& e, std::size_t line_no);
  Status handle_mark(std::string_view ev, const nlohmann::json& e, std::size_t line_no);
  void open_band(std::size_t node, BandKind kind, TimeUs t);
  void close_band(std::size_t node, BandKind kind, TimeUs t);

  bool in_window(TimeUs t) const { return t >= m_from && t <= m_to; }
  bool node_shown(std::size_t node) const;
  // Conversation and group filters, given what an item is about.
  bool about_kept(std::size_t node, const std::string& peer, const std::string& group) const;
  std::optional<std::size_t> node_of_user(const std::string& user) const;
  std::optional<std::size_t> conversation_node(const std::string& name) const;
  void keep_arrow(Arrow arrow, std::uint64_t id);

  std::string m_source;
  ChartOptions m_options;
  TimeUs m_from = 0;
  TimeUs m_to = 0;
  TimeUs m_last = 0;                           // the latest time seen inside the window
  std::optional<std::uint32_t> m_phone_count;  // from the world header
  std::map<std::string, std::size_t> m_user_node;
  std::map<std::size_t, std::string> m_node_user;
  std::set<std::size_t> m_phone_filter;  // nodes, from options.phones

  TimeUs m_instant = 0;
  std::vector<Pending> m_instant_events;

  std::map<std::uint64_t, std::size_t> m_in_flight;  // packet id -> arrow
  std::map<std::uint64_t, std::size_t> m_arrived;    // packet id -> arrow, for duplicates
  // from/to/bytes -> the arrow first sent with them, and whom it concerned (peer, group): a
  // retransmission carries no send event of its own, so it inherits both.
  struct Seen {
    std::size_t arrow = 0;
    std::string peer;
    std::string group;
  };
  std::map<std::string, Seen> m_seen_bytes;
  std::map<std::pair<std::size_t, int>, TimeUs> m_open_bands;
  std::map<std::uint64_t, std::vector<std::size_t>> m_partitions;  // id -> nodes

  Chart m_chart;
  std::map<std::size_t, std::size_t> m_node_items;  // how busy each node is in the window
  std::size_t m_filtered_out = 0;
  bool m_closed_early = false;
  std::vector<std::string> m_outside_violations;
};

}  // namespace spmc::sim::chart_detail
