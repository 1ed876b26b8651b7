#include "spmc/sim/diff.hpp"

#include <algorithm>
#include <map>

#include "spmc/sim/invariants.hpp"

namespace spmc::sim {

namespace {

std::size_t index_of(DiffOutcome o) { return static_cast<std::size_t>(o); }

// The median of per-seed values (the lower middle one of an even count): a figure that
// one slow seed cannot drag, computed without floating point.
std::uint64_t median(std::vector<std::uint64_t> values) {
  if (values.empty()) {
    return 0;
  }
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>((values.size() - 1) / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

// Registry order first (the order `spmc sim` prints), then any name the registry lacks.
std::size_t row_rank(const std::string& name) {
  const auto id = invariant_by_name(name);
  return id ? static_cast<std::size_t>(*id) : invariant_names().size();
}

double ratio(std::uint64_t num, std::uint64_t den) {
  return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den);
}

}  // namespace

std::string_view outcome_label(DiffOutcome outcome) {
  switch (outcome) {
    case DiffOutcome::kHeld:
      return "held";
    case DiffOutcome::kViolated:
      return "violated";
    case DiffOutcome::kExpectedViolation:
      return "violated (expected)";
    case DiffOutcome::kExpectedButHeld:
      return "held (violation expected)";
    case DiffOutcome::kNotExercised:
      return "not exercised";
    case DiffOutcome::kNotJudged:
      return "not judged";
  }
  return "?";
}

DiffOutcome outcome_of(const InvariantResult& r) {
  if (!r.held) {
    return r.expected_violation ? DiffOutcome::kExpectedViolation : DiffOutcome::kViolated;
  }
  if (r.expected_violation) {
    return DiffOutcome::kExpectedButHeld;
  }
  return r.exercised() ? DiffOutcome::kHeld : DiffOutcome::kNotExercised;
}

std::string_view change_label(DiffChange change) {
  switch (change) {
    case DiffChange::kSame:
      return "same";
    case DiffChange::kChanged:
      return "changed";
    case DiffChange::kBetter:
      return "better";
    case DiffChange::kWorse:
      return "worse";
  }
  return "?";
}

DiffChange InvariantDiff::change() const {
  if (worse_seeds != 0) {
    return DiffChange::kWorse;
  }
  if (better_seeds != 0) {
    return DiffChange::kBetter;
  }
  return changed_seeds != 0 ? DiffChange::kChanged : DiffChange::kSame;
}

bool ScenarioDiff::worse() const {
  return std::any_of(invariants.begin(), invariants.end(),
                     [](const InvariantDiff& i) { return i.change() == DiffChange::kWorse; });
}

std::uint64_t ScenarioDiff::rows_changed() const {
  return static_cast<std::uint64_t>(
      std::count_if(invariants.begin(), invariants.end(),
                    [](const InvariantDiff& i) { return i.change() != DiffChange::kSame; }));
}

std::vector<FigureRow> figure_rows(const DiffFigures& a, const DiffFigures& b) {
  auto count = [](std::string name, std::uint64_t x, std::uint64_t y) {
    return FigureRow{std::move(name), static_cast<double>(x), static_cast<double>(y), true};
  };
  auto mean = [](std::string name, double x, double y) {
    return FigureRow{std::move(name), x, y, false};
  };
  std::vector<FigureRow> rows{
      count("runs passing their own verdict", a.passed, b.passed),
      count("messages sent", a.messages_sent, b.messages_sent),
      count("deliveries", a.deliveries, b.deliveries),
      count("deliveries expected", a.deliveries_expected, b.deliveries_expected),
      count("latency p50 ms (median of seeds)", a.latency_p50_ms, b.latency_p50_ms),
      count("latency p90 ms (median of seeds)", a.latency_p90_ms, b.latency_p90_ms),
      count("latency p99 ms (median of seeds)", a.latency_p99_ms, b.latency_p99_ms),
      count("latency max ms (largest)", a.latency_max_ms, b.latency_max_ms),
      mean("wire bytes per delivered message", ratio(a.wire_bytes, a.deliveries),
           ratio(b.wire_bytes, b.deliveries)),
      count("wire packets", a.wire_packets, b.wire_packets),
      count("key shares relayed", a.key_shares_relayed, b.key_shares_relayed),
      mean("bytes per key share", ratio(a.key_share_bytes, a.key_shares_relayed),
           ratio(b.key_share_bytes, b.key_shares_relayed)),
      count("message envelopes relayed", a.envelopes_relayed, b.envelopes_relayed),
      mean("bytes per message envelope", ratio(a.envelope_bytes, a.envelopes_relayed),
           ratio(b.envelope_bytes, b.envelopes_relayed)),
      count("peak offline store (largest)", a.peak_store_depth, b.peak_store_depth),
      count("events", a.events, b.events),
  };
  if (a.locality_runs == 0 && b.locality_runs == 0) {
    return rows;
  }
  // Where the contact pairs' messages travel (LOC-013): a deployment's exposure next to the
  // latency it buys. Groups in topology order; a group only one side has counts 0 on the other.
  rows.push_back(count("contact pairs (locality)", a.locality_pairs, b.locality_pairs));
  rows.push_back(count("pairs within one region", a.locality_same_region, b.locality_same_region));
  rows.push_back(count("pairs leaving their region", a.locality_leaving, b.locality_leaving));
  const auto pairs_of = [](const DiffFigures& f, const std::string& group) {
    for (const auto& [name, pairs] : f.locality_accessible) {
      if (name == group) {
        return pairs;
      }
    }
    return std::uint64_t{0};
  };
  std::vector<std::string> groups;
  for (const DiffFigures* f : {&a, &b}) {
    for (const auto& [name, pairs] : f->locality_accessible) {
      if (std::find(groups.begin(), groups.end(), name) == groups.end()) {
        groups.push_back(name);
      }
    }
  }
  for (const std::string& group : groups) {
    rows.push_back(count("pairs accessible to " + group, pairs_of(a, group), pairs_of(b, group)));
  }
  return rows;
}

void DiffAccumulator::add_figures(PerSide& side, const Report& r) {
  DiffFigures& f = side.figures;
  ++f.runs;
  f.passed += r.pass ? 1 : 0;
  f.messages_sent += r.messages_sent;
  f.deliveries += r.deliveries;
  f.deliveries_expected += r.deliveries_expected;
  if (r.latency.count != 0) {  // a run that delivered nothing has no latency to take a middle of
    side.p50.push_back(r.latency.p50_ms);
    side.p90.push_back(r.latency.p90_ms);
    side.p99.push_back(r.latency.p99_ms);
  }
  f.latency_max_ms = std::max(f.latency_max_ms, r.latency.max_ms);
  f.wire_bytes += r.wire_bytes;
  f.wire_packets += r.wire_packets;
  f.key_shares_relayed += r.key_shares_relayed;
  f.key_share_bytes += r.key_share_bytes;
  f.envelopes_relayed += r.envelopes_relayed;
  f.envelope_bytes += r.envelope_bytes;
  f.peak_store_depth = std::max<std::uint64_t>(f.peak_store_depth, r.peak_store_depth);
  f.events += r.events;
  if (r.locality) {
    ++f.locality_runs;
    f.locality_pairs += r.locality->pairs;
    f.locality_same_region += r.locality->same_region;
    f.locality_leaving += r.locality->leaving;
    for (const auto& group : r.locality->accessible) {
      // Not a structured binding: clang 14 cannot capture one in the lambda.
      auto it = std::find_if(f.locality_accessible.begin(), f.locality_accessible.end(),
                             [&group](const auto& g) { return g.first == group.first; });
      if (it == f.locality_accessible.end()) {
        f.locality_accessible.push_back(group);
      } else {
        it->second += group.second;
      }
    }
  }
}

InvariantDiff& DiffAccumulator::row(const std::string& name, const std::string& requirement) {
  auto it = std::find_if(m_diff.invariants.begin(), m_diff.invariants.end(),
                         [&name](const InvariantDiff& i) { return i.name == name; });
  if (it != m_diff.invariants.end()) {
    return *it;
  }
  // First seen now: in every earlier seed neither side judged it.
  InvariantDiff fresh;
  fresh.name = name;
  fresh.requirement = requirement;
  fresh.a[index_of(DiffOutcome::kNotJudged)] = m_a.figures.runs;
  fresh.b[index_of(DiffOutcome::kNotJudged)] = m_b.figures.runs;
  m_diff.invariants.push_back(fresh);
  return m_diff.invariants.back();
}

void DiffAccumulator::add(std::uint64_t seed, const Report& a, const Report& b) {
  if (m_first) {
    m_first = false;
    m_diff.scenario_a = a.scenario;
    m_diff.scenario_b = b.scenario;
    m_diff.profile_a = a.profile;
    m_diff.profile_b = b.profile;
    if (a.findings != b.findings) {
      m_diff.findings_seed = seed;
      m_diff.findings_a = a.findings;
      m_diff.findings_b = b.findings;
    }
  }
  // Every name judged on either side this seed, each once.
  std::map<std::string, std::pair<DiffOutcome, DiffOutcome>> seen;
  for (const InvariantResult& i : a.invariants) {
    row(i.name, i.requirement);
    seen.emplace(i.name, std::pair{outcome_of(i), DiffOutcome::kNotJudged});
  }
  for (const InvariantResult& i : b.invariants) {
    row(i.name, i.requirement);
    auto [it, fresh] = seen.emplace(i.name, std::pair{DiffOutcome::kNotJudged, outcome_of(i)});
    if (!fresh) {
      it->second.second = outcome_of(i);
    }
  }
  add_figures(m_a, a);
  add_figures(m_b, b);
  SeedDiff seed_diff{seed, {}, a.pass, b.pass, false};
  for (InvariantDiff& r : m_diff.invariants) {
    const auto found = seen.find(r.name);
    const auto [oa, ob] = found == seen.end()
                              ? std::pair{DiffOutcome::kNotJudged, DiffOutcome::kNotJudged}
                              : found->second;
    ++r.a[index_of(oa)];
    ++r.b[index_of(ob)];
    if (oa == ob) {
      continue;
    }
    seed_diff.invariants.push_back(r.name);
    if (is_violation(ob) && !is_violation(oa)) {
      ++r.worse_seeds;
      seed_diff.worse = true;
    } else if (is_violation(oa) && !is_violation(ob)) {
      ++r.better_seeds;
    } else {
      ++r.changed_seeds;
    }
  }
  if (!seed_diff.invariants.empty()) {
    m_diff.seeds.push_back(std::move(seed_diff));
  }
}

ScenarioDiff DiffAccumulator::finish() const {
  ScenarioDiff out = m_diff;
  std::stable_sort(out.invariants.begin(), out.invariants.end(),
                   [](const InvariantDiff& x, const InvariantDiff& y) {
                     return row_rank(x.name) < row_rank(y.name);
                   });
  // The differing invariants of each seed in the same order as the rows.
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < out.invariants.size(); ++i) {
    position[out.invariants[i].name] = i;
  }
  for (SeedDiff& s : out.seeds) {
    std::sort(s.invariants.begin(), s.invariants.end(),
              [&position](const std::string& x, const std::string& y) {
                return position[x] < position[y];
              });
  }
  auto put = [](DiffFigures& f, const PerSide& side) {
    f = side.figures;
    f.latency_p50_ms = median(side.p50);
    f.latency_p90_ms = median(side.p90);
    f.latency_p99_ms = median(side.p99);
  };
  put(out.a, m_a);
  put(out.b, m_b);
  return out;
}

}  // namespace spmc::sim
