#pragma once
// `spmc diff`: the same worlds (one scenario, the same seeds) run under two sides A and B
// (two profiles, or two scenario files), compared invariant by invariant and seed by seed,
// with the figures of both side by side. The command line runs the worlds (it owns the
// limits and the progress line) and hands each seed's pair of reports to a DiffAccumulator;
// nothing here runs a world, so the comparison is tested on reports alone.
//
// B is worse than A (exit 1) when, in some world (scenario and seed), an invariant was
// violated under B and not under A (held, not exercised, or not judged there), whether or not
// the scenario declared that violation: the declarations say which findings a scenario exists
// to show, the diff says which properties changed.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spmc/sim/world.hpp"

namespace spmc::sim {

// One invariant in one run, as the diff tells it.
enum class DiffOutcome : std::uint8_t {
  kHeld,               // judged and held
  kViolated,           // violated, not declared in expected_violations
  kExpectedViolation,  // violated, declared
  kExpectedButHeld,    // declared but held (the run fails: the finding did not show)
  kNotExercised,       // held with zero checks
  kNotJudged,          // absent from the run's report (opt-in, or no adversary judging it)
};
inline constexpr std::size_t kDiffOutcomeCount = 6;

std::string_view outcome_label(DiffOutcome outcome);  // "held", "violated (expected)", ...
DiffOutcome outcome_of(const InvariantResult& result);
inline bool is_violation(DiffOutcome o) {
  return o == DiffOutcome::kViolated || o == DiffOutcome::kExpectedViolation;
}

// How a row changed from A to B over all seeds: worse beats better beats changed.
enum class DiffChange : std::uint8_t { kSame, kChanged, kBetter, kWorse };
std::string_view change_label(DiffChange change);  // "same", "changed", "better", "worse"

struct InvariantDiff {
  std::string name;
  std::string requirement;
  std::array<std::uint64_t, kDiffOutcomeCount> a{};  // seeds per DiffOutcome under A
  std::array<std::uint64_t, kDiffOutcomeCount> b{};
  std::uint64_t worse_seeds = 0;    // violated under B, not under A
  std::uint64_t better_seeds = 0;   // violated under A, not under B
  std::uint64_t changed_seeds = 0;  // any other change of outcome
  DiffChange change() const;
};

// One side's figures over every seed of a scenario. Sums, except where named: latency
// percentiles are the median of the per-seed percentiles (a report keeps no raw latencies),
// the latency maximum and the peak offline store are the largest of any seed.
struct DiffFigures {
  std::uint64_t runs = 0;
  std::uint64_t passed = 0;  // runs whose own verdict was PASS
  std::uint64_t messages_sent = 0;
  std::uint64_t deliveries = 0;
  std::uint64_t deliveries_expected = 0;
  std::uint64_t latency_p50_ms = 0;
  std::uint64_t latency_p90_ms = 0;
  std::uint64_t latency_p99_ms = 0;
  std::uint64_t latency_max_ms = 0;
  std::uint64_t wire_bytes = 0;
  std::uint64_t wire_packets = 0;
  std::uint64_t key_shares_relayed = 0;
  std::uint64_t key_share_bytes = 0;
  std::uint64_t envelopes_relayed = 0;
  std::uint64_t envelope_bytes = 0;
  std::uint64_t peak_store_depth = 0;
  std::uint64_t events = 0;
  // Worlds in countries (spec/locality.md LOC-013), summed over the seeds that have them:
  // contact pairs, those inside one region that leave it, and per interest group the pairs it
  // can access. figure_rows() shows them only when a side has them.
  std::uint64_t locality_runs = 0;
  std::uint64_t locality_pairs = 0;
  std::uint64_t locality_same_region = 0;
  std::uint64_t locality_leaving = 0;
  std::vector<std::pair<std::string, std::uint64_t>> locality_accessible;  // topology order
};

// One figure of both sides, for display: name, A, B (B/A is the renderer's).
struct FigureRow {
  std::string name;
  double a = 0;
  double b = 0;
  bool whole = true;  // an integer count (printed without decimals)
};
std::vector<FigureRow> figure_rows(const DiffFigures& a, const DiffFigures& b);

// A seed whose outcomes differ on at least one invariant.
struct SeedDiff {
  std::uint64_t seed = 0;
  std::vector<std::string> invariants;  // the ones that differ, in row order
  bool pass_a = false;
  bool pass_b = false;
  bool worse = false;  // one of them is worse under B
};

struct ScenarioDiff {
  std::string scenario_a;  // the scenario names the two reports carry
  std::string scenario_b;
  std::string profile_a;
  std::string profile_b;
  std::vector<InvariantDiff> invariants;  // invariant registry order, then any other name
  std::vector<SeedDiff> seeds;            // in seed order
  DiffFigures a;
  DiffFigures b;
  // The attack findings of the first seed, when A's and B's differ (empty otherwise).
  std::uint64_t findings_seed = 0;
  std::vector<std::string> findings_a;
  std::vector<std::string> findings_b;
  bool worse() const;
  std::uint64_t rows_changed() const;
};

class DiffAccumulator {
 public:
  // One seed, both sides judged (neither report stopped).
  void add(std::uint64_t seed, const Report& a, const Report& b);
  ScenarioDiff finish() const;

 private:
  struct PerSide {
    DiffFigures figures;
    std::vector<std::uint64_t> p50;
    std::vector<std::uint64_t> p90;
    std::vector<std::uint64_t> p99;
  };
  static void add_figures(PerSide& side, const Report& r);
  InvariantDiff& row(const std::string& name, const std::string& requirement);

  ScenarioDiff m_diff;
  PerSide m_a;
  PerSide m_b;
  bool m_first = true;
};

}  // namespace spmc::sim
