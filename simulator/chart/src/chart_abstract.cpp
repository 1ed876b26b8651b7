// Abstract traces (`spmc sim --abstract`, one JSON object a line: t, ev, a, b, x) and SPIN
// counterexamples (models/*/counterexamples/*.txt: "#    3 keyshare_send(A,B,1)" header lines)
// as charts over the principals A, B, C and S (models/README.md). A send and the event that
// completes it (keyshare_send .. keyshare_accept, msg_send .. msg_deliver) become one arrow;
// a rejection or a drop ends it in a cross; what has no partner is an instant arrow between
// its two principals or a mark on the one that acts. A counterexample has no clock: its time
// is the step number.
#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>

#include "chart_internal.hpp"

namespace spmc::sim::chart_detail {
namespace {

struct AbstractStep {
  TimeUs t = 0;
  std::string name, a, b, x;
};

// The principals by their codes in events.pml: net = 0, A = 1, B = 2, C = 3, S = 4.
constexpr std::array<std::string_view, 5> kPrincipals{"net", "A", "B", "C", "S"};

struct Completion {
  std::string_view send;
  bool fails;  // the completion refuses what was sent
};

// The event that completes `name`, when `name` completes a send.
std::optional<Completion> completes(std::string_view name) {
  if (name == "keyshare_accept" || name == "keyshare_reject") {
    return Completion{"keyshare_send", name == "keyshare_reject"};
  }
  if (name == "msg_deliver" || name == "msg_reject") {
    return Completion{"msg_send", name == "msg_reject"};
  }
  if (name == "u2u_hash_recv") {
    return Completion{"u2u_hash_send", false};
  }
  if (name == "u2u_auth_ok" || name == "u2u_auth_fail") {
    return Completion{"u2u_auth_send", name == "u2u_auth_fail"};
  }
  return std::nullopt;
}

bool is_send(std::string_view name) {
  return name == "keyshare_send" || name == "msg_send" || name == "u2u_hash_send" ||
         name == "u2u_auth_send";
}

class AbstractChartBuilder {
 public:
  explicit AbstractChartBuilder(Chart& chart) : m_chart(chart) {}

  void add(const AbstractStep& s) {
    m_last = s.t;
    const std::string label = s.name + "(" + s.a + "," + s.b + "," + s.x + ")";
    const auto pending_key = [&](std::string_view send, const std::string& from,
                                 const std::string& to) {
      return std::string(send) + "|" + from + "|" + to + "|" + s.x;
    };
    if (is_send(s.name) && is_lane(s.b)) {
      Arrow a;
      a.sent = a.arrived = s.t;
      a.from = lane(s.a);
      a.to = lane(s.b);
      a.label = label;
      a.kind = ArrowKind::kAbstract;
      m_pending[pending_key(s.name, s.a, s.b)] = m_chart.arrows.size();
      m_chart.arrows.push_back(std::move(a));
      return;
    }
    if (auto done = completes(s.name)) {
      const auto it = m_pending.find(pending_key(done->send, s.b, s.a));
      if (it != m_pending.end()) {
        Arrow& a = m_chart.arrows[it->second];
        a.arrived = s.t;
        m_pending.erase(it);
        if (done->fails) {
          m_chart.marks.push_back(Mark{s.t, lane(s.a), label, MarkKind::kRejected});
        }
        return;
      }
    }
    if ((s.name == "msg_drop" || s.name == "msg_dup") && s.a == "net") {
      // The copy of msg_send(?, b, x) in flight: find its sender.
      for (auto& [key, index] : m_pending) {
        if (key.starts_with("msg_send|") && key.ends_with("|" + s.b + "|" + s.x)) {
          Arrow& a = m_chart.arrows[index];
          if (s.name == "msg_drop") {
            a.lost = true;
            a.lost_reason = "msg_drop";
            a.arrived = s.t;
            const std::string done_key = key;
            m_pending.erase(done_key);
          } else {
            a.duplicate = true;
          }
          return;
        }
      }
    }
    if (s.name == "phone_offline" || s.name == "phone_online") {
      if (s.name == "phone_offline") {
        m_offline.try_emplace(lane(s.a), s.t);
      } else if (auto it = m_offline.find(lane(s.a)); it != m_offline.end()) {
        m_chart.bands.push_back(Band{it->second, s.t, it->first, BandKind::kOffline});
        m_offline.erase(it);
      }
      return;
    }
    if (s.a == "net" && s.b == "net") {
      m_chart.marks.push_back(Mark{s.t, kAllLanes, label, MarkKind::kEvent});
      return;
    }
    if (s.name == "server_read") {
      m_chart.marks.push_back(
          Mark{s.t, lane(s.a),
               label + (s.x == "0" ? ": reads the key share of " : ": reads a message of ") + s.b,
               MarkKind::kAdversary});
      return;
    }
    if (is_lane(s.a) && is_lane(s.b) && s.a != s.b) {
      Arrow a;
      a.sent = a.arrived = s.t;
      a.from = lane(s.a);
      a.to = lane(s.b);
      a.label = label;
      a.kind = ArrowKind::kAbstract;
      // A certificate naming one principal for another's key: the substitution itself.
      a.tampered = s.name == "cert_issue" && s.x != s.b;
      m_chart.arrows.push_back(std::move(a));
      return;
    }
    m_chart.marks.push_back(Mark{s.t, lane(is_lane(s.a) ? s.a : s.b), label,
                                 s.name.ends_with("reject") || s.name.ends_with("fail")
                                     ? MarkKind::kRejected
                                     : MarkKind::kEvent});
  }

