#pragma once
// Self-contained HTML pages of runs (spmc sim|sweep --report DIR): one file a person opens in
// a browser with no network, holding its CSS, the Chart.js library (Debian libjs-chart.js,
// embedded at build time with its licence banner), the plots' data as one JSON block and the
// script that draws them. Rendering is pure: the same input gives the same bytes, no clock,
// no files. Every text from a run (invariant details, scenario names, commands) is escaped.
//
// The structure a browser test relies on (tests/browser/check_page.mjs):
//   #verdict[data-verdict=pass|fail|stopped]    the verdict line
//   table#invariants tr[data-invariant=NAME]    one row per invariant of the report
//   canvas[data-plot=ID]                        one Chart.js chart each
//   #chart svg                                  the sequence chart, when one was given
//   #replay                                     the command that runs this again
//   script#report-data                          the page's data (JSON)
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "spmc/sim/world.hpp"

namespace spmc::sim {

struct RunPage {
  Report report;               // with Report::series for the plots (WorldOptions::series)
  std::string replay_command;  // the shell command that runs this world again
  std::string trace_href;      // where the run's JSONL trace is (a relative link or a path)
  // One <svg> element (spmc chart), placed in the page as it is; nothing: "no chart".
  std::optional<std::string> chart_svg;
  // What the chart shows (a window, a conversation), or why there is none.
  std::string chart_caption;
};

std::string render_run_page(const RunPage& page);

// One seed of a sweep, as its page shows it.
struct SweepSeed {
  std::uint64_t seed = 0;
  bool pass = false;
  std::string verdict;              // Report::verdict
  std::vector<std::string> failed;  // invariants that went against the scenario
  LatencySummary latency;
  std::uint64_t events = 0;
  std::uint64_t peak_store_depth = 0;
  std::string replay_command;  // only for a failing seed
};

struct SweepPage {
  std::string scenario;  // name, or "swarm"
  std::string profile;
  std::string summary;   // the sweep's own summary line
  std::string command;   // the sweep command as run
  bool stopped = false;  // cut short by a limit (summary says why)
  std::vector<SweepSeed> seeds;
};

std::string render_sweep_page(const SweepPage& page);

}  // namespace spmc::sim
