// `spmc requirements`: the paper's Table 1 for this implementation, from fresh runs
// (spec/requirements.md REQ-001, spec/requirements_evidence.md).
#include <array>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "invocation.hpp"
#include "scenario_arg.hpp"
#include "spmc/profile.hpp"
#include "spmc/sim/requirements.hpp"

namespace spmc::cli {

namespace {

struct RequirementsArgs {
  std::string profile = "all";
  std::uint64_t seed = 1;
  bool json = false;
  bool no_timing = false;
  std::string scenario_dir = data_dir() + "/scenarios";
};

struct Judged {
  sim::CheckResult check;
  sim::Verdict predicted;
};

std::string requirement_of(const std::string& id) {  // "REQ-2.forge" -> "Req2"
  return "Req" + id.substr(4, id.find('.') - 4);
}

// The worst verdict of the evaluated checks of `req` under `profile` (and `adversary`,
// when given), or "—" when no run judged any.
std::string worst(const std::vector<Judged>& all, std::string_view profile, const std::string& req,
                  std::string_view adversary) {
  std::optional<sim::Verdict> w;
  for (const Judged& j : all) {
    const sim::CheckResult& c = j.check;
    if (c.profile != profile || requirement_of(c.id) != req ||
        (!adversary.empty() && c.adversary.find(adversary) == std::string::npos)) {
      continue;
    }
    w = std::max(w.value_or(sim::Verdict::kHolds), c.verdict);
  }
  return w ? std::string(verdict_name(*w)) : std::string("—");
}

void print_text(const std::vector<const Profile*>& profiles, const std::vector<Judged>& all,
                bool timing) {
  for (const Judged& j : all) {
    const sim::CheckResult& c = j.check;
    std::printf("%-28s %-9s %-8s %-6s (predicted %s: %s)\n", c.id.c_str(), c.adversary.c_str(),
                c.profile.c_str(), std::string(verdict_name(c.verdict)).c_str(),
                std::string(verdict_name(j.predicted)).c_str(),
                std::string(sim::agreement(c.id, c.profile, c.verdict)).c_str());
    std::printf("    evidence: %s\n    source:   %s\n", c.evidence.c_str(), c.source.c_str());
    if (timing && !c.measured.empty()) {
      std::printf("    measured: %s\n", c.measured.c_str());
    }
  }
  std::printf(
      "\nTable 1 for this implementation (worst evaluated check per requirement; — none "
      "evaluated):\n\n");
  std::printf("| requirement |");
  for (const Profile* p : profiles) {
    std::printf(" %s |", std::string(p->name).c_str());
  }
  std::printf("\n|---|%s\n", profiles.size() == 2 ? "---|---|" : "---|");
  for (int n = 1; n <= 8; ++n) {
    const std::string req = "Req" + std::to_string(n);
    std::printf("| %s |", req.c_str());
    for (const Profile* p : profiles) {
      std::printf(" %s |", worst(all, p->name, req, "").c_str());
    }
    std::printf("\n");
  }
  static constexpr std::array<std::string_view, 6> kAdversaries = {"PNO", "HBC", "MAL",
                                                                   "ANA", "DEV", "LOST"};
  for (const Profile* p : profiles) {
    std::printf("\nPer adversary, profile %s:\n\n| requirement |", std::string(p->name).c_str());
    for (std::string_view adv : kAdversaries) {
      std::printf(" %s |", std::string(adv).c_str());
    }
    std::printf("\n|---|---|---|---|---|---|---|\n");
    for (int n = 1; n <= 8; ++n) {
      const std::string req = "Req" + std::to_string(n);
      std::printf("| %s |", req.c_str());
      for (std::string_view adv : kAdversaries) {
        std::printf(" %s |", worst(all, p->name, req, adv).c_str());
      }
      std::printf("\n");
    }
  }
  // A check the spec predicts but no run judges yet is named; none: no line.
  std::string unevaluated;
  for (const sim::PredictedCheck& k : sim::predicted_checks()) {
    if (!k.evaluated) {
      unevaluated += " " + std::string(k.id);
    }
  }
  std::printf("\n");
  if (!unevaluated.empty()) {
    std::printf("Not evaluated by a run yet (spec prediction only):%s\n", unevaluated.c_str());
  }
}

std::string render_json(const std::vector<Judged>& all, bool timing) {
  nlohmann::ordered_json j;
  auto checks = nlohmann::ordered_json::array();
  for (const Judged& x : all) {
    const sim::CheckResult& c = x.check;
    nlohmann::ordered_json o{{"id", c.id},
                             {"requirement", requirement_of(c.id)},
                             {"adversary", c.adversary},
                             {"profile", c.profile},
                             {"verdict", verdict_name(c.verdict)},
                             {"predicted", verdict_name(x.predicted)},
                             {"agreement", sim::agreement(c.id, c.profile, c.verdict)},
                             {"evidence", c.evidence},
                             {"source", c.source},
                             {"seed", c.seed}};
    if (timing) {
      o["measured"] = c.measured;
    }
    checks.push_back(o);
  }
  j["checks"] = checks;
  auto missing = nlohmann::ordered_json::array();
  for (const sim::PredictedCheck& k : sim::predicted_checks()) {
    if (!k.evaluated) {
      missing.push_back(k.id);
    }
  }
  j["not_evaluated"] = missing;
  return j.dump() + "\n";
}

int run_requirements(const RequirementsArgs& a) {
  const auto resolved = resolve_profiles_arg(a.profile);
  if (!resolved.ok()) {
    std::fprintf(stderr, "spmc: error: %s\n", resolved.error().detail.c_str());
    return kExitUsage;
  }
  std::vector<const Profile*> profiles;
  for (const Profile& p : *resolved) {
    profiles.push_back(&p);
  }
  sim::RequirementsOptions options;
  options.scenario_dir = a.scenario_dir;
  options.seed = a.seed;
  // The only clock reads of the tool: attack costs in seconds are measured figures.
  options.clock = [] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  std::vector<Judged> all;
  for (const Profile* p : profiles) {
    auto checks = sim::evaluate_requirements(*p, options);
    if (!checks.ok()) {
      std::fprintf(stderr, "spmc: error: %s\n", checks.error().detail.c_str());
      return kExitUsage;
    }
    for (sim::CheckResult& c : *checks) {
      const auto predicted = sim::predicted_verdict(c.id, p->name);
      all.push_back(Judged{std::move(c), predicted.value_or(sim::Verdict::kHolds)});
    }
  }
  const bool timing = !a.no_timing;
  if (a.json) {
    std::fputs(render_json(all, timing).c_str(), stdout);
  } else {
    print_text(profiles, all, timing);
  }
  const auto disagree = std::count_if(all.begin(), all.end(), [](const Judged& j) {
    return sim::agreement(j.check.id, j.check.profile, j.check.verdict) == "DISAGREES";
  });
  const auto unshown = std::count_if(all.begin(), all.end(), [](const Judged& j) {
    return sim::agreement(j.check.id, j.check.profile, j.check.verdict) == "not exhibited";
  });
  const auto unpredicted = std::count_if(all.begin(), all.end(), [](const Judged& j) {
    return sim::agreement(j.check.id, j.check.profile, j.check.verdict) == "not predicted";
  });
  std::fprintf(
      a.json ? stderr : stdout,
      "%s: %zu checks, %ld disagree with spec/requirements.md, %ld not exhibited by these runs%s\n",
      disagree == 0 ? "PASS" : "FAIL", all.size(), static_cast<long>(disagree),
      static_cast<long>(unshown),
      unpredicted == 0
          ? ""
          : (", " + std::to_string(unpredicted) + " not predicted (no predictions for the profile)")
                .c_str());
  return disagree == 0 ? kExitPass : kExitFail;
}

}  // namespace

void add_requirements_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RequirementsArgs>();
  auto* cmd = app.add_subcommand(
      "requirements", "Print the paper's Table 1 for this implementation, from fresh runs");
  cmd->add_option("--profile", args->profile,
                  "Protocol profile: a built-in name, a profile file, or all (every built-in); "
                  "a profile without predictions is judged but not compared")
      ->type_name("NAME|FILE|all")
      ->capture_default_str();
  add_u64_option(*cmd, "--seed", args->seed, 0, kU64Max, "World seed of every scenario run");
  cmd->add_flag("--json", args->json, "Print the checks as one JSON object");
  cmd->add_flag("--no-timing", args->no_timing,
                "Leave out the measured (machine-dependent) figures: output is byte-stable");
  cmd->add_option("--scenarios", args->scenario_dir,
                  "Scenario directory holding attacks/ (default: scenarios/ of the data directory, "
                  "SPMC_DATA_DIR or ../share/spmc next to the program)");
  cmd->callback([args, &exit_code] { exit_code = run_requirements(*args); });
}

}  // namespace spmc::cli
