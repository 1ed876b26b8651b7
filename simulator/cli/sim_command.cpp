// `spmc sim`: run one scenario with one seed and print the verdict.
#include <cstdio>
#include <fstream>

#include "commands.hpp"
#include "run_limits.hpp"
#include "scenario_arg.hpp"
#include "spmc/sim/invariants.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::cli {

namespace {

struct SimArgs {
  std::string scenario_path;
  std::uint64_t seed = 1;
  bool json = false;
  std::string trace_path;
  std::string abstract_path;
  std::string bug = "none";
  std::vector<std::string> invariants;  // opt-in invariants also judged (--invariant)
  RunLimitArgs limits;
};

// "--invariant a --invariant b" as the replay line prints it.
std::string invariant_flags(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    out += " --invariant " + n;
  }
  return out;
}

int run_sim(const SimArgs& a) {
  const auto limits = parse_run_limits(a.limits);
  if (!limits) {
    return kExitUsage;
  }
  const auto loaded = load_scenario_arg(a.scenario_path);
  if (!loaded) {
    return kExitUsage;
  }
  const sim::Scenario& scenario = *loaded;
  if (const auto done = check_estimate(scenario, a.scenario_path, *limits, false)) {
    return *done;
  }
  const auto bug = parse_bug_arg(a.bug);
  if (!bug) {
    return kExitUsage;
  }
  sim::WorldOptions options;
  options.server_bug = *bug;
  for (const std::string& name : a.invariants) {
    const auto id = sim::invariant_by_name(name);
    if (!id) {
      std::string known;
      for (const sim::InvariantInfo& info : sim::invariant_names()) {
        known += (known.empty() ? "" : ", ") + std::string(info.name);
      }
      std::fprintf(stderr, "spmc: error: --invariant: unknown invariant '%s' (one of: %s)\n",
                   name.c_str(), known.c_str());
      return kExitUsage;
    }
    options.invariants.push_back(*id);
  }
  std::ofstream trace;
  if (!a.trace_path.empty()) {
    trace.open(a.trace_path, std::ios::binary | std::ios::trunc);
    if (!trace) {
      std::fprintf(stderr, "spmc: error: --trace: cannot write %s\n", a.trace_path.c_str());
      return kExitUsage;
    }
    options.trace_sink = &trace;
  }
  std::ofstream abstract;
  if (!a.abstract_path.empty()) {
    abstract.open(a.abstract_path, std::ios::binary | std::ios::trunc);
    if (!abstract) {
      std::fprintf(stderr, "spmc: error: --abstract: cannot write %s\n", a.abstract_path.c_str());
      return kExitUsage;
    }
    options.abstract_sink = &abstract;
  }
  const WallDeadline deadline(limits->max_wall_s);
  options.stop = stop_condition(limits->max_events, deadline);
  options.stop_reason = wall_stop_reason(limits->max_wall_s);
  sim::World world(scenario, a.seed, options);
  const sim::Report report = world.run();
  std::fputs((a.json ? sim::render_json(report) : sim::render_text(report)).c_str(), stdout);
  std::fflush(stdout);  // the report before the replay line, also when both go to one pipe
  if (report.stopped) {
    return kExitUsage;  // not judged: neither a pass nor a failure to replay
  }
  if (!report.pass) {
    std::fprintf(stderr, "replay: spmc sim%s%s --seed %llu%s%s%s\n",
                 a.scenario_path.empty() ? "" : " ", a.scenario_path.c_str(),
                 static_cast<unsigned long long>(a.seed), a.bug == "none" ? "" : " --inject-bug ",
                 a.bug == "none" ? "" : a.bug.c_str(), invariant_flags(a.invariants).c_str());
  }
  return report.pass ? kExitPass : kExitFail;
}

}  // namespace

void add_sim_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SimArgs>();
  auto* cmd = app.add_subcommand("sim", "Run a scenario in the deterministic simulator");
  cmd->add_option("scenario", args->scenario_path,
                  "Scenario file (JSON, simulator/scenarios/SCHEMA.md); default: built-in default");
  cmd->add_option("--seed", args->seed, "World seed")->capture_default_str();
  cmd->add_flag("--json", args->json, "Print the report as one JSON object");
  cmd->add_option("--trace", args->trace_path, "Write the JSONL event trace to this file");
  cmd->add_option("--abstract", args->abstract_path,
                  "Write the abstract trace (ratchet model, one pair; models/README.md) to this "
                  "file, for models/check_trace.py");
  cmd->add_option("--inject-bug", args->bug,
                  "Run a deliberately broken server (server_keeps_delivered, "
                  "server_forgets_unacked) to show the checkers catch it")
      ->capture_default_str();
  cmd->add_option("--invariant", args->invariants,
                  "Also judge this opt-in invariant (repeatable; spmc names lists them all), "
                  "e.g. acked_items_deleted");
  add_run_limit_options(*cmd, args->limits);
  cmd->callback([args, &exit_code] { exit_code = run_sim(*args); });
}

}  // namespace spmc::cli
