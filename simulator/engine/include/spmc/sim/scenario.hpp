#pragma once
// Scenario files (simulator/scenarios/SCHEMA.md): JSON, every field optional with the
// default given by the member initialisers below; unknown fields, repeated keys, NUL bytes and
// unknown names (adversaries, expected_violations) rejected. Errors are one line,
// "<file>: <field path>: <reason>", e.g.
//   scenario.json: faults.loss_ppm: must be an integer in [0, 1000000]
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spmc/profile.hpp"
#include "spmc/result.hpp"
#include "spmc/sim/contact_graph.hpp"
#include "spmc/sim/network.hpp"
#include "spmc/sim/topology.hpp"

namespace spmc::sim {

struct GroupsConfig {
  std::uint32_t count = 0;
  std::uint32_t size_min = 3;
  std::uint32_t size_max = 8;
  // During the safety phase, the organisers change their groups this often in all (per
  // hour of simulated time): add a contact, remove a member, or create a new group, so
  // members are offline or crashed when a group is created, changed or rekeyed.
  std::uint32_t changes_per_hour = 0;
  friend bool operator==(const GroupsConfig&, const GroupsConfig&) = default;
};

struct WorkloadConfig {
  std::uint32_t messages_per_phone_per_minute = 2;
  std::uint32_t message_size_min = 16;
  std::uint32_t message_size_max = 256;
  GroupsConfig groups;
  std::uint32_t u2u_sessions = 0;
  friend bool operator==(const WorkloadConfig&, const WorkloadConfig&) = default;
};

struct ChurnConfig {
  std::uint32_t offline_per_phone_per_day = 0;  // 0: phones stay online
  std::uint64_t mean_offline_ms = 60'000;
  friend bool operator==(const ChurnConfig&, const ChurnConfig&) = default;
};

// Optional "lifecycle" (SCHEMA.md): what happens to phones and their users besides churn and
// crashes, drawn during the safety phase. All zero (the default) is the world as before: it
// is then not written either, so every scenario without it keeps its trace and trace hash.
struct LifecycleConfig {
  // KS-012: phones ask their contacts for `duration` keys of this lifetime (0: `session`
  // keys), so keys expire and are replaced mid-conversation (KS-014, KS-017).
  std::uint64_t key_lifetime_ms = 0;
  // PH-021, STO-005: a random ready phone reinstalls the application (new keys, the old
  // certificates revoked, contacts back from the server), this often in the whole world.
  std::uint32_t reinstalls_per_hour = 0;
  // A random phone's clock steps forward or back by up to clock_jump_max_ms (a time zone
  // set by hand, a clock corrected), this often in the whole world (PH-006).
  std::uint32_t clock_jumps_per_hour = 0;
  std::uint64_t clock_jump_max_ms = 0;
  // STO-003, STO-004: each PIN the user types to unlock a restarted phone is wrong with this
  // probability; three wrong in a row lock the store and the user reinstalls (STO-005).
  std::uint32_t pin_mistype_ppm = 0;
  // A random ready phone restarts and its user has forgotten the PIN: three wrong tries, the
  // store locks for good, the user reinstalls. This often in the whole world.
  std::uint32_t pin_lockouts_per_hour = 0;
  friend bool operator==(const LifecycleConfig&, const LifecycleConfig&) = default;
};

struct PartitionFaults {
  std::uint32_t per_hour = 0;  // partitions started per simulated hour (whole world)
  std::uint64_t mean_duration_ms = 30'000;
  std::uint32_t one_way_ppm = 500'000;   // share of partitions that cut one direction only
  std::uint32_t side_max_ppm = 500'000;  // most phones on the cut side, as a share
  std::uint32_t server_side_ppm = 0;     // probability the server is on the cut side
  friend bool operator==(const PartitionFaults&, const PartitionFaults&) = default;
};

struct CrashFaults {
  std::uint32_t phone_per_hour = 0;  // phone crashes per simulated hour (whole world)
  std::uint32_t server_per_hour = 0;
  std::uint64_t mean_downtime_ms = 10'000;
  friend bool operator==(const CrashFaults&, const CrashFaults&) = default;
};

struct ClockFaults {
  std::uint64_t max_skew_ms = 0;    // each phone's offset uniform in [-max, +max]
  std::uint32_t max_drift_ppm = 0;  // each phone's drift uniform in [-max, +max]
  friend bool operator==(const ClockFaults&, const ClockFaults&) = default;
};

// The phones' storage (STO-012), the third fault domain beside the network and the clocks.
// Optional, like "locality": absent from scenarios written before it, and then not written,
// so their traces are unchanged.
struct StorageFaults {
  // Per store write in the safety phase: the phone dies during the write, before it is
  // synced; the write is lost, or the slot it was going to is left torn (a prefix of the new
  // file over the old one). Either way nothing the call did leaves the phone.
  std::uint32_t lost_write_ppm = 0;
  std::uint32_t torn_write_ppm = 0;
  // Per read of a store copy at restart: the read returns bytes with one byte flipped.
  std::uint32_t corrupt_read_ppm = 0;
  friend bool operator==(const StorageFaults&, const StorageFaults&) = default;
};

struct FaultsConfig {
  FaultConfig network;  // loss, duplication, reordering, spikes (end to end)
  PartitionFaults partitions;
  CrashFaults crashes;
  ClockFaults clock;
  std::optional<StorageFaults> storage;
  friend bool operator==(const FaultsConfig&, const FaultsConfig&) = default;
};

struct PhasesConfig {
  std::uint64_t safety_ms = 60'000;
  std::uint64_t liveness_ms = 120'000;
  std::uint64_t liveness_max_events = 50'000'000;
  friend bool operator==(const PhasesConfig&, const PhasesConfig&) = default;
};

// One entry of `adversaries` (SCHEMA.md, "Aimed adversaries"): a plain name, or a name with
// where it strikes (`target`) and when (`when`). Empty fields keep the adversary's own
// default, so a plain name is exactly the fixed attack, and is written back as a plain string.
inline constexpr std::string_view kAdversaryRoles[] = {
    "organiser", "newest_member", "offline_recipient", "u2u_pair", "random_pair"};
inline constexpr std::string_view kAdversaryEvents[] = {"key_share", "group_change", "rekey",
                                                        "u2u_verified"};

struct AdversaryTarget {
  std::vector<std::uint32_t> phones;  // by index: one phone, or a pair (a sends to b)
  std::string role;                   // one of kAdversaryRoles
  bool given() const { return !phones.empty() || !role.empty(); }
  friend bool operator==(const AdversaryTarget&, const AdversaryTarget&) = default;
};

struct AdversaryWhen {
  std::optional<std::uint64_t> at_ms;     // virtual time (the trace's clock), in the safety phase
  std::string after;                      // an event of kAdversaryEvents
  std::uint32_t n = 1;                    // ... the n-th of it
  std::optional<std::uint64_t> every_ms;  // repeatedly through the safety phase
  bool given() const { return at_ms || !after.empty() || every_ms; }
  friend bool operator==(const AdversaryWhen&, const AdversaryWhen&) = default;
};

struct AdversarySpec {
  AdversarySpec() = default;
  // A plain name: `s.adversaries = {"observer"}` keeps working.
  AdversarySpec(std::string adversary) : name(std::move(adversary)) {}  // NOLINT(*-explicit-*)
  AdversarySpec(const char* adversary) : name(adversary) {}             // NOLINT(*-explicit-*)
  std::string name;
  AdversaryTarget target;
  AdversaryWhen when;
  bool aimed() const { return target.given() || when.given(); }
  friend bool operator==(const AdversarySpec&, const AdversarySpec&) = default;
};

// Optional "locality" (spec/locality.md, LOC-012): phones live in countries of the built-in
// country topology and the network is that topology. Absent from every scenario written before
// it, and then not written either, so their traces and trace hashes are unchanged.
struct LocalityConfig {
  // Where the chat servers are (spec/locality.md LOC-005): "central:CC", "regional",
  // "federated" or "direct"; a world of several servers runs them as one service with a site
  // in each server's country (LOC-012).
  std::string deployment = "central:US";
  // Phone i lives in countries[i % size]; empty: the topology's study countries in file order.
  std::vector<std::string> countries;
  friend bool operator==(const LocalityConfig&, const LocalityConfig&) = default;
};

// The longest `name` the loader accepts, in bytes (tools that derive a name stay within it).
inline constexpr std::size_t kScenarioNameMaxBytes = 100;

struct Scenario {
  // Not "default": a scenario that names itself nothing is not the built-in default world
  // (default.json), and a report must not say it is.
  std::string name = "unnamed";
  // A built-in (by name in the file) or a whole profile object (spmc/sim/profile_file.hpp).
  Profile profile = paper_profile();
  std::uint32_t phones = 16;
  TopologyConfig topology;
  ContactGraphConfig contacts;
  WorkloadConfig workload;
  ChurnConfig churn;
  LifecycleConfig lifecycle;
  FaultsConfig faults;
  PhasesConfig phases;
  std::vector<AdversarySpec> adversaries;
  std::vector<std::string> expected_violations;
  // Invariants that must be judged at least once: a run where one has zero checks fails
  // instead of passing vacuously.
  std::vector<std::string> require_exercised;
  std::optional<LocalityConfig> locality;
  friend bool operator==(const Scenario&, const Scenario&) = default;
};

// The names a scenario may use that the engine does not define. The adversaries and the
// invariants (for expected_violations) are the world's registries (spmc/sim/world.hpp:
// scenario_vocabulary(), and the two-argument parse_scenario / one-argument load_scenario that
// every tool calls); the engine only checks membership, so it never depends on the world.
// What an aimed adversary accepts (SCHEMA.md, "Aimed adversaries"); an adversary with no
// entry takes neither `target` nor `when`.
struct AdversaryAimRules {
  std::string name;
  std::uint32_t target_phones = 0;  // 0: no target; 1: one phone; 2: a pair
  std::vector<std::string> roles;   // the roles it can be aimed at
  bool at = false;                  // when.at_ms
  bool after = false;               // when.after
  bool every = false;               // when.every_ms
};

struct ScenarioVocabulary {
  std::vector<std::string> adversaries;
  std::vector<std::string> invariants;  // expected_violations and require_exercised may name
  std::vector<AdversaryAimRules> aims;
  std::uint64_t safety_starts_at_ms = 0;  // when.at_ms is at or after this, and before its end
};

// `source` names the input in error messages (usually the path as given).
Result<Scenario> parse_scenario(std::string_view json_text, std::string_view source,
                                const ScenarioVocabulary& vocabulary);
Result<Scenario> load_scenario(const std::string& path, const ScenarioVocabulary& vocabulary);
// The country placement of a scenario's "locality" (its deployment and countries resolved
// against the built-in country topology); nothing when the scenario has none. The loader has
// checked both, so this cannot fail on a loaded scenario.
std::optional<CountryPlacement> country_placement(const Scenario& scenario);
// simulator/scenarios/default.json, compiled in.
std::string_view default_scenario_json();
// Every field, in schema order: parse_scenario(dump) gives back the same scenario. An object
// added after traces existed (`lifecycle`) is left out while it holds its defaults.
nlohmann::ordered_json scenario_to_json(const Scenario& scenario);
// The same with every object, defaults or not (the documentation's defaults table).
nlohmann::ordered_json scenario_to_json_full(const Scenario& scenario);

}  // namespace spmc::sim