  void finish(std::string_view property, std::string_view model) {
    for (const auto& [key, index] : m_pending) {
      m_chart.arrows[index].in_flight = true;
      m_chart.arrows[index].arrived = m_last;
    }
    for (const auto& [l, from] : m_offline) {
      m_chart.bands.push_back(Band{from, m_last, l, BandKind::kOffline});
    }
    if (!property.empty()) {
      m_chart.violations.push_back(Violation{
          m_last, std::string(property), "SPIN counterexample of " + std::string(model), false});
    }
    // Lanes were numbered in order of appearance; draw them A, B, C, S.
    std::vector<std::size_t> order(m_names.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
      return rank(m_names[x]) < rank(m_names[y]);
    });
    std::vector<std::size_t> lane_of(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      lane_of[order[i]] = i;
      m_chart.lifelines.push_back(
          Lifeline{m_names[order[i]], m_names[order[i]] == "S" ? "server, CA" : ""});
    }
    for (Arrow& a : m_chart.arrows) {
      a.from = lane_of[a.from];
      a.to = lane_of[a.to];
    }
    for (Mark& m : m_chart.marks) {
      m.lane = m.lane == kAllLanes ? kAllLanes : lane_of[m.lane];
    }
    for (Band& b : m_chart.bands) {
      b.lane = lane_of[b.lane];
    }
    m_chart.window_to = m_last;
  }

 private:
  static bool is_lane(const std::string& p) { return !p.empty() && p != "net"; }
  static std::size_t rank(const std::string& p) {
    const auto* it = std::find(kPrincipals.begin(), kPrincipals.end(), p);
    return it == kPrincipals.end() ? kPrincipals.size()
                                   : static_cast<std::size_t>(it - kPrincipals.begin());
  }
  std::size_t lane(const std::string& p) {
    const auto it = std::find(m_names.begin(), m_names.end(), p);
    if (it != m_names.end()) {
      return static_cast<std::size_t>(it - m_names.begin());
    }
    m_names.push_back(p);
    return m_names.size() - 1;
  }

  Chart& m_chart;
  std::vector<std::string> m_names;
  std::map<std::string, std::size_t> m_pending;
  std::map<std::size_t, TimeUs> m_offline;
  TimeUs m_last = 0;
};

// "cert_issue(S,B,S)" -> its parts, or nothing.
std::optional<AbstractStep> parse_call(std::string_view text) {
  const std::size_t open = text.find('(');
  if (open == std::string_view::npos || open == 0 || !text.ends_with(")")) {
    return std::nullopt;
  }
  AbstractStep s;
  s.name = std::string(text.substr(0, open));
  std::string_view args = text.substr(open + 1, text.size() - open - 2);
  std::array<std::string*, 3> out{&s.a, &s.b, &s.x};
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::size_t comma = args.find(',');
    if ((i < 2) == (comma == std::string_view::npos)) {
      return std::nullopt;
    }
    *out[i] = std::string(i < 2 ? args.substr(0, comma) : args);
    if (out[i]->empty()) {
      return std::nullopt;
    }
    args = i < 2 ? args.substr(comma + 1) : std::string_view();
  }
  return s;
}

std::string principal_text(const nlohmann::json& v) {
  if (v.is_string()) {
    return v.get<std::string>();
  }
  if (v.is_number_unsigned() && v.get<std::uint64_t>() < kPrincipals.size()) {
    return std::string(kPrincipals[v.get<std::size_t>()]);
  }
  return "";
}

