// `spmc sweep`: many seeds of one scenario, with a progress bar on a terminal, a summary
// and the failing seeds. `--shard K/N` runs every N-th seed from the K-th, so any batch
// scheduler can split a sweep across machines.
#include <unistd.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.hpp"
#include "invocation.hpp"
#include "scenario_arg.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::cli {

namespace {

struct SweepArgs {
  std::string scenario_path;
  std::string seeds = "1..100";
  std::string shard = "1/1";
  bool json = false;
};

// Two numbers around `sep` and nothing else ("1..100", "2/4"); a conversion error or
// trailing text is a usage error, not a silent zero (so no sscanf).
bool parse_pair(const std::string& text, const std::string& sep, std::uint64_t& a,
                std::uint64_t& b) {
  const auto at = text.find(sep);
  if (at == std::string::npos) {
    return false;
  }
  try {
    std::size_t used = 0;
    a = std::stoull(text.substr(0, at), &used);
    if (used != at) {
      return false;
    }
    b = std::stoull(text.substr(at + sep.size()), &used);
    return used == text.size() - at - sep.size();
  } catch (const std::exception&) {
    return false;
  }
}

int run_sweep(const SweepArgs& a) {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  if (!parse_pair(a.seeds, "..", first, last) || first > last) {
    std::fprintf(stderr, "spmc: error: --seeds: expected A..B with A <= B, got '%s'\n",
                 a.seeds.c_str());
    return kExitUsage;
  }
  std::uint64_t k = 0;
  std::uint64_t n = 0;
  if (!parse_pair(a.shard, "/", k, n) || n == 0 || k == 0 || k > n) {
    std::fprintf(stderr, "spmc: error: --shard: expected K/N with 1 <= K <= N, got '%s'\n",
                 a.shard.c_str());
    return kExitUsage;
  }
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
    std::printf("sweep %s: %zu seeds (%s, shard %s), %zu passed, %zu failed\n",
                scenario->name.c_str(), seeds.size(), a.seeds.c_str(), a.shard.c_str(),
                seeds.size() - failing.size(), failing.size());
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
  cmd->add_option("--seeds", args->seeds, "Seed range A..B (inclusive)")->capture_default_str();
  cmd->add_option("--shard", args->shard, "Run shard K of N (every N-th seed from the K-th)")
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "Print the summary as one JSON object");
  cmd->callback([args, &exit_code] { exit_code = run_sweep(*args); });
}

}  // namespace spmc::cli
