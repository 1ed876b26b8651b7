#include "diff_render.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace spmc::cli {

namespace {

using sim::DiffChange;
using sim::DiffOutcome;

constexpr std::array kOutcomes = {DiffOutcome::kHeld,
                                  DiffOutcome::kViolated,
                                  DiffOutcome::kExpectedViolation,
                                  DiffOutcome::kExpectedButHeld,
                                  DiffOutcome::kNotExercised,
                                  DiffOutcome::kNotJudged};

// One side's outcomes over the seeds: the label alone when every seed agrees, else each
// label with its number of seeds.
std::string outcome_cell(const std::array<std::uint64_t, sim::kDiffOutcomeCount>& counts) {
  std::string out;
  std::size_t kinds = 0;
  for (const DiffOutcome o : kOutcomes) {
    kinds += counts[static_cast<std::size_t>(o)] != 0 ? 1 : 0;
  }
  for (const DiffOutcome o : kOutcomes) {
    const std::uint64_t n = counts[static_cast<std::size_t>(o)];
    if (n == 0) {
      continue;
    }
    out += (out.empty() ? "" : ", ") + std::string(sim::outcome_label(o));
    if (kinds > 1) {
      out += " " + std::to_string(n);
    }
  }
  return out;
}

char marker(DiffChange change) {
  switch (change) {
    case DiffChange::kWorse:
      return '!';
    case DiffChange::kBetter:
      return '+';
    case DiffChange::kChanged:
      return '~';
    case DiffChange::kSame:
      return ' ';
  }
  return '?';
}

std::string number(double value, bool whole) {
  char text[64];
  std::snprintf(text, sizeof text, whole ? "%.0f" : "%.1f", value);
  return text;
}

std::string ratio(double a, double b) {
  if (a == 0.0) {
    return b == 0.0 ? "=" : "-";
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", b / a);
  return text;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    out += (out.empty() ? "" : ", ") + n;
  }
  return out.empty() ? "none" : out;
}

std::string line(const char* format, const std::string& a, const std::string& b,
                 const std::string& c, const std::string& d) {
  char text[512];
  std::snprintf(text, sizeof text, format, a.c_str(), b.c_str(), c.c_str(), d.c_str());
  return text;
}

std::string render_world(const DiffWorld& w) {
  const sim::ScenarioDiff& d = w.diff;
  std::string out =
      "\n== " + w.label + ": scenario " +
      (d.scenario_a == d.scenario_b ? d.scenario_a : "A " + d.scenario_a + ", B " + d.scenario_b) +
      "; profile A " + d.profile_a + ", B " + d.profile_b + "; attacks " +
      (w.adversaries_a == w.adversaries_b
           ? joined(w.adversaries_a)
           : "A " + joined(w.adversaries_a) + ", B " + joined(w.adversaries_b)) +
      "\n";
  out += line("  %-34s %-30s %s%s\n", "invariant", "A", "B", "");
  for (const sim::InvariantDiff& i : d.invariants) {
    out += line("%s %-34s %-30s %s\n", std::string(1, marker(i.change())), i.name,
                outcome_cell(i.a), outcome_cell(i.b));
  }
  out += line("  %-34s %14s %14s %8s\n", "figure", "A", "B", "B/A");
  for (const sim::FigureRow& f : sim::figure_rows(d.a, d.b)) {
    out += line("  %-34s %14s %14s %8s\n", f.name, number(f.a, f.whole), number(f.b, f.whole),
                ratio(f.a, f.b));
  }
  if (!d.findings_a.empty() || !d.findings_b.empty()) {
    // Only the lines one side lacks: the rest (the adversaries' names, counts both share)
    // would hide the difference.
    out += "  attack findings of seed " + std::to_string(d.findings_seed) + " that differ:\n";
    auto lacking = [](const std::vector<std::string>& lines, const std::vector<std::string>& other,
                      const char* side, std::string& to) {
      for (const std::string& f : lines) {
        if (std::find(other.begin(), other.end(), f) == other.end()) {
          to += std::string("    ") + side + ": " + f + "\n";
        }
      }
    };
    lacking(d.findings_a, d.findings_b, "A", out);
    lacking(d.findings_b, d.findings_a, "B", out);
  }
  out += "  seeds whose outcomes differ: " + std::to_string(d.seeds.size()) + " of " +
         std::to_string(d.a.runs) + "\n";
  for (std::size_t k = 0; k < d.seeds.size() && k < kSeedsShown; ++k) {
    const sim::SeedDiff& s = d.seeds[k];
    out += "    seed " + std::to_string(s.seed) + (s.worse ? " (worse under B)" : "") + ": " +
           joined(s.invariants) + "; A " + (s.pass_a ? "PASS" : "FAIL") + ", B " +
           (s.pass_b ? "PASS" : "FAIL") + "\n";
    out += "      A: " + w.replays[k].first + "\n";
    out += "      B: " + w.replays[k].second + "\n";
  }
  if (d.seeds.size() > kSeedsShown) {
    out += "    ... and " + std::to_string(d.seeds.size() - kSeedsShown) +
           " more seeds (--json lists every one)\n";
  }
  return out;
}

nlohmann::ordered_json outcome_counts(
    const std::array<std::uint64_t, sim::kDiffOutcomeCount>& counts) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const DiffOutcome o : kOutcomes) {
    if (const std::uint64_t n = counts[static_cast<std::size_t>(o)]; n != 0) {
      j[std::string(sim::outcome_label(o))] = n;
    }
  }
  return j;
}

