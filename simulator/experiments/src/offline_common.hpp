#pragma once
// Shared by the offline experiments (offline_attacks.cpp, offline_u2u.cpp): one CheckResult
// shell and number formatting. Evidence figures are integers or log2 values of exact
// integers, so they print the same on every run.
#include <cmath>
#include <cstdio>
#include <string>

#include "spmc/profile.hpp"
#include "spmc/sim/offline_attacks.hpp"

namespace spmc::sim::offline {

inline CheckResult make_result(const Profile& profile, std::string id, std::string adversary,
                               std::string source) {
  CheckResult result;
  result.id = std::move(id);
  result.adversary = std::move(adversary);
  result.profile = std::string(profile.name);
  result.source = "experiment " + std::move(source);
  result.seed = kOfflineSeed;
  return result;
}

// "2^17.0": the binary logarithm of a count, one decimal.
inline std::string log2_text(double count) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "2^%.1f", std::log2(count));
  return buffer;
}

// Three significant digits, for measured figures only.
inline std::string short_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", value);
  return buffer;
}

// Seconds between two stopwatch readings and the rate they give; "n/a" without elapsed time.
inline std::string rate_text(double guesses, double seconds) {
  if (!(seconds > 0)) {
    return "n/a guesses/s";
  }
  return short_number(guesses / seconds) + " guesses/s";
}

// The phone-level checks of offline_group.cpp, run by run_protocol_checks.
CheckResult group_origin_check(const Profile& profile);
CheckResult recovery_check(const Profile& profile);

}  // namespace spmc::sim::offline
