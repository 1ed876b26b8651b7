// `spmc diff A B`: the same worlds under two profiles or two scenario files, compared
// invariant by invariant and seed by seed (spmc/sim/diff.hpp); exit 1 when B violates an
// invariant on a seed where A did not, so a change can be gated in CI.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "args.hpp"
#include "commands.hpp"
#include "diff_render.hpp"
#include "diff_side.hpp"
#include "invocation.hpp"
#include "run_limits.hpp"
#include "scenario_arg.hpp"
#include "spmc/sim/diff.hpp"
#include "spmc/sim/names.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::cli {

namespace {

struct DiffArgs {
  std::string a;
  std::string b;
  std::vector<std::string> scenarios;
  std::vector<std::string> sets;  // --set PATH=VALUE, both sides
  SeedRange seeds{1, 20};
  bool json = false;
  std::string bug = "none";
  std::vector<std::string> invariants;
  RunLimitArgs limits;
};

// One --scenario world and the scenario each side runs in it.
struct Plan {
  std::string base_path;  // "" for the built-in default
  sim::Scenario base;
  sim::Scenario a;
  sim::Scenario b;
};

std::optional<std::vector<Plan>> plan(const DiffArgs& args) {
  const bool file_a = side_is_scenario_file(args.a);
  const bool file_b = side_is_scenario_file(args.b);
  if (file_a && file_b && !args.scenarios.empty()) {
    std::fprintf(stderr,
                 "spmc: error: --scenario: A and B are both scenario files, so no "
                 "--scenario world is run\n");
    return std::nullopt;
  }
  if ((file_a || file_b) && args.scenarios.size() > 1) {
    std::fprintf(stderr,
                 "spmc: error: --scenario: %s is a scenario file, which is compared "
                 "with one --scenario world at most\n",
                 (file_a ? args.a : args.b).c_str());
    return std::nullopt;
  }
  // Without --scenario, a profile side runs the other side's scenario file when there is
  // one (the same world under another profile), else the built-in default.
  std::vector<std::string> bases = args.scenarios;
  if (bases.empty()) {
    bases.push_back(file_a != file_b ? (file_a ? args.a : args.b) : std::string());
  }
  std::vector<Plan> plans;
  for (const std::string& path : bases) {
    auto base = load_scenario_arg(path, "", args.sets);
    if (!base) {
      return std::nullopt;
    }
    Plan p{path, *base, {}, {}};
    for (const auto& [label, arg, out] :
         {std::tuple{"A", &args.a, &p.a}, std::tuple{"B", &args.b, &p.b}}) {
      auto side = resolve_diff_side(*arg, path, args.sets);
      if (!side.ok()) {
        std::fprintf(stderr, "spmc: error: %s: %s\n", label, side.error().detail.c_str());
        return std::nullopt;
      }
      *out = *side;
    }
    plans.push_back(std::move(p));
  }
  return plans;
}

// The attacks of a world, for the table's heading; an aimed one says so.
std::vector<std::string> adversary_names(const sim::Scenario& s) {
  std::vector<std::string> out;
  for (const sim::AdversarySpec& a : s.adversaries) {
    out.push_back(a.aimed() ? a.name + " (aimed)" : a.name);
  }
  return out;
}

// How many seeds the range holds, as text (the full 64-bit range does not fit 64 bits).
std::string seed_count_text(const SeedRange& seeds) {
  return seeds.last - seeds.first == UINT64_MAX ? "18446744073709551616"
                                                : std::to_string(seeds.last - seeds.first + 1);
}

int run_diff(const DiffArgs& args) {
  const RunLimits limits = run_limits(args.limits);
  const auto plans = plan(args);
  if (!plans) {
    return kExitUsage;
  }
  const bool many_seeds = args.seeds.last != args.seeds.first;
  bool estimate_only = false;
  for (const Plan& p : *plans) {
    for (const auto& [scenario, side] :
         {std::pair{&p.a, "A " + args.a}, std::pair{&p.b, "B " + args.b}}) {
      const std::string what =
          side + (side_is_scenario_file(side.substr(2))
                      ? std::string()
                      : " on " + (p.base_path.empty() ? "the default scenario" : p.base_path));
      if (const auto done = check_estimate(*scenario, what, limits, many_seeds)) {
        if (*done != kExitPass) {
          return *done;
        }
        estimate_only = true;
      }
    }
  }
  if (estimate_only) {
    return kExitPass;
  }
  sim::WorldOptions options;
  options.server_bug = server::ServerBug::kNone;
  options.phone_bug = phone::PhoneBug::kNone;
  for (const std::string& name : args.invariants) {  // checked when the command line was parsed
    options.invariants.push_back(sim::invariant_by_name(name).value());
  }
  options.stop_reason = wall_stop_reason(limits.max_wall_s);
  const WallDeadline deadline(limits.max_wall_s);
  const bool tty = isatty(fileno(stderr)) != 0;
  const std::string count = seed_count_text(args.seeds);
  DiffSummary summary{args.a, args.b, args.bug, args.seeds, 0, {}, ""};
  std::uint64_t events = 0;
  // One world of one side; the report, or nothing when a limit stopped it (summary.stopped).
  auto run = [&](const sim::Scenario& scenario, std::uint64_t seed,
                 InjectedBug bug) -> std::optional<sim::Report> {
    if (deadline.passed()) {
      summary.stopped = wall_stop_reason(limits.max_wall_s) + " before seed " +
                        std::to_string(seed) + " of " + scenario.name;
      return std::nullopt;
    }
    if (limits.max_events != 0 && events >= limits.max_events) {
      summary.stopped = "event limit of " + std::to_string(limits.max_events) +
                        " reached before seed " + std::to_string(seed) + " of " + scenario.name;
      return std::nullopt;
    }
    sim::WorldOptions o = options;
    o.server_bug = bug.server;
    o.phone_bug = bug.phone;
    o.stop = stop_condition(limits.max_events == 0 ? 0 : limits.max_events - events, deadline);
    sim::Report r = sim::World(scenario, seed, o).run();
    events += r.events;
    if (r.stopped) {
      // The limit as the user gave it, for the whole diff (the run saw only what was left).
      const bool by_events = limits.max_events != 0 && events >= limits.max_events;
      summary.stopped =
          (by_events ? "event limit of " + std::to_string(limits.max_events) + " reached"
                     : wall_stop_reason(limits.max_wall_s)) +
          " in seed " + std::to_string(seed) + " of " + scenario.name;
      return std::nullopt;
    }
    ++summary.runs;
    return r;
  };
  for (std::size_t w = 0; w < plans->size() && summary.stopped.empty(); ++w) {
    const Plan& p = (*plans)[w];
    sim::DiffAccumulator acc;
    for (std::uint64_t seed = args.seeds.first;; ++seed) {
      const auto ra = run(p.a, seed, InjectedBug{});
      const auto rb = ra ? run(p.b, seed, bug_by_name(args.bug)) : std::nullopt;
      if (!rb) {
        break;  // only seeds judged on both sides are compared
      }
      acc.add(seed, *ra, *rb);
      if (tty) {
        std::fprintf(stderr, "\r\033[Kdiff: scenario %zu of %zu, seed %llu (%s seeds each)", w + 1,
                     plans->size(), static_cast<unsigned long long>(seed), count.c_str());
      }
      if (seed == args.seeds.last) {
        break;
      }
    }
    DiffWorld world{p.base_path.empty() ? std::string("(built-in default)") : p.base_path,
                    adversary_names(p.a),
                    adversary_names(p.b),
                    acc.finish(),
                    {}};
    for (const sim::SeedDiff& s : world.diff.seeds) {
      std::vector<std::string> ra =
          side_replay_args(args.a, p.base_path, p.base, args.sets, s.seed);
      std::vector<std::string> rb =
          side_replay_args(args.b, p.base_path, p.base, args.sets, s.seed);
      if (args.bug != "none") {
        rb.insert(rb.end(), {"--inject-bug", args.bug});
      }
      for (const std::string& name : args.invariants) {
        for (auto* replay : {&ra, &rb}) {
          replay->insert(replay->end(), {"--invariant", name});
        }
      }
      world.replays.emplace_back(shell_command(ra), shell_command(rb));
    }
    summary.worlds.push_back(std::move(world));
  }
  if (tty) {
    std::fputs("\r\033[K", stderr);
  }
  std::fputs((args.json ? render_diff_json(summary) : render_diff_text(summary)).c_str(), stdout);
  if (summary.worse()) {
    return kExitFail;  // a finding even in a diff cut short
  }
  return summary.stopped.empty() ? kExitPass : kExitUsage;
}

}  // namespace

