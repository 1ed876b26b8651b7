// `spmc sim`: run one scenario with one seed and print the verdict.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "args.hpp"
#include "commands.hpp"
#include "invocation.hpp"
#include "output_file.hpp"
#include "report_chart.hpp"
#include "report_dir.hpp"
#include "run_limits.hpp"
#include "scenario_arg.hpp"
#include "spmc/sim/invariants.hpp"
#include "spmc/sim/names.hpp"
#include "spmc/sim/report_page.hpp"
#include "spmc/sim/world.hpp"
#include "swarm_arg.hpp"

namespace spmc::cli {

namespace {

struct SimArgs {
  std::string scenario_path;
  std::string profile;            // --profile NAME|FILE
  std::vector<std::string> sets;  // --set PATH=VALUE, in order
  std::uint64_t seed = 1;
  bool json = false;
  std::string trace_path;
  std::string abstract_path;
  std::string report_dir;  // --report DIR: DIR/index.html (and DIR/trace.jsonl)
  std::optional<Conversation> report_conversation;  // the page's chart, when chosen
  std::string bug = "none";
  std::vector<std::string> invariants;  // opt-in invariants also judged (--invariant)
  RunLimitArgs limits;
  SwarmArgs swarm;
  bool print_scenario = false;
};

// A progress line on a terminal, for runs long enough to leave the user wondering: nothing
// in the first second, then at most a few updates a second, erased before the report. Never
// on a pipe or file, and never in stdout or the trace.
class ProgressLine {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr auto kQuietStart = std::chrono::seconds(1);
  static constexpr auto kInterval = std::chrono::milliseconds(200);

  void show(const sim::RunProgress& p) {
    const auto now = Clock::now();
    if (now - m_start < kQuietStart || now - m_last < kInterval) {
      return;
    }
    m_last = now;
    m_shown = true;
    std::fprintf(stderr, "\r\033[Ksim: %.*s phase, %llu of %llu s simulated, %llu events",
                 static_cast<int>(p.phase.size()), p.phase.data(),
                 static_cast<unsigned long long>(p.sim_time_ms / 1000),
                 static_cast<unsigned long long>(p.phase_end_ms / 1000),
                 static_cast<unsigned long long>(p.events));
    std::fflush(stderr);
  }
  void clear() const {
    if (m_shown) {
      std::fputs("\r\033[K", stderr);
    }
  }

