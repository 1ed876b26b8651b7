#pragma once
// What `spmc diff` prints: a table of every invariant per scenario (A and B, rows that
// differ marked), the figures side by side with B/A, the attack findings when they differ,
// and the seeds whose outcomes differ with both replay commands; or all of it as one JSON
// object.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "args.hpp"
#include "spmc/sim/diff.hpp"

namespace spmc::cli {

// One --scenario world compared.
struct DiffWorld {
  std::string label;  // the --scenario path as typed, or "(built-in default)"
  std::vector<std::string> adversaries_a;
  std::vector<std::string> adversaries_b;
  sim::ScenarioDiff diff;
  // The replay commands of diff.seeds, in the same order: A's, B's.
  std::vector<std::pair<std::string, std::string>> replays;
};

struct DiffSummary {
  std::string a;  // the sides as typed
  std::string b;
  std::string bug_b;  // --inject-bug on B, "none" when not given
  SeedRange seeds;
  std::uint64_t runs = 0;  // worlds run, both sides counted
  std::vector<DiffWorld> worlds;
  std::string stopped;  // why the diff stopped before its last world, "" when it did not
  bool worse() const;
};

// Seeds listed per scenario in the text output; --json lists every one.
inline constexpr std::size_t kSeedsShown = 5;

std::string render_diff_text(const DiffSummary& summary);
std::string render_diff_json(const DiffSummary& summary);

}  // namespace spmc::cli
