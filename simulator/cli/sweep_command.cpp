// `spmc sweep`: many seeds of one scenario, with a progress bar on a terminal, a summary
// and the failing seeds. `--shard K/N` runs every N-th seed from the K-th, so any batch
// scheduler can split a sweep across machines.
#include <unistd.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "args.hpp"
#include "commands.hpp"
#include "invocation.hpp"
#include "output_file.hpp"
#include "report_dir.hpp"
#include "run_limits.hpp"
#include "scenario_arg.hpp"
#include "spmc/sim/report_page.hpp"
#include "spmc/sim/world.hpp"
#include "swarm_arg.hpp"

namespace spmc::cli {

namespace {

struct SweepArgs {
  std::string scenario_path;
  std::string profile;            // --profile NAME|FILE
  std::vector<std::string> sets;  // --set PATH=VALUE, in order
  SeedRange seeds{1, 100};
  Shard shard{1, 1};
  bool json = false;
  RunLimitArgs limits;
  SwarmArgs swarm;
  std::string bug = "none";
  std::string report_dir;  // --report DIR: DIR/index.html
};

// The words that run this seed alone (spmc sim), as a line for the page.
std::string seed_replay(const SweepArgs& a, std::uint64_t seed) {
  std::vector<std::string> replay{"sim"};
  const auto rebuild = world_replay_args(a.scenario_path, a.profile, a.sets, a.swarm, seed);
  replay.insert(replay.end(), rebuild.begin(), rebuild.end());
  if (a.bug != "none") {
    replay.insert(replay.end(), {"--inject-bug", a.bug});
  }
  return portable_command(replay);
}

// The sweep itself, as a command (the report page's "run it again").
std::string sweep_command(const SweepArgs& a) {
  std::vector<std::string> words{"sweep"};
  auto rebuild = world_replay_args(a.scenario_path, a.profile, a.sets, a.swarm, 0);
  rebuild.resize(rebuild.size() - 2);  // world_replay_args ends with --seed N
  words.insert(words.end(), rebuild.begin(), rebuild.end());
  words.insert(words.end(),
               {"--seeds", std::to_string(a.seeds.first) + ".." + std::to_string(a.seeds.last)});
  if (a.shard.count != 1) {
    words.insert(words.end(),
                 {"--shard", std::to_string(a.shard.index) + "/" + std::to_string(a.shard.count)});
  }
  if (a.bug != "none") {
    words.insert(words.end(), {"--inject-bug", a.bug});
  }
  return portable_command(words);
}

int run_sweep(const SweepArgs& a) {
  const auto [first, last] = a.seeds;
  const auto [k, n] = a.shard;
  const RunLimits limits = run_limits(a.limits);
  // Under --swarm each seed draws its own world (the first one here only checks the usage).
  auto scenario = scenario_for(a.scenario_path, a.profile, a.sets, a.swarm, first);
  if (!scenario) {
    return kExitUsage;
  }
  // The shard's seeds are first + (k - 1) + i * n for i in [0, count): walked, never stored,
  // so 2^64 seeds cost no memory (only time, which --max-events and --max-wall bound).
  const std::uint64_t offset = k - 1;
  const bool empty = last - first < offset;
  const std::uint64_t last_index = empty ? 0 : (last - first - offset) / n;
  // count = last_index + 1 does not fit 64 bits for the full range 0..2^64-1.
  const std::string count_text = empty                      ? "0"
                                 : last_index == UINT64_MAX ? "18446744073709551616"
                                                            : std::to_string(last_index + 1);
  if (!a.swarm.swarm) {
    if (const auto done = check_estimate(*scenario, a.scenario_path, limits, last_index > 0)) {
      return *done;
    }
  }
  // --report: the folder and page are opened before the first seed, so a bad path costs
  // nothing; the page is written after the last.
  OutputSet outputs;
  std::ostream* page_out = nullptr;
  sim::SweepPage page;
  if (!a.report_dir.empty()) {
    if (auto error = prepare_report_dir(a.report_dir)) {
      std::fprintf(stderr, "spmc: error: --report: %s: %s\n", error->path.c_str(),
                   error->reason.c_str());
      return kExitUsage;
    }
    page_out = outputs.open(report_file(a.report_dir, "index.html"));
    if (auto error = outputs.error()) {
      print_output_error(*error);
      return kExitUsage;
    }
  }
  const sim::SwarmRanges swarm_ranges = swarm_ranges_of(a.swarm);
  std::set<std::string> configurations;  // swarm: one key per distinct drawn world
  const WallDeadline deadline(limits.max_wall_s);
  const bool tty = isatty(fileno(stderr)) != 0;
  std::vector<std::uint64_t> failing;
  std::map<std::string, std::uint64_t> by_invariant;
  std::uint64_t runs = 0;
  std::uint64_t events = 0;
  std::string stop_verdict;
  for (std::uint64_t i = 0; !empty; ++i) {
    const std::uint64_t seed = first + offset + i * n;
    if (deadline.passed()) {
      stop_verdict = wall_stop_reason(limits.max_wall_s) + " before seed " + std::to_string(seed);
      break;
    }
    if (a.swarm.swarm) {
      *scenario = sim::swarm_scenario(seed, swarm_ranges);
      if (const auto done = check_estimate(*scenario, scenario->name, limits, last_index > 0)) {
        return *done;
      }
      configurations.insert(sim::swarm_configuration_key(*scenario));
    }
    sim::WorldOptions options;
    options.server_bug = bug_by_name(a.bug).server;
    options.phone_bug = bug_by_name(a.bug).phone;
    options.stop =
        stop_condition(limits.max_events == 0 ? 0 : limits.max_events - events, deadline);
    options.stop_reason = wall_stop_reason(limits.max_wall_s);
    sim::World world(*scenario, seed, options);
    const sim::Report r = world.run();
    events += r.events;
    if (r.stopped) {
      // Only whole runs are judged: the seed that was cut short counts as not run.
      const std::string_view verdict = r.verdict;
      stop_verdict = "in seed " + std::to_string(seed) + ": " +
                     std::string(verdict.substr(verdict.find(": ") + 2));
      break;
    }
    ++runs;
    sim::SweepSeed row;
    if (!r.pass) {
      failing.push_back(seed);
      for (const auto& inv : r.invariants) {
        if (inv.held == inv.expected_violation) {
          ++by_invariant[inv.name];
          row.failed.push_back(inv.name);
        }
      }
    }
    if (page_out != nullptr) {
      row.seed = seed;
      row.pass = r.pass;
      row.verdict = r.verdict;
      row.latency = r.latency;
      row.events = r.events;
      row.peak_store_depth = r.peak_store_depth;
      row.replay_command = r.pass ? std::string() : seed_replay(a, seed);
      page.seeds.push_back(std::move(row));
    }
    if (tty) {
      const std::size_t width = 40;
      const std::uint64_t walked = i + 1;
      const double share = static_cast<double>(walked) / (static_cast<double>(last_index) + 1.0);
      const auto done = static_cast<std::size_t>(share * static_cast<double>(width));
      std::fprintf(stderr, "\r[%s%s] %llu/%s seeds, %zu failing", std::string(done, '#').c_str(),
                   std::string(width - done, '.').c_str(), static_cast<unsigned long long>(walked),
                   count_text.c_str(), failing.size());
    }
    if (i == last_index) {
      break;
    }
    if (limits.max_events != 0 && events >= limits.max_events) {
      stop_verdict = "event limit of " + std::to_string(limits.max_events) +
                     " reached before seed " + std::to_string(seed + n);
      break;
    }
  }
  if (tty) {
    std::fputc('\n', stderr);
  }
  const bool stopped = !stop_verdict.empty();
  if (page_out != nullptr) {
    page.scenario = a.swarm.swarm ? "swarm" : scenario->name;
    page.profile = a.swarm.swarm ? "" : std::string(scenario->profile.name);
    page.command = sweep_command(a);
    page.stopped = stopped;
    page.summary = std::to_string(runs) + " seeds, " + std::to_string(runs - failing.size()) +
                   " passed, " + std::to_string(failing.size()) + " failed" +
                   (stopped ? "; stopped " + stop_verdict : std::string());
    *page_out << sim::render_sweep_page(page);
    if (auto error = outputs.commit()) {
      print_output_error(*error);
      return kExitUsage;
    }
  }
  if (a.json) {
    // Through the JSON library: a scenario name may hold any character a string may.
    nlohmann::ordered_json j;
    j["scenario"] = a.swarm.swarm ? "swarm" : scenario->name;
    j["seeds"] = runs;
    j["failing"] = failing;
    if (a.swarm.swarm) {
      j["configurations"] = configurations.size();
    }
    j["verdict"] = !failing.empty() ? "fail" : stopped ? "stopped" : "pass";
    if (stopped) {
      j["stopped"] = stop_verdict;
    }
    std::fputs((j.dump() + "\n").c_str(), stdout);
  } else {
    std::printf(
        "sweep %s: %llu seeds (%llu..%llu, shard %llu/%llu), %llu passed, %zu failed\n",
        a.swarm.swarm ? "swarm" : scenario->name.c_str(), static_cast<unsigned long long>(runs),
        static_cast<unsigned long long>(first), static_cast<unsigned long long>(last),
        static_cast<unsigned long long>(k), static_cast<unsigned long long>(n),
        static_cast<unsigned long long>(runs - std::uint64_t{failing.size()}), failing.size());
    if (a.swarm.swarm) {
      std::printf("  %zu distinct configurations (scenario drawn from each seed)\n",
                  configurations.size());
    }
    if (stopped) {
      std::printf("STOPPED after %llu of %s seeds: %s\n", static_cast<unsigned long long>(runs),
                  count_text.c_str(), stop_verdict.c_str());
    }
    for (const auto& [name, count] : by_invariant) {
      std::printf("  %-34s failed in %llu seed(s)\n", name.c_str(),
                  static_cast<unsigned long long>(count));
    }
    for (std::uint64_t s : failing) {
      std::vector<std::string> replay{"sim"};
      const auto rebuild = world_replay_args(a.scenario_path, a.profile, a.sets, a.swarm, s);
      replay.insert(replay.end(), rebuild.begin(), rebuild.end());
      if (a.bug != "none") {
        replay.insert(replay.end(), {"--inject-bug", a.bug});
      }
      std::printf("  replay: %s\n", shell_command(replay).c_str());
    }
  }
  // A failing seed is a finding even in a sweep cut short; a stopped sweep is not a pass.
  if (!failing.empty()) {
    return kExitFail;
  }
  return stopped ? kExitUsage : kExitPass;
}

}  // namespace

void add_sweep_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SweepArgs>();
  auto* cmd = app.add_subcommand("sweep", "Run one scenario over many seeds");
  cmd->add_option("scenario", args->scenario_path, "Scenario file; default: built-in default");
  add_seed_range_option(*cmd, "--seeds", args->seeds, "Seed range A..B (inclusive)");
  add_profile_option(*cmd, args->profile);
  add_set_option(*cmd, args->sets);
  add_shard_option(*cmd, "--shard", args->shard,
                   "Run shard K of N (every N-th seed from the K-th)");
  cmd->add_flag("--json", args->json, "Print the summary as one JSON object");
  add_run_limit_options(*cmd, args->limits);
  add_swarm_options(*cmd, args->swarm);
  add_choice_option(*cmd, "--inject-bug", args->bug, "bug", bug_names(), "As for spmc sim");
  cmd->add_option("--report", args->report_dir,
                  "Write a self-contained HTML page of the sweep (a row and plots per seed) to "
                  "DIR/index.html")
      ->type_name("DIR");
  cmd->callback([args, &exit_code] { exit_code = run_sweep(*args); });
}

}  // namespace spmc::cli