void add_diff_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<DiffArgs>();
  auto* cmd = app.add_subcommand(
      "diff", "Run the same worlds under two profiles or two scenario files and compare them");
  cmd->footer(
      "A and B are each a profile (a built-in name such as paper or hardened, or a profile "
      "file), run in every --scenario world, or a scenario file run as written; --set applies "
      "to both. Outcomes per invariant and seed: held, violated, "
      "violated (expected), held (violation expected), not exercised, not judged. B is worse "
      "than A when an invariant is violated under B on a seed where it was not under A, "
      "declared or not.\nExit status: 0 the diff ran and B is nowhere worse; 1 B is worse than "
      "A on some invariant; 2 bad usage, or a limit stopped the diff (STOPPED).");
  cmd->add_option("A", args->a, "Side A: a profile (name or file) or a scenario file")->required();
  cmd->add_option("B", args->b, "Side B: a profile (name or file) or a scenario file")->required();
  cmd->add_option("--scenario", args->scenarios,
                  "Scenario file whose worlds both profiles run (repeatable); default: the "
                  "side's scenario file, else the built-in default");
  add_set_option(*cmd, args->sets);
  add_seed_range_option(*cmd, "--seeds", args->seeds, "Seed range A..B (inclusive)");
  cmd->add_flag("--json", args->json, "Print the comparison as one JSON object");
  add_choice_option(*cmd, "--inject-bug", args->bug, "bug", bug_names(),
                    "Run side B with a deliberately broken server (A stays honest)");
  add_choice_option(*cmd, "--invariant", args->invariants, "invariant",
                    sim::known_invariant_names(),
                    "Also judge this opt-in invariant on both sides (repeatable)");
  add_run_limit_options(*cmd, args->limits);
  cmd->callback([args, &exit_code] { exit_code = run_diff(*args); });
}

}  // namespace spmc::cli
