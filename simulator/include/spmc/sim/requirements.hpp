#pragma once
// The paper's Table 1 as executable evidence (spec/requirements.md, REQ-001): each check
// REQ-n.name is evaluated by a fresh run (a simulator scenario under an adversary, or a
// focused experiment on the reference library) and yields holds / partly / fails with the
// evidence a designer can replay.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spmc::sim {

enum class Verdict : std::uint8_t { kHolds, kPartly, kFails };
std::string_view verdict_name(Verdict verdict);  // "holds", "partly", "fails"

struct CheckResult {
  std::string id;         // e.g. "REQ-7.copy_bypass"
  std::string adversary;  // PNO, HBC, MAL, ANA, DEV, LOST or "-"
  std::string profile;    // paper / hardened
  Verdict verdict = Verdict::kHolds;
  std::string evidence;  // one line: what was observed, with counts
  std::string source;    // "scenario attacks/key_substitution.json seed 1" or "experiment ..."
  std::uint64_t seed = 0;
  // Figures that depend on this machine's speed (guesses/s, seconds); empty when the
  // check's outcome is purely deterministic. Kept apart so the rest is byte-stable.
  std::string measured;
};

// Wall-clock seconds, injected by the command line: the simulator itself never reads a
// clock (determinism), but an attack's cost in seconds is a measured figure.
using Stopwatch = std::function<double()>;

}  // namespace spmc::sim
