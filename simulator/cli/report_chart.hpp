#pragma once
// The sequence chart on a `spmc sim --report` page, drawn from the run's own trace
// (spmc_sim_chart): around the first violation when an invariant failed, else one
// conversation (the one the user chose, or that of the first message a user received).
#include <optional>
#include <string>
#include <utility>

#include "args.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::cli {

struct ReportChart {
  std::optional<std::string> svg;  // one <svg> element
  std::string caption;             // what the chart shows, or why there is none
  bool bad_choice = false;         // the user's --report-conversation names no phone or user
};

// `trace_file` is the trace as written so far (complete: the run has ended).
ReportChart report_chart(const std::string& trace_file, const sim::Report& report,
                         const std::optional<Conversation>& conversation);

}  // namespace spmc::cli
