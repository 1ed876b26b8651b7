#pragma once
// What a scenario will cost before it runs: memory and wall time from its parameters alone
// (no world is built), so that `spmc sim` can say so, or refuse, before a million-phone world
// eats the machine. Rough by design (within a factor of two on the shipped scenarios); the
// constants and where each was measured are in estimate.cpp.
#include <cstdint>
#include <string>

#include "spmc/sim/scenario.hpp"

namespace spmc::sim {

struct ResourceEstimate {
  std::uint64_t contact_pairs = 0;  // edges of the contact graph
  std::uint64_t group_members = 0;  // sum of group sizes (mean size per group)
  std::uint64_t messages = 0;       // application messages in the safety phase
  std::uint64_t events = 0;         // discrete events of one whole run
  std::uint64_t memory_bytes = 0;   // peak memory one run adds
  std::uint64_t wall_seconds = 0;   // one run, on one core of the bench machine
};

ResourceEstimate estimate_resources(const Scenario& scenario);

// "2.1 GiB of memory and about 3 min (1000 phones, 2000 contact pairs, 1.2 M events)".
std::string describe_estimate(const ResourceEstimate& estimate, std::uint32_t phones);
// "512 MiB", "2.1 GiB".
std::string format_bytes(std::uint64_t bytes);

}  // namespace spmc::sim
