#pragma once
// The paper's Table 1 as executable evidence (spec/requirements.md, REQ-001): each check
// REQ-n.name is evaluated by a fresh run (a simulator scenario under an adversary, or a
// focused experiment on the reference library) and yields holds / partly / fails with the
// evidence a designer can replay.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spmc/profile.hpp"
#include "spmc/result.hpp"

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

namespace spmc::sim {

// What the spec predicts for one check under one profile.
struct Prediction {
  Verdict verdict = Verdict::kHolds;
  // The spec's `*`: a run may show a better result than predicted under this profile (the
  // weakness exists but a given run need not exhibit it). Anywhere else better is a
  // disagreement too: a demonstrated attack that silently stops working must be noticed.
  bool may_not_show = false;
  friend bool operator==(const Prediction&, const Prediction&) = default;
};

// One row of spec/requirements.md's check tables: the prediction per profile, keyed by the
// profile's name (a test holds this list and the spec's tables equal). A built-in without an
// entry for a check disagrees on it until the spec predicts it; a profile the spec predicts
// nothing for (a designer's file, PRO-008) is judged and reported "not predicted".
struct PredictedCheck {
  std::string_view id;
  std::string_view adversary;
  bool evaluated;  // false: no run of this tool judges it yet (printed as such)
  std::map<std::string_view, Prediction, std::less<>> predictions;

  const Prediction* prediction_for(std::string_view profile) const;
};
const std::vector<PredictedCheck>& predicted_checks();
std::optional<Verdict> predicted_verdict(std::string_view id, std::string_view profile);
bool may_not_show(std::string_view id, std::string_view profile);
// Some check has a prediction for `profile`.
bool predicts_profile(std::string_view profile);

// How a run compares with the prediction: "agrees", "not exhibited" (better, where the spec
// allows a run not to show the weakness), "DISAGREES" (worse, or better where it does not), or
// "not predicted" (the spec predicts nothing for this profile).
std::string_view agreement(std::string_view id, std::string_view profile, Verdict observed);

struct RequirementsOptions {
  std::string scenario_dir;  // holds default.json-style files and attacks/
  std::uint64_t seed = 1;
  Stopwatch clock;
};

// Runs every pinned scenario and experiment under `profile` and returns one CheckResult
// per evaluated check, in spec order. Fails only if a scenario file cannot be loaded.
Result<std::vector<CheckResult>> evaluate_requirements(const Profile& profile,
                                                       const RequirementsOptions& options);

}  // namespace spmc::sim
