#pragma once
// What the swarm (spmc/sim/swarm.hpp) may add to a world: per profile, the adversaries every
// invariant must withstand. An adversary is listed under a profile exactly when its attack
// scenario for that profile (simulator/scenarios/attacks/*.json) declares no expected
// violation, so a swarm run with it passes only when the protocol holds; the attacks that
// succeed by design (key substitution, MITM, device compromise, dropped acks, and under
// `paper` the forged key share and the removed member) stay in their own scenarios.
// tests/sim/swarm_test.cpp checks this table against the attack files.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "spmc/profile.hpp"
#include "spmc/sim/swarm.hpp"

namespace spmc::sim {

// In registry order (the order their hooks run in); empty for a profile not in the table.
std::vector<std::string> must_hold_adversaries(std::string_view profile_name);

// The default ranges with `profiles` (every built-in one when empty) each carrying its
// must-hold adversaries.
SwarmRanges swarm_ranges(std::span<const Profile* const> profiles = {});

}  // namespace spmc::sim
