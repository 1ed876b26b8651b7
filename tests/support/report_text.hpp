#pragma once
// Test helpers over a world's Report: the failed invariants as text for assertion messages.
#include <string>

#include "spmc/sim/world.hpp"

namespace spmc::sim::testing {

inline std::string failures(const Report& r) {
  std::string out;
  for (const auto& i : r.invariants) {
    if (!i.held) {
      out += i.name + ": " + i.detail + "\n";
    }
  }
  return out;
}

}  // namespace spmc::sim::testing