 private:
  Clock::time_point m_start = Clock::now();
  Clock::time_point m_last;
  bool m_shown = false;
};

// The command that runs this world again: the replay line of a failure names the program as
// it was run; the report page names it `spmc`, so the page's bytes do not depend on where
// the binary was run from.
std::vector<std::string> replay_words(const SimArgs& a) {
  std::vector<std::string> replay{"sim"};
  const auto rebuild = world_replay_args(a.scenario_path, a.profile, a.sets, a.swarm, a.seed);
  replay.insert(replay.end(), rebuild.begin(), rebuild.end());
  if (a.bug != "none") {
    replay.insert(replay.end(), {"--inject-bug", a.bug});
  }
  for (const std::string& name : a.invariants) {
    replay.insert(replay.end(), {"--invariant", name});
  }
  return replay;
}

int run_sim(const SimArgs& a) {
  const RunLimits limits = run_limits(a.limits);
  const auto loaded = scenario_for(a.scenario_path, a.profile, a.sets, a.swarm, a.seed);
  if (!loaded) {
    return kExitUsage;
  }
  const sim::Scenario& scenario = *loaded;
  if (a.print_scenario) {  // a file spmc sim loads back into this very world
    std::fputs((sim::scenario_to_json(scenario).dump(2) + "\n").c_str(), stdout);
    return kExitPass;
  }
  if (const auto done = check_estimate(scenario, a.scenario_path, limits, false)) {
    return *done;
  }
  sim::WorldOptions options;
  options.server_bug = bug_by_name(a.bug).server;
  options.phone_bug = bug_by_name(a.bug).phone;
  for (const std::string& name : a.invariants) {  // checked when the command line was parsed
    options.invariants.push_back(sim::invariant_by_name(name).value());
  }
  // Both files are opened before the run (a bad path costs nothing) and committed after it,
  // together: a failure leaves any older trace in place and never reports a verdict.
  if (!a.trace_path.empty() && a.trace_path == a.abstract_path) {
    std::fprintf(stderr, "spmc: error: --abstract: %s is also the --trace file\n",
                 a.abstract_path.c_str());
    return kExitUsage;
  }
  if (a.report_conversation && a.report_dir.empty()) {
    std::fprintf(stderr, "spmc: error: --report-conversation: only with --report DIR\n");
    return kExitUsage;
  }
  OutputSet outputs;
  // --report: the page needs the series, and a trace to link to (its own unless --trace).
  std::ostream* page_out = nullptr;
  std::string trace_href;
  if (!a.report_dir.empty()) {
    if (auto error = prepare_report_dir(a.report_dir)) {
      std::fprintf(stderr, "spmc: error: --report: %s: %s\n", error->path.c_str(),
                   error->reason.c_str());
      return kExitUsage;
    }
    options.series = true;
    page_out = outputs.open(report_file(a.report_dir, "index.html"));
    if (a.trace_path.empty()) {
      options.trace_sink = outputs.open(report_file(a.report_dir, "trace.jsonl"));
      trace_href = "trace.jsonl";
    } else {
      trace_href = link_from_report(a.report_dir, a.trace_path);
    }
  }
  if (!a.trace_path.empty()) {
    options.trace_sink = outputs.open(a.trace_path);
  }
  if (!a.abstract_path.empty()) {
    options.abstract_sink = outputs.open(a.abstract_path);
  }
  if (auto error = outputs.error()) {
    print_output_error(*error);
    return kExitUsage;
  }
  ProgressLine progress;
  if (isatty(fileno(stderr)) != 0) {
    options.progress = [&progress](const sim::RunProgress& p) { progress.show(p); };
  }
  const WallDeadline deadline(limits.max_wall_s);
  options.stop = stop_condition(limits.max_events, deadline);
  options.stop_reason = wall_stop_reason(limits.max_wall_s);
  sim::World world(scenario, a.seed, options);
  const sim::Report report = world.run();
  progress.clear();
  if (page_out != nullptr) {
    sim::RunPage page{report, portable_command(replay_words(a)), trace_href, std::nullopt, {}};
    // The chart comes from the trace just written (still a temporary until the commit).
    const std::string trace_out =
        a.trace_path.empty() ? report_file(a.report_dir, "trace.jsonl") : a.trace_path;
    if (const auto written = outputs.written_so_far(trace_out)) {
      ReportChart chart = report_chart(*written, report, a.report_conversation);
      if (chart.bad_choice) {  // nothing is committed: the OutputSet removes its temporaries
        std::fprintf(stderr, "spmc: error: --report-conversation: %s\n", chart.caption.c_str());
        return kExitUsage;
      }
      page.chart_svg = std::move(chart.svg);
      page.chart_caption = std::move(chart.caption);
    } else {
      page.chart_caption = "the trace went to a device or pipe, so it cannot be read back";
    }
    *page_out << sim::render_run_page(page);
  }
  if (auto error = outputs.commit()) {
    print_output_error(*error);
    return kExitUsage;
  }
  std::fputs((a.json ? sim::render_json(report) : sim::render_text(report)).c_str(), stdout);
  flush_stdout();  // the report before the replay line, also when both go to one pipe
  if (report.stopped) {
    return kExitUsage;  // not judged: neither a pass nor a failure to replay
  }
  if (!report.pass) {
    std::fprintf(stderr, "replay: %s\n", shell_command(replay_words(a)).c_str());
  }
  return report.pass ? kExitPass : kExitFail;
}

}  // namespace

void add_sim_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SimArgs>();
  auto* cmd = app.add_subcommand("sim", "Run a scenario in the deterministic simulator");
  cmd->add_option("scenario", args->scenario_path,
                  "Scenario file (JSON, simulator/scenarios/SCHEMA.md); default: built-in default");
  add_u64_option(*cmd, "--seed", args->seed, 0, kU64Max, "World seed");
  add_profile_option(*cmd, args->profile);
  add_set_option(*cmd, args->sets);
  cmd->add_flag("--json", args->json, "Print the report as one JSON object");
  cmd->add_option("--trace", args->trace_path, "Write the JSONL event trace to this file");
  cmd->add_option("--abstract", args->abstract_path,
                  "Write the abstract trace (ratchet model, one pair; models/README.md) to this "
                  "file, for models/check_trace.py");
  cmd->add_option("--report", args->report_dir,
                  "Write a self-contained HTML report (verdict, invariants, plots) to "
                  "DIR/index.html, and the trace to DIR/trace.jsonl unless --trace is given")
      ->type_name("DIR");
  add_conversation_option(*cmd, "--report-conversation", args->report_conversation,
                          "The --report page charts this conversation (A:B, phone indexes or "
                          "user ids); default: around the first failure, else the first "
                          "conversation that delivered a message");
  add_choice_option(*cmd, "--inject-bug", args->bug, "bug", bug_names(),
                    "Run a deliberately broken server to show the checkers catch it");
  add_choice_option(*cmd, "--invariant", args->invariants, "invariant",
                    sim::known_invariant_names(),
                    "Also judge this opt-in invariant (repeatable), e.g. acked_items_deleted");
  add_run_limit_options(*cmd, args->limits);
  add_swarm_options(*cmd, args->swarm);
  cmd->add_flag("--print-scenario", args->print_scenario,
                "Print the scenario (with --swarm: the one drawn from --seed) as a scenario "
                "file and run nothing");
  cmd->callback([args, &exit_code] { exit_code = run_sim(*args); });
}

}  // namespace spmc::cli