nlohmann::ordered_json world_json(const DiffWorld& w) {
  const sim::ScenarioDiff& d = w.diff;
  nlohmann::ordered_json j;
  j["scenario"] = w.label;
  j["scenario_a"] = d.scenario_a;
  j["scenario_b"] = d.scenario_b;
  j["profile_a"] = d.profile_a;
  j["profile_b"] = d.profile_b;
  j["adversaries_a"] = w.adversaries_a;
  j["adversaries_b"] = w.adversaries_b;
  j["worse"] = d.worse();
  auto rows = nlohmann::ordered_json::array();
  for (const sim::InvariantDiff& i : d.invariants) {
    rows.push_back({{"name", i.name},
                    {"requirement", i.requirement},
                    {"change", sim::change_label(i.change())},
                    {"a", outcome_counts(i.a)},
                    {"b", outcome_counts(i.b)},
                    {"worse_seeds", i.worse_seeds},
                    {"better_seeds", i.better_seeds},
                    {"changed_seeds", i.changed_seeds}});
  }
  j["invariants"] = rows;
  auto figures = nlohmann::ordered_json::array();
  for (const sim::FigureRow& f : sim::figure_rows(d.a, d.b)) {
    figures.push_back({{"name", f.name}, {"a", f.a}, {"b", f.b}});
  }
  j["figures"] = figures;
  j["findings"] = {{"seed", d.findings_seed}, {"a", d.findings_a}, {"b", d.findings_b}};
  auto seeds = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < d.seeds.size(); ++k) {
    const sim::SeedDiff& s = d.seeds[k];
    seeds.push_back({{"seed", s.seed},
                     {"invariants", s.invariants},
                     {"worse", s.worse},
                     {"verdict_a", s.pass_a ? "pass" : "fail"},
                     {"verdict_b", s.pass_b ? "pass" : "fail"},
                     {"replay_a", w.replays[k].first},
                     {"replay_b", w.replays[k].second}});
  }
  j["differing_seeds"] = seeds;
  return j;
}

std::string verdict_word(const DiffSummary& s) {
  if (s.worse()) {
    return "worse";
  }
  if (!s.stopped.empty()) {
    return "stopped";
  }
  const bool differ = std::any_of(s.worlds.begin(), s.worlds.end(),
                                  [](const DiffWorld& w) { return !w.diff.seeds.empty(); });
  return differ ? "different" : "same";
}

}  // namespace

bool DiffSummary::worse() const {
  return std::any_of(worlds.begin(), worlds.end(),
                     [](const DiffWorld& w) { return w.diff.worse(); });
}

std::string render_diff_text(const DiffSummary& s) {
  std::string out =
      "diff A " + s.a + ", B " + s.b + (s.bug_b == "none" ? "" : " (B's server: " + s.bug_b + ")") +
      ": seeds " + std::to_string(s.seeds.first) + ".." + std::to_string(s.seeds.last) + ", " +
      std::to_string(s.worlds.size()) + " scenario(s), " + std::to_string(s.runs) + " runs\n";
  out +=
      "rows: ! violated under B where A was not (worse), + violated under A where B was not "
      "(better), ~ another change\n";
  for (const DiffWorld& w : s.worlds) {
    out += render_world(w);
  }
  std::uint64_t worse_rows = 0;
  std::uint64_t changed_rows = 0;
  for (const DiffWorld& w : s.worlds) {
    changed_rows += w.diff.rows_changed();
    for (const sim::InvariantDiff& i : w.diff.invariants) {
      worse_rows += i.change() == DiffChange::kWorse ? 1 : 0;
    }
  }
  out += "\n";
  if (!s.stopped.empty()) {
    out += "STOPPED after " + std::to_string(s.runs) + " runs: " + s.stopped + "\n";
  }
  const std::string word = verdict_word(s);
  if (word == "worse") {
    out += "WORSE: B violates " + std::to_string(worse_rows) +
           " invariant row(s) on seeds where A did not\n";
  } else if (word == "different") {
    out += "DIFFERENT: " + std::to_string(changed_rows) +
           " invariant row(s) differ, none violated under B where A was not\n";
  } else if (word == "same") {
    out += "SAME: every invariant has the same outcome under A and B on every seed\n";
  }
  return out;
}

std::string render_diff_json(const DiffSummary& s) {
  nlohmann::ordered_json j;
  j["a"] = s.a;
  j["b"] = s.b;
  j["inject_bug_b"] = s.bug_b;
  j["seeds"] = {{"first", s.seeds.first}, {"last", s.seeds.last}};
  j["runs"] = s.runs;
  j["verdict"] = verdict_word(s);
  if (!s.stopped.empty()) {
    j["stopped"] = s.stopped;
  }
  auto worlds = nlohmann::ordered_json::array();
  for (const DiffWorld& w : s.worlds) {
    worlds.push_back(world_json(w));
  }
  j["scenarios"] = worlds;
  return j.dump() + "\n";
}

}  // namespace spmc::cli
