#include "chart_trace_state.hpp"

#include <algorithm>

#include "chart_frames.hpp"

namespace spmc::sim::chart_detail {
namespace {

// A field that must be a non-negative integer.
Result<std::uint64_t> u64_field(const nlohmann::json& e, const char* key, std::string_view source,
                                std::size_t line_no) {
  const auto it = e.find(key);
  if (it == e.end() || !it->is_number_unsigned()) {
    return line_error(source, line_no,
                      std::string("field ") + key + ": missing or not a non-negative integer");
  }
  return it->get<std::uint64_t>();
}

std::string str_field(const nlohmann::json& e, const char* key) {
  const auto it = e.find(key);
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::uint64_t u64_or(const nlohmann::json& e, const char* key, std::uint64_t fallback) {
  const auto it = e.find(key);
  return it != e.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : fallback;
}

bool is_index(const std::string& text) {
  return !text.empty() && text.size() <= 9 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "key share accept" from "ph_keyshare_accept".
std::string event_words(std::string_view ev) {
  std::string out(ev.starts_with("ph_") ? ev.substr(3) : ev);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

}  // namespace

TraceChartState::TraceChartState(std::string_view source, const ChartOptions& options)
    : m_source(source), m_options(options) {
  m_from = options.from_us.value_or(0);
  m_to = options.to_us.value_or(std::numeric_limits<TimeUs>::max() - kResolveGraceUs);
  for (std::uint32_t phone : options.phones) {
    m_phone_filter.insert(std::size_t{phone} + 1);
  }
  m_chart.source = std::string(source);
  m_chart.kind = "trace";
}

bool TraceChartState::wants(TimeUs t, std::string_view ev, bool tracks_state,
                            bool resolves_pending) const {
  if (tracks_state || ev == "inv_violation") {
    return true;
  }
  if (in_window(t)) {
    return ev != "srv_delete" && ev != "net_online" && ev != "net_faults";
  }
  return resolves_pending && t > m_to && t <= m_to + kResolveGraceUs && !m_in_flight.empty();
}

Status TraceChartState::take(TimeUs t, nlohmann::json event, std::size_t line_no) {
  if (t != m_instant && !m_instant_events.empty()) {
    if (auto status = flush_instant(); !status.ok()) {
      return status;
    }
  }
  m_instant = t;
  m_instant_events.push_back(Pending{std::move(event), line_no});
  return ok_status();
}

Status TraceChartState::flush_instant() {
  std::map<std::uint32_t, std::deque<Carried>> phone_sends;
  std::vector<std::pair<std::string, Carried>> relays;
  if (in_window(m_instant)) {
    m_last = m_instant;
    for (const Pending& p : m_instant_events) {
      const std::string ev = str_field(p.event, "ev");
      const std::string peer = str_field(p.event, "peer");
      const std::string group = str_field(p.event, "group");
      const auto phone = static_cast<std::uint32_t>(u64_or(p.event, "phone", 0));
      if (ev == "ph_msg_send") {
        const bool in_group = !group.empty();
        phone_sends[phone].push_back(Carried{
            (in_group ? "group msg c=" : "msg c=") + std::to_string(u64_or(p.event, "counter", 0)),
            ArrowKind::kAppMessage, peer, group});
      } else if (ev == "ph_keyshare_send") {
        phone_sends[phone].push_back(Carried{"key share", ArrowKind::kKeyShare, peer, group});
      } else if (ev == "srv_relay") {
        const bool envelope = p.event.contains("counter");
        Carried c{envelope ? "msg c=" + std::to_string(u64_or(p.event, "counter", 0)) : "key share",
                  envelope ? ArrowKind::kAppMessage : ArrowKind::kKeyShare,
                  str_field(p.event, "from"), ""};
        relays.emplace_back(str_field(p.event, "to"), std::move(c));
      }
    }
  }
  std::vector<Pending> events;
  events.swap(m_instant_events);
  for (const Pending& p : events) {
    if (auto status = handle(p.event, p.line_no, phone_sends, relays); !status.ok()) {
      return status;
    }
  }
  const std::size_t limit = std::max(kMinHeldItems, m_options.max_arrows * kHeldItemsPerArrow);
  if (in_window(m_instant) && m_chart.arrows.size() + m_chart.marks.size() >= limit) {
    m_to = m_instant;
    m_closed_early = true;
  }
  return ok_status();
}

Status TraceChartState::handle(const nlohmann::json& e, std::size_t line_no,
                               std::map<std::uint32_t, std::deque<Carried>>& phone_sends,
                               std::vector<std::pair<std::string, Carried>>& relays) {
  const std::string ev = str_field(e, "ev");
  const TimeUs t = m_instant;
  if (ev == "world" || ev == "ph_signed_up" || ev.starts_with("phone_") ||
      ev.starts_with("server_") || ev == "net_partition" || ev == "net_heal") {
    if (auto status = handle_state(ev, e, line_no); !status.ok()) {
      return status;
    }
  }
  if (ev == "inv_violation") {
    const TimeUs at = u64_or(e, "first_at", t);
    const std::string name = str_field(e, "invariant");
    if (name.empty()) {
      return line_error(m_source, line_no, "field invariant: missing or not a string");
    }
    if (in_window(at)) {
      const auto expected = e.find("expected");
      m_chart.violations.push_back(
          Violation{at, name, str_field(e, "detail"),
                    expected != e.end() && expected->is_boolean() && expected->get<bool>()});
    } else {
      // Without first_at the invariant was judged on the whole run, at its end.
      m_outside_violations.push_back(
          e.contains("first_at")
              ? name + " violated at " + format_time(at, false) + ", outside the window"
              : name + " violated (judged at the end of the run, " + format_time(at, false) + ")");
    }
    return ok_status();
  }
  if (ev == "net_deliver" || ev == "net_drop" || ev == "net_dup" || ev == "net_tamper") {
    return handle_arrival(ev, e, line_no);
  }
  if (!in_window(t)) {
    return ok_status();
  }
  if (ev == "net_send" || ev == "net_inject") {
    return handle_send(e, line_no, phone_sends, relays);
  }
  if (ev.starts_with("ph_") || ev == "app_deliver" || ev.starts_with("adv_") ||
      ev.starts_with("phase_")) {
    return handle_mark(ev, e, line_no);
  }
  return ok_status();
}

Status TraceChartState::handle_state(std::string_view ev, const nlohmann::json& e,
                                     std::size_t line_no) {
  const TimeUs t = m_instant;
  if (ev == "world") {
    const auto scenario = e.find("scenario");
    if (scenario != e.end() && scenario->is_object() && scenario->contains("phones") &&
        (*scenario)["phones"].is_number_unsigned()) {
      m_phone_count = (*scenario)["phones"].get<std::uint32_t>();
      for (std::uint32_t phone : m_options.phones) {
        if (phone >= *m_phone_count) {
          return line_error(m_source, line_no,
                            "phones: unknown phone " + std::to_string(phone) + " (the trace has " +
                                std::to_string(*m_phone_count) + " phones, 0.." +
                                std::to_string(*m_phone_count - 1) + ")");
        }
      }
    }
    return ok_status();
  }
  if (ev == "net_partition" || ev == "net_heal") {
    auto id = u64_field(e, "partition", m_source, line_no);
    if (!id.ok()) {
      return id.error();
    }
    if (ev == "net_partition") {
      std::vector<std::size_t> nodes;
      for (const auto& n : e.value("side", nlohmann::json::array())) {
        if (!n.is_number_unsigned()) {
          return line_error(m_source, line_no, "field side: not a list of node ids");
        }
        nodes.push_back(n.get<std::size_t>());
        open_band(nodes.back(), BandKind::kPartitioned, t);
      }
      m_partitions[*id] = std::move(nodes);
    } else if (auto it = m_partitions.find(*id); it != m_partitions.end()) {
      for (std::size_t node : it->second) {
        close_band(node, BandKind::kPartitioned, t);
      }
      m_partitions.erase(it);
    }
    return ok_status();
  }
  if (ev == "server_crash" || ev == "server_restart") {
    ev == "server_crash" ? open_band(0, BandKind::kCrashed, t)
                         : close_band(0, BandKind::kCrashed, t);
    return ok_status();
  }
  auto phone = u64_field(e, "phone", m_source, line_no);
  if (!phone.ok()) {
    return phone.error();
  }
  const std::size_t node = *phone + 1;
  if (ev == "ph_signed_up") {
    const std::string user = str_field(e, "peer");
    m_user_node[user] = node;
    m_node_user[node] = user;  // inside the window, handle() also draws it as a mark
  } else if (ev == "phone_offline") {
    open_band(node, BandKind::kOffline, t);
  } else if (ev == "phone_online") {
    close_band(node, BandKind::kOffline, t);
  } else if (ev == "phone_crash") {
    open_band(node, BandKind::kCrashed, t);
  } else if (ev == "phone_restart") {
    close_band(node, BandKind::kCrashed, t);
  }
  return ok_status();
}

Status TraceChartState::handle_send(const nlohmann::json& e, std::size_t line_no,
                                    std::map<std::uint32_t, std::deque<Carried>>& phone_sends,
                                    std::vector<std::pair<std::string, Carried>>& relays) {
  auto id = u64_field(e, "id", m_source, line_no);
  auto from = u64_field(e, "from", m_source, line_no);
  auto to = u64_field(e, "to", m_source, line_no);
  if (!id.ok() || !from.ok() || !to.ok()) {
    return !id.ok() ? id.error() : !from.ok() ? from.error() : to.error();
  }
  const std::string bytes = str_field(e, "bytes");
  const std::uint64_t len = u64_or(e, "len", 0);
  Carried c;
  if (auto frame = describe_frame(bytes)) {
    c.label = frame->label;
    c.kind = frame->ack ? ArrowKind::kAck : ArrowKind::kControl;
  } else if (*from != 0 && !phone_sends[static_cast<std::uint32_t>(*from - 1)].empty()) {
    auto& queue = phone_sends[static_cast<std::uint32_t>(*from - 1)];
    c = queue.front();
    queue.pop_front();
  } else if (auto it = std::find_if(relays.begin(), relays.end(),
                                    [&](const auto& r) {
                                      return *from == 0 && m_node_user.contains(*to) &&
                                             r.first == m_node_user.at(*to);
                                    });
             it != relays.end()) {
    c = it->second;
    relays.erase(it);
  } else {
    c.label = "data " + std::to_string(len) + " B";
  }
  Arrow arrow;
  arrow.sent = m_instant;
  arrow.arrived = m_instant;
  arrow.from = *from;
  arrow.to = *to;
  arrow.kind = c.kind;
  arrow.label = c.label;
  arrow.injected = str_field(e, "ev") == "net_inject";
  const std::string key = std::to_string(*from) + ">" + std::to_string(*to) + ":" + bytes;
  if (auto seen = m_seen_bytes.find(key); seen != m_seen_bytes.end() && c.kind != ArrowKind::kAck) {
    arrow.retransmit = true;
    arrow.label = m_chart.arrows[seen->second.arrow].label;
    arrow.kind = m_chart.arrows[seen->second.arrow].kind;
    c.peer = seen->second.peer;
    c.group = seen->second.group;
  }
  const std::size_t phone_node = *from == 0 ? *to : *from;
  if (!node_shown(*from) || !node_shown(*to) || !about_kept(phone_node, c.peer, c.group)) {
    ++m_filtered_out;
    return ok_status();
  }
  if (!bytes.empty() && !m_seen_bytes.contains(key)) {
    m_seen_bytes[key] = Seen{m_chart.arrows.size(), c.peer, c.group};
  }
  keep_arrow(std::move(arrow), *id);
  return ok_status();
}

void TraceChartState::keep_arrow(Arrow arrow, std::uint64_t id) {
  ++m_node_items[arrow.from];
  ++m_node_items[arrow.to];
  m_in_flight[id] = m_chart.arrows.size();
  m_chart.arrows.push_back(std::move(arrow));
}

Status TraceChartState::handle_arrival(std::string_view ev, const nlohmann::json& e,
                                       std::size_t line_no) {
  auto id = u64_field(e, "id", m_source, line_no);
  if (!id.ok()) {
    return id.error();
  }
  const TimeUs t = m_instant;
  const auto flying = m_in_flight.find(*id);
  if (ev == "net_tamper") {
    if (flying != m_in_flight.end()) {
      m_chart.arrows[flying->second].tampered = true;
    }
    return ok_status();
  }
  if (ev == "net_dup") {
    return ok_status();  // the extra copy shows when it arrives (or is lost)
  }
  if (flying != m_in_flight.end()) {
    Arrow& arrow = m_chart.arrows[flying->second];
    arrow.arrived = t;
    if (ev == "net_drop") {
      arrow.lost = true;
      arrow.lost_reason = str_field(e, "reason");
    }
    m_arrived[*id] = flying->second;
    m_in_flight.erase(flying);
    return ok_status();
  }
  // A second copy of a frame that already arrived: the network duplicated it.
  if (auto done = m_arrived.find(*id); done != m_arrived.end() && in_window(t)) {
    Arrow copy = m_chart.arrows[done->second];
    copy.arrived = t;
    copy.duplicate = true;
    copy.retransmit = false;
    copy.lost = ev == "net_drop";
    copy.lost_reason = copy.lost ? str_field(e, "reason") : "";
    m_chart.arrows.push_back(std::move(copy));
  }
  return ok_status();
}

Status TraceChartState::handle_mark(std::string_view ev, const nlohmann::json& e,
                                    std::size_t line_no) {
  const TimeUs t = m_instant;
  if (ev == "phase_safety" || ev == "phase_liveness") {
    m_chart.marks.push_back(Mark{t, kAllLanes,
                                 ev == "phase_safety" ? "safety phase begins: faults on"
                                                      : "liveness phase begins: faults off",
                                 MarkKind::kEvent});
    return ok_status();
  }
  auto user_words = [&](const std::string& user) {
    const auto node = node_of_user(user);
    return node ? "phone " + std::to_string(*node - 1) : shorten(user, 12);
  };
  if (ev.starts_with("adv_")) {
    const std::string from = str_field(e, "from");
    const std::string to = str_field(e, "to");
    const std::string owner = str_field(e, "owner");
    std::string label = "adversary: " + event_words(ev.substr(4));
    if (!from.empty() && !to.empty()) {
      label += " " + user_words(from) + " -> " + user_words(to);
    } else if (!owner.empty()) {
      label += " of " + user_words(owner);
    }
    if (e.contains("counter")) {
      label += " c=" + std::to_string(u64_or(e, "counter", 0));
    }
    if (const std::string detail = str_field(e, "detail"); !detail.empty()) {
      label += ": " + shorten(detail, 40);
    }
    // Kept in a conversation when it names both ends: from and to, or the phone it acted on
    // and the owner of the certificate it substituted there (adv_cert).
    const bool kept = !m_options.conversation ||
                      about_kept(node_of_user(from).value_or(0), to, "") ||
                      about_kept(node_of_user(to).value_or(0), from, "") ||
                      (e.contains("phone") && about_kept(u64_or(e, "phone", 0) + 1, owner, ""));
    if (kept) {
      m_chart.marks.push_back(Mark{t, 0, std::move(label), MarkKind::kAdversary});
      ++m_node_items[0];
    }
    return ok_status();
  }
  auto phone = u64_field(e, "phone", m_source, line_no);
  if (!phone.ok()) {
    return phone.error();
  }
  const std::size_t node = *phone + 1;
  std::string label;
  std::string peer;
  MarkKind kind = MarkKind::kEvent;
  const std::string group = str_field(e, "group");
  if (ev == "app_deliver") {
    peer = str_field(e, "from");
    label = "delivered msg from " + user_words(peer);
    if (!group.empty()) {
      label += " in " + shorten(group, 20);
    }
    kind = MarkKind::kDelivered;
  } else {
    // Sends are the arrows' labels; an accepted message is the app_deliver that follows.
    if (ev == "ph_msg_send" || ev == "ph_keyshare_send" || ev == "ph_msg_accept") {
      return ok_status();
    }
    peer = str_field(e, "peer");
    label = event_words(ev);
    if (ev.find("msg") != std::string_view::npos) {
      label += " c=" + std::to_string(u64_or(e, "counter", 0));
    }
    if (!peer.empty() && ev != "ph_signed_up") {
      label += " " + user_words(peer);
    }
    if (const std::string detail = str_field(e, "detail"); !detail.empty() && detail.size() <= 24) {
      label += " (" + detail + ")";
    }
    if (ev.find("reject") != std::string_view::npos || ev.find("fail") != std::string_view::npos ||
        ev.find("mismatch") != std::string_view::npos) {
      kind = MarkKind::kRejected;
    }
  }
  if (!node_shown(node) || !about_kept(node, peer, group)) {
    ++m_filtered_out;
    return ok_status();
  }
  ++m_node_items[node];
  m_chart.marks.push_back(Mark{t, node, std::move(label), kind});
  return ok_status();
}

void TraceChartState::open_band(std::size_t node, BandKind kind, TimeUs t) {
  m_open_bands.try_emplace({node, static_cast<int>(kind)}, t);
}

void TraceChartState::close_band(std::size_t node, BandKind kind, TimeUs t) {
  const auto it = m_open_bands.find({node, static_cast<int>(kind)});
  if (it == m_open_bands.end()) {
    return;
  }
  const TimeUs from = std::max(it->second, m_from);
  m_open_bands.erase(it);
  if (t >= m_from && from <= m_to && node_shown(node)) {
    m_chart.bands.push_back(Band{from, std::min(t, m_to), node, kind});
  }
}

bool TraceChartState::node_shown(std::size_t node) const {
  if (node == 0) {
    return true;
  }
  if (m_options.conversation) {
    return conversation_node(m_options.conversation->first) == node ||
           conversation_node(m_options.conversation->second) == node;
  }
  return m_phone_filter.empty() || m_phone_filter.contains(node);
}

bool TraceChartState::about_kept(std::size_t node, const std::string& peer,
                                 const std::string& group) const {
  if (m_options.conversation) {
    const auto a = conversation_node(m_options.conversation->first);
    const auto b = conversation_node(m_options.conversation->second);
    const auto other = node_of_user(peer);
    return a && b && other && ((node == *a && *other == *b) || (node == *b && *other == *a));
  }
  if (m_options.group) {
    return group == *m_options.group || peer == *m_options.group;
  }
  return true;
}

std::optional<std::size_t> TraceChartState::node_of_user(const std::string& user) const {
  const auto it = m_user_node.find(user);
  return it == m_user_node.end() ? std::nullopt : std::optional<std::size_t>(it->second);
}

std::optional<std::size_t> TraceChartState::conversation_node(const std::string& name) const {
  if (is_index(name)) {
    return static_cast<std::size_t>(std::stoul(name)) + 1;
  }
  return node_of_user(name);
}

}  // namespace spmc::sim::chart_detail
