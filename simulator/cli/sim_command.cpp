// `spmc sim`: run one scenario with one seed and print the verdict.
#include <cstdio>
#include <fstream>

#include "args.hpp"
#include "commands.hpp"
#include "scenario_arg.hpp"
#include "spmc/sim/invariants.hpp"
#include "spmc/sim/names.hpp"
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
  const auto loaded = load_scenario_arg(a.scenario_path);
  if (!loaded) {
    return kExitUsage;
  }
  const sim::Scenario& scenario = *loaded;
  sim::WorldOptions options;
  options.server_bug = bug_by_name(a.bug);
  for (const std::string& name : a.invariants) {  // checked when the command line was parsed
    options.invariants.push_back(sim::invariant_by_name(name).value());
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
  sim::World world(scenario, a.seed, options);
  const sim::Report report = world.run();
  std::fputs((a.json ? sim::render_json(report) : sim::render_text(report)).c_str(), stdout);
  std::fflush(stdout);  // the report before the replay line, also when both go to one pipe
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
  add_u64_option(*cmd, "--seed", args->seed, 0, kU64Max, "World seed");
  cmd->add_flag("--json", args->json, "Print the report as one JSON object");
  cmd->add_option("--trace", args->trace_path, "Write the JSONL event trace to this file");
  cmd->add_option("--abstract", args->abstract_path,
                  "Write the abstract trace (ratchet model, one pair; models/README.md) to this "
                  "file, for models/check_trace.py");
  add_choice_option(*cmd, "--inject-bug", args->bug, "bug", bug_names(),
                    "Run a deliberately broken server to show the checkers catch it");
  add_choice_option(*cmd, "--invariant", args->invariants, "invariant",
                    sim::known_invariant_names(),
                    "Also judge this opt-in invariant (repeatable), e.g. acked_items_deleted");
  cmd->callback([args, &exit_code] { exit_code = run_sim(*args); });
}

}  // namespace spmc::cli
