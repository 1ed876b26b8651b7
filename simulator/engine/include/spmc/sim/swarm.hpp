#pragma once
// Swarm worlds (simulator/SWARM.md): the whole scenario drawn from the world seed within
// documented ranges, as TigerBeetle's VOPR draws its cluster, so a sweep of many seeds walks
// many configurations instead of one. The draw is a pure function of (seed, ranges): every
// field comes from its own SeedTree stream of the seed, so `spmc sim --swarm --seed N`
// rebuilds exactly the world a swarm sweep ran for seed N, and widening one range never
// shifts the draws of another field.
//
// Swarm testing (Groce et al., ISSTA 2012): each optional feature (groups, U2U, churn, every
// fault kind, every adversary) is switched on with probability `feature_on_ppm` before its
// rate is drawn, so some worlds have few features at high intensity instead of every
// world having all of them at a blend.
//
// The engine knows no adversary: the caller gives, per profile, the adversaries the swarm
// may add (those every invariant must withstand under that profile; the world's table,
// spmc/sim/swarm_adversaries.hpp).
#include <cstdint>
#include <string>
#include <vector>

#include "spmc/profile.hpp"
#include "spmc/sim/scenario.hpp"

namespace spmc::sim {

// Both ends included, lo <= hi.
struct SwarmSpan {
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;
};

// An adversary the swarm may add, and what it needs of the world it joins.
struct SwarmAdversary {
  std::string name;
  bool needs_groups = false;          // added only to a world with groups
  bool no_server_crashes = false;     // added only to a world whose server never crashes
  std::vector<std::string> excludes;  // never in one world with these
};

struct SwarmProfile {
  const Profile* profile = nullptr;  // one of all_profiles()
  // False where group changes break an invariant by design (paper: a member added later is
  // refused, A-30, group_churn.json), so the swarm never asks for them under that profile.
  bool group_changes = true;
  // Each considered in this order and added with probability feature_on_ppm, when the world
  // has what it needs and no adversary already added excludes it (or is excluded by it).
  std::vector<SwarmAdversary> adversaries;
};

// The defaults are the documented ranges (SWARM.md); they keep a world small enough that a
// thousand seeds run in minutes.
struct SwarmRanges {
  std::uint32_t feature_on_ppm = 500'000;
  SwarmSpan phones{2, 12};
  // Topology: regions, access routers, and each link's latency (jitter in [0, latency]).
  SwarmSpan regions{1, 4};
  SwarmSpan access_per_region{1, 4};
  SwarmSpan link_latency_us{1'000, 60'000};
  // Faults of the phones' access links (loss, duplication, reordering each in this range),
  // on top of the end-to-end faults below: one feature.
  SwarmSpan access_link_fault_ppm{0, 100'000};
  // Contacts: kind uniform over the four; degree clamped to phones - 1.
  SwarmSpan contact_degree{2, 6};
  SwarmSpan rewire_ppm{0, 500'000};
  SwarmSpan messages_per_phone_per_minute{1, 30};
  SwarmSpan message_size{0, 2048};  // min and max both drawn in here
  SwarmSpan groups{1, 3};           // when groups are on; sizes in [2, phones]
  SwarmSpan group_changes_per_hour{1, 360};
  SwarmSpan u2u_sessions{1, 3};
  SwarmSpan offline_per_phone_per_day{1, 2'880};
  SwarmSpan mean_offline_ms{1'000, 60'000};
  SwarmSpan loss_ppm{1, 300'000};
  SwarmSpan duplication_ppm{1, 300'000};
  SwarmSpan reorder_ppm{1, 500'000};
  SwarmSpan reorder_delay_max_us{0, 1'000'000};
  SwarmSpan spike_ppm{1, 300'000};
  SwarmSpan spike_delay_us{0, 5'000'000};  // min and max both drawn in here
  SwarmSpan partitions_per_hour{1, 120};
  SwarmSpan partition_duration_ms{1'000, 30'000};
  SwarmSpan phone_crashes_per_hour{1, 120};
  SwarmSpan server_crashes_per_hour{1, 60};
  SwarmSpan crash_downtime_ms{1'000, 20'000};
  SwarmSpan clock_skew_ms{1, 3'000};
  SwarmSpan clock_drift_ppm{1, 200};
  SwarmSpan safety_ms{5'000, 60'000};
  // Profiles drawn uniformly, each with the adversaries it may carry; empty: every profile
  // of all_profiles(), without adversaries.
  std::vector<SwarmProfile> profiles;
};

// The scenario of swarm seed `seed`, named "swarm-<seed>". It loads like a file: the same
// ranges the schema checks, and the relations between fields (group sizes within the
// phones, the server in an existing region, max >= min).
Scenario swarm_scenario(std::uint64_t seed, const SwarmRanges& ranges);

// The one place a drawn profile enters a scenario.
void set_swarm_profile(Scenario& scenario, const Profile& profile);

// What makes two worlds the same configuration: the SHA-256 (hex) of the scenario's JSON
// without its name, so two seeds that draw the same fields count once.
std::string swarm_configuration_key(const Scenario& scenario);

}  // namespace spmc::sim