// "key=value" out of the counterexample's first line.
std::string header_field(std::string_view line, std::string_view key) {
  const std::string needle = std::string(key) + "=";
  const std::size_t at = line.find(needle);
  if (at == std::string_view::npos) {
    return "";
  }
  const std::size_t from = at + needle.size();
  return std::string(line.substr(from, line.find(' ', from) - from));
}

}  // namespace

Result<Chart> read_abstract_chart(std::istream& in, std::string_view source,
                                  const ChartOptions& options, std::string first, InputKind kind) {
  Chart chart;
  chart.source = std::string(source);
  chart.steps = kind == InputKind::kCounterexample;
  chart.kind = chart.steps ? "counterexample" : "abstract trace";
  chart.window_from = options.from_us.value_or(0);
  AbstractChartBuilder builder(chart);
  std::string property;
  std::string model;
  std::string line = std::move(first);
  std::size_t line_no = 1;
  TimeUs last_t = 0;
  std::size_t events = 0;
  for (bool have = true; have; have = static_cast<bool>(std::getline(in, line)) && ++line_no > 0) {
    if (line.empty()) {
      continue;
    }
    AbstractStep step;
    if (chart.steps) {
      if (!line.starts_with("#")) {
        break;  // the spin -t -p replay follows the decoded header
      }
      if (line.starts_with("# counterexample:")) {
        property = header_field(line, "property");
        const std::size_t colon = line.find(':');
        // "# counterexample: MODEL ...": a line cut short names no model.
        model = colon + 2 < line.size()
                    ? std::string(line.substr(colon + 2, line.find(' ', colon + 2) - colon - 2))
                    : std::string();
        continue;
      }
      const std::size_t digits = line.find_first_not_of(' ', 1);
      if (digits == std::string::npos || line[digits] < '0' || line[digits] > '9') {
        if (line.starts_with("# spin")) {
          break;
        }
        continue;  // another header line ("# abstract trace ...")
      }
      const std::size_t space = line.find(' ', digits);
      // The call after the step number; a number followed by nothing (or only spaces) has none.
      const std::size_t call_at =
          space == std::string::npos ? std::string::npos : line.find_first_not_of(' ', space);
      auto call = call_at == std::string::npos ? std::nullopt : parse_call(line.substr(call_at));
      if (!call) {
        return line_error(source, line_no, "not an abstract event (name(a,b,x))");
      }
      step = *call;
      const std::string number = line.substr(digits, space - digits);
      if (number.size() > 9 || number.find_first_not_of("0123456789") != std::string::npos) {
        return line_error(source, line_no, "not a step number: '" + number + "'");
      }
      step.t = std::stoull(number);
    } else {
      const auto e = nlohmann::json::parse(line, nullptr, false);
      if (e.is_discarded() || !e.is_object()) {
        return line_error(source, line_no,
                          "not JSON (an abstract trace has one JSON object a line)");
      }
      if (!e.contains("ev") || !e["ev"].is_string() || !e.contains("a") || !e.contains("b") ||
          !e.contains("x") || !e["x"].is_number_integer()) {
        return line_error(source, line_no,
                          "not an abstract event (needs ev, a, b and an integer x)");
      }
      step.name = e["ev"].get<std::string>();
      step.a = principal_text(e["a"]);
      step.b = principal_text(e["b"]);
      if (step.a.empty() || step.b.empty()) {
        return line_error(source, line_no, "field a or b: not a principal (net, A, B, C, S)");
      }
      step.x = step.name == "cert_issue" ? principal_text(e["x"])
                                         : std::to_string(e["x"].get<std::int64_t>());
      step.t = e.contains("t") && e["t"].is_number_unsigned() ? e["t"].get<TimeUs>() : events + 1;
    }
    if (step.t < last_t) {
      return line_error(source, line_no, "time goes backwards");
    }
    last_t = step.t;
    if (step.t < chart.window_from || (options.to_us && step.t > *options.to_us)) {
      continue;
    }
    builder.add(step);
    ++events;
  }
  if (in.bad()) {
    return line_error(source, line_no, "read error");
  }
  if (events == 0) {
    return make_error(ErrorCode::kBadValue,
                      std::string(source) + ": empty window: no abstract event" +
                          (options.from_us || options.to_us ? " in the window" : ""));
  }
  builder.finish(property, model);
  if (!options.phones.empty() || options.conversation || options.group) {
    chart.notes.push_back(
        "--phones, --conversation and --group apply to full traces; all principals are shown");
  }
  finish_chart(chart, options.max_arrows);
  return chart;
}

}  // namespace spmc::sim::chart_detail
