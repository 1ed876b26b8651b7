#include "report_chart.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "spmc/sim/chart.hpp"

namespace spmc::cli {
namespace {

// The two ends of the first message a user received (app_deliver: the receiving phone's
// index and the sender's user id), read from the start of the trace up to that line only.
std::optional<std::pair<std::string, std::string>> first_conversation(std::istream& in) {
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("\"ev\":\"app_deliver\"") > 32) {
      continue;
    }
    const auto e = nlohmann::json::parse(line, nullptr, false);
    if (e.is_discarded() || !e.is_object() || !e.contains("phone") || !e.contains("from") ||
        !e["phone"].is_number_unsigned() || !e["from"].is_string()) {
      return std::nullopt;
    }
    return std::pair{std::to_string(e["phone"].get<std::uint64_t>()), e["from"].get<std::string>()};
  }
  return std::nullopt;
}

bool any_violation(const sim::Report& report) {
  for (const sim::InvariantResult& i : report.invariants) {
    if (!i.held) {
      return true;
    }
  }
  return false;
}

}  // namespace

ReportChart report_chart(const std::string& trace_file, const sim::Report& report,
                         const std::optional<Conversation>& conversation) {
  std::ifstream in(trace_file, std::ios::binary);
  if (!in) {
    return {std::nullopt, "the trace could not be read back", false};
  }
  sim::ChartOptions options;
  std::string caption;
  if (conversation) {
    options.conversation = conversation;
    caption = "The conversation " + conversation->first + ":" + conversation->second +
              " (--report-conversation), from the start of the run.";
  } else if (any_violation(report)) {
    options.around_failure = true;
    caption =
        "Around the first violation: 3 s before and 1 s after the moment a check made as events "
        "happen first failed; when every violation was judged at the end of the run, 1 s "
        "before to 4 s after the first adversary action, or the end of the run without one.";
  } else {
    options.conversation = first_conversation(in);
    if (!options.conversation) {
      return {std::nullopt,
              "no user received a message in this run, so there is no conversation to draw", false};
    }
    caption =
        "Every invariant held; this is the conversation of the first message a user "
        "received (phone " +
        options.conversation->first + " and user " + options.conversation->second +
        "), from the start of the run. --report-conversation A:B draws another.";
    in.clear();
    in.seekg(0);
  }
  auto chart = sim::read_chart(in, "trace.jsonl", options);
  if (!chart.ok()) {
    return {std::nullopt, chart.error().detail, conversation.has_value()};
  }
  return {sim::render_svg(*chart), caption, false};
}

}  // namespace spmc::cli
