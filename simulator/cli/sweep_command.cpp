// `spmc sweep`: many seeds of one scenario, with a progress bar on a terminal, a summary
// and the failing seeds. `--shard K/N` runs every N-th seed from the K-th, so any batch
// scheduler can split a sweep across machines.
#include <unistd.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "args.hpp"
#include "commands.hpp"
#include "invocation.hpp"
#include "scenario_arg.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::cli {

namespace {

struct SweepArgs {
  std::string scenario_path;
  SeedRange seeds{1, 100};
  Shard shard{1, 1};
  bool json = false;
};

int run_sweep(const SweepArgs& a) {
  const auto [first, last] = a.seeds;
  const auto [k, n] = a.shard;
  auto scenario = load_scenario_arg(a.scenario_path);
  if (!scenario) {
    return kExitUsage;
  }
  std::vector<std::uint64_t> seeds;
  for (std::uint64_t s = first; s <= last; ++s) {
    if ((s - first) % n == k - 1) {
      seeds.push_back(s);
    }
    if (s == UINT64_MAX) {
      break;
    }
  }
  const bool tty = isatty(fileno(stderr)) != 0;
  std::vector<std::uint64_t> failing;
  std::map<std::string, std::uint64_t> by_invariant;
  for (std::size_t i = 0; i < seeds.size(); ++i) {
    sim::World world(*scenario, seeds[i]);
    const sim::Report r = world.run();
    if (!r.pass) {
      failing.push_back(seeds[i]);
      for (const auto& inv : r.invariants) {
        if (inv.held == inv.expected_violation) {
          ++by_invariant[inv.name];
        }
      }
    }
    if (tty) {
      const std::size_t width = 40;
      const std::size_t done = (i + 1) * width / seeds.size();
      std::fprintf(stderr, "\r[%s%s] %zu/%zu seeds, %zu failing", std::string(done, '#').c_str(),
                   std::string(width - done, '.').c_str(), i + 1, seeds.size(), failing.size());
    }
  }
  if (tty) {
    std::fputc('\n', stderr);
  }
  if (a.json) {
    // Through the JSON library: a scenario name may hold any character a string may.
    const nlohmann::ordered_json summary{{"scenario", scenario->name},
                                         {"seeds", seeds.size()},
                                         {"failing", failing},
                                         {"verdict", failing.empty() ? "pass" : "fail"}};
    std::fputs((summary.dump() + "\n").c_str(), stdout);
  } else {
    std::printf("sweep %s: %zu seeds (%llu..%llu, shard %llu/%llu), %zu passed, %zu failed\n",
                scenario->name.c_str(), seeds.size(), static_cast<unsigned long long>(first),
                static_cast<unsigned long long>(last), static_cast<unsigned long long>(k),
                static_cast<unsigned long long>(n), seeds.size() - failing.size(), failing.size());
    for (const auto& [name, count] : by_invariant) {
      std::printf("  %-34s failed in %llu seed(s)\n", name.c_str(),
                  static_cast<unsigned long long>(count));
    }
    for (std::uint64_t s : failing) {
      std::vector<std::string> replay{"sim"};
      if (!a.scenario_path.empty()) {
        replay.push_back(a.scenario_path);
      }
      replay.insert(replay.end(), {"--seed", std::to_string(s)});
      std::printf("  replay: %s\n", shell_command(replay).c_str());
    }
  }
  return failing.empty() ? kExitPass : kExitFail;
}

}  // namespace

void add_sweep_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SweepArgs>();
  auto* cmd = app.add_subcommand("sweep", "Run one scenario over many seeds");
  cmd->add_option("scenario", args->scenario_path, "Scenario file; default: built-in default");
  add_seed_range_option(*cmd, "--seeds", args->seeds, "Seed range A..B (inclusive)");
  add_shard_option(*cmd, "--shard", args->shard,
                   "Run shard K of N (every N-th seed from the K-th)");
  cmd->add_flag("--json", args->json, "Print the summary as one JSON object");
  cmd->callback([args, &exit_code] { exit_code = run_sweep(*args); });
}

}  // namespace spmc::cli
