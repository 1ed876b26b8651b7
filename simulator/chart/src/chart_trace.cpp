// A full simulator trace as a chart. Each line is looked at first through its fixed prefix
// {"t":N,"ev":"kind" (TraceLine writes every event that way), so a line outside the window,
// or of a kind the chart does not draw, costs a few comparisons and no JSON parse: a
// gigabyte trace streams. Lines of one instant are gathered and handled together, because
// what a frame carries is told by the event its sender recorded at the same instant (a
// phone's ph_msg_send, the server's srv_relay); the frame bytes themselves are opaque or
// hashed. The whole file is read, since the verdict lines (inv_violation) come last; past the
// window that is the prefix check alone.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "chart_internal.hpp"
#include "chart_trace_state.hpp"

namespace spmc::sim::chart_detail {
namespace {

struct Prefix {
  TimeUs t = 0;
  std::string_view ev;
};

// The fixed prefix, or nothing when the line is not written that way (then it is parsed).
std::optional<Prefix> fast_prefix(std::string_view line) {
  constexpr std::string_view kT = "{\"t\":";
  constexpr std::string_view kEv = ",\"ev\":\"";
  if (!line.starts_with(kT)) {
    return std::nullopt;
  }
  std::size_t i = kT.size();
  TimeUs t = 0;
  const std::size_t digits_from = i;
  while (i < line.size() && line[i] >= '0' && line[i] <= '9') {
    if (t > (std::numeric_limits<TimeUs>::max() - 9) / 10) {
      return std::nullopt;
    }
    t = t * 10 + static_cast<TimeUs>(line[i] - '0');
    ++i;
  }
  if (i == digits_from || line.substr(i, kEv.size()) != kEv) {
    return std::nullopt;
  }
  i += kEv.size();
  const std::size_t end = line.find('"', i);
  if (end == std::string_view::npos) {
    return std::nullopt;
  }
  return Prefix{t, line.substr(i, end - i)};
}

// Kinds whose state matters before the window opens (who is who, who is offline).
bool tracks_state(std::string_view ev) {
  return ev == "world" || ev == "ph_signed_up" || ev == "phone_offline" || ev == "phone_online" ||
         ev == "phone_crash" || ev == "phone_restart" || ev == "server_crash" ||
         ev == "server_restart" || ev == "net_partition" || ev == "net_heal";
}

// Kinds that only finish something begun inside the window.
bool resolves_pending(std::string_view ev) {
  return ev == "net_deliver" || ev == "net_drop" || ev == "net_dup" || ev == "net_tamper";
}

}  // namespace

Result<Chart> read_trace_chart(std::istream& in, std::string_view source,
                               const ChartOptions& options, std::string first) {
  TraceChartState state(source, options);
  std::string line = std::move(first);
  std::size_t line_no = 1;
  TimeUs last_t = 0;
  bool have_line = true;
  while (have_line) {
    if (!line.empty()) {
      std::optional<Prefix> prefix = fast_prefix(line);
      nlohmann::json parsed;
      if (!prefix) {
        parsed = nlohmann::json::parse(line, nullptr, false);
        if (parsed.is_discarded() || !parsed.is_object()) {
          return line_error(source, line_no, "not JSON (a trace has one JSON object a line)");
        }
        if (!parsed.contains("t") || !parsed["t"].is_number_unsigned() || !parsed.contains("ev") ||
            !parsed["ev"].is_string()) {
          return line_error(source, line_no,
                            "not a trace event (needs \"t\": virtual microseconds and \"ev\")");
        }
        prefix = Prefix{parsed["t"].get<TimeUs>(), parsed["ev"].get_ref<const std::string&>()};
      }
      if (prefix->t < last_t) {
        return line_error(source, line_no,
                          "time goes backwards (" + std::to_string(prefix->t) + " after " +
                              std::to_string(last_t) + ")");
      }
      last_t = prefix->t;
      if (state.wants(prefix->t, prefix->ev, tracks_state(prefix->ev),
                      resolves_pending(prefix->ev))) {
        if (parsed.is_null()) {
          parsed = nlohmann::json::parse(line, nullptr, false);
          if (parsed.is_discarded() || !parsed.is_object()) {
            return line_error(source, line_no, "not JSON (a trace has one JSON object a line)");
          }
        }
        if (auto status = state.take(prefix->t, std::move(parsed), line_no); !status.ok()) {
          return status.error();
        }
      }
    }
    have_line = static_cast<bool>(std::getline(in, line));
    if (have_line) {
      ++line_no;
    }
  }
  if (in.bad()) {
    return line_error(source, line_no, "read error");
  }
  return state.finish();
}

}  // namespace spmc::sim::chart_detail
