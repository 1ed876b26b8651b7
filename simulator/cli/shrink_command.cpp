// `spmc shrink`: reduce a failing scenario to a small reproducer. Greedy: try each
// reduction (fewer phones, fewer messages, shorter phases, one fault kind off, ...) and
// keep it when the run with the same seed still violates one of the original invariants.
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "args.hpp"
#include "commands.hpp"
#include "invocation.hpp"
#include "output_file.hpp"
#include "scenario_arg.hpp"
#include "spmc/sim/world.hpp"
#include "swarm_arg.hpp"

namespace spmc::cli {

namespace {

struct ShrinkArgs {
  std::string scenario_path;
  std::string profile;            // --profile NAME|FILE
  std::vector<std::string> sets;  // --set PATH=VALUE, in order
  std::uint64_t seed = 1;
  std::string out;
  std::string bug = "none";
  std::uint32_t max_runs = 300;
  bool json = false;
  SwarmArgs swarm;
};

std::set<std::string> failing(const sim::Report& r) {
  std::set<std::string> out;
  for (const auto& i : r.invariants) {
    if (!i.held && !i.expected_violation) {
      out.insert(i.name);
    }
  }
  return out;
}

using Step = std::pair<const char*, std::function<bool(sim::Scenario&)>>;

// Each step changes the scenario and returns true, or returns false when it cannot reduce.
std::vector<Step> reductions() {
  auto halve32 = [](std::uint32_t& v, std::uint32_t floor) {
    if (v <= floor) {
      return false;
    }
    v = std::max(floor, v / 2);
    return true;
  };
  auto halve64 = [](std::uint64_t& v, std::uint64_t floor) {
    if (v <= floor) {
      return false;
    }
    v = std::max(floor, v / 2);
    return true;
  };
  auto zero32 = [](std::uint32_t& v) {
    if (v == 0) {
      return false;
    }
    v = 0;
    return true;
  };
  return {
      {"phones/2", [=](sim::Scenario& s) { return halve32(s.phones, 2); }},
      {"phones-1", [](sim::Scenario& s) { return s.phones > 2 && (--s.phones, true); }},
      {"messages/2",
       [=](sim::Scenario& s) { return halve32(s.workload.messages_per_phone_per_minute, 1); }},
      {"safety/2", [=](sim::Scenario& s) { return halve64(s.phases.safety_ms, 1000); }},
      {"no groups", [=](sim::Scenario& s) { return zero32(s.workload.groups.count); }},
      {"no churn", [=](sim::Scenario& s) { return zero32(s.churn.offline_per_phone_per_day); }},
      {"no loss", [=](sim::Scenario& s) { return zero32(s.faults.network.loss_ppm); }},
      {"no duplication",
       [=](sim::Scenario& s) { return zero32(s.faults.network.duplication_ppm); }},
      {"no reordering", [=](sim::Scenario& s) { return zero32(s.faults.network.reorder_ppm); }},
      {"no spikes", [=](sim::Scenario& s) { return zero32(s.faults.network.spike_ppm); }},
      {"no partitions", [=](sim::Scenario& s) { return zero32(s.faults.partitions.per_hour); }},
      {"no phone crashes",
       [=](sim::Scenario& s) { return zero32(s.faults.crashes.phone_per_hour); }},
      {"no server crashes",
       [=](sim::Scenario& s) { return zero32(s.faults.crashes.server_per_hour); }},
      {"no clock skew",
       [](sim::Scenario& s) {
         if (s.faults.clock.max_skew_ms == 0 && s.faults.clock.max_drift_ppm == 0) {
           return false;
         }
         s.faults.clock = {};
         return true;
       }},
      {"message size/2",
       [=](sim::Scenario& s) {
         return halve32(s.workload.message_size_max, s.workload.message_size_min);
       }},
  };
}

// A reduction can leave a scenario the loader refuses (groups larger than the phones left):
// such a candidate is skipped, so every step keeps a scenario spmc sim accepts.
bool loads(const sim::Scenario& s) {
  return sim::parse_scenario(sim::scenario_to_json(s).dump(), "candidate").ok();
}

// "<name>-shrunk", the original name cut (at a UTF-8 character boundary) so the whole stays
// within the loader's limit.
std::string shrunk_name(const std::string& name) {
  constexpr std::string_view kSuffix = "-shrunk";
  std::size_t keep = std::min(name.size(), sim::kScenarioNameMaxBytes - kSuffix.size());
  while (keep > 0 && keep < name.size() &&
         (static_cast<unsigned char>(name[keep]) & 0xC0) == 0x80) {
    --keep;
  }
  return name.substr(0, keep) + std::string(kSuffix);
}

// The verdict for tools: what still fails, in how many runs, and the reduced scenario itself.
void print_json(const ShrinkArgs& a, const sim::Scenario& shrunk,
                const std::set<std::string>& target, std::uint32_t runs) {
  nlohmann::ordered_json j;
  j["verdict"] = "shrunk";
  j["seed"] = a.seed;
  j["failing_invariants"] = target;
  j["runs"] = runs;
  j["out"] = a.out.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(a.out);
  j["scenario"] = sim::scenario_to_json(shrunk);
  std::printf("%s\n", j.dump().c_str());
}

int run_shrink(const ShrinkArgs& a) {
  auto start = scenario_for(a.scenario_path, a.profile, a.sets, a.swarm, a.seed);
  if (!start) {
    return kExitUsage;
  }
  // --out is opened before the first run, so a bad path costs no shrinking time.
  OutputSet outputs;
  std::ostream* saved = a.out.empty() ? nullptr : outputs.open(a.out);
  if (auto error = outputs.error()) {
    print_output_error(*error);
    return kExitUsage;
  }
  sim::WorldOptions options;
  options.server_bug = bug_by_name(a.bug).server;
  options.phone_bug = bug_by_name(a.bug).phone;
  std::uint32_t runs = 0;
  auto still_fails = [&](const sim::Scenario& s, const std::set<std::string>& target) {
    ++runs;
    sim::World world(s, a.seed, options);
    const auto now = failing(world.run());
    return std::any_of(now.begin(), now.end(), [&](const auto& n) { return target.contains(n); });
  };
  sim::World first(*start, a.seed, options);
  const auto target = failing(first.run());
  if (target.empty()) {
    std::fprintf(stderr, "spmc: error: seed %llu passes this scenario: nothing to shrink\n",
                 static_cast<unsigned long long>(a.seed));
    if (a.json) {
      std::printf("%s\n",
                  nlohmann::ordered_json({{"verdict", "nothing_to_shrink"}, {"seed", a.seed}})
                      .dump()
                      .c_str());
    }
    return kExitUsage;
  }
  sim::Scenario current = *start;
  bool progress = true;
  while (progress && runs < a.max_runs) {
    progress = false;
    for (const auto& [name, step] : reductions()) {
      sim::Scenario candidate = current;
      if (!step(candidate) || runs >= a.max_runs || !loads(candidate)) {
        continue;
      }
      if (still_fails(candidate, target)) {
        current = candidate;
        progress = true;
        std::fprintf(stderr, "shrink: kept '%s' (%u phones)\n", name, current.phones);
      }
    }
  }
  current.name = shrunk_name(start->name);
  const std::string json = sim::scenario_to_json(current).dump(2) + "\n";
  // The bytes about to be written go through the loader `spmc sim` uses: a reproducer that
  // does not load is worse than none.
  if (auto reloaded = sim::parse_scenario(json, "the reduced scenario"); !reloaded.ok()) {
    std::fprintf(stderr, "spmc: error: shrink made a scenario spmc sim refuses: %s\n",
                 reloaded.error().detail.c_str());
    return kExitUsage;
  }
  if (saved != nullptr) {
    *saved << json;
    if (auto error = outputs.commit()) {
      print_output_error(*error);
      return kExitUsage;
    }
  }
  if (a.json) {
    print_json(a, current, target, runs);
  } else if (a.out.empty()) {
    std::fputs(json.c_str(), stdout);
  }
  std::fprintf(stderr, "shrink: %u runs; %u phones, %u msgs/phone/min, safety %llu ms\n", runs,
               current.phones, current.workload.messages_per_phone_per_minute,
               static_cast<unsigned long long>(current.phases.safety_ms));
  std::vector<std::string> replay{"sim", a.out.empty() ? "SCENARIO.json" : a.out, "--seed",
                                  std::to_string(a.seed)};
  if (a.bug != "none") {
    replay.insert(replay.end(), {"--inject-bug", a.bug});
  }
  std::fprintf(stderr, "replay: %s%s\n", shell_command(replay).c_str(),
               a.out.empty() ? "  (SCENARIO.json: the scenario printed above)" : "");
  return kExitPass;
}

}  // namespace

void add_shrink_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ShrinkArgs>();
  auto* cmd = app.add_subcommand("shrink", "Reduce a failing scenario to a small reproducer");
  cmd->add_option("scenario", args->scenario_path, "Scenario file; default: built-in default");
  add_profile_option(*cmd, args->profile);
  add_set_option(*cmd, args->sets);
  add_u64_option(*cmd, "--seed", args->seed, 0, kU64Max, "The failing seed");
  cmd->add_option("--out", args->out, "Write the reduced scenario here (default: stdout)");
  add_choice_option(*cmd, "--inject-bug", args->bug, "bug", bug_names(), "As for spmc sim");
  // At least one run, or shrink would print the scenario unchanged as if reduced.
  add_u32_option(*cmd, "--max-runs", args->max_runs, 1, UINT32_MAX, "Give up after this many runs");
  cmd->add_flag("--json", args->json,
                "Print one JSON object: verdict, failing_invariants, runs and the reduced "
                "scenario (also when --out writes it)");
  add_swarm_options(*cmd, args->swarm);
  cmd->callback([args, &exit_code] { exit_code = run_shrink(*args); });
}

}  // namespace spmc::cli
