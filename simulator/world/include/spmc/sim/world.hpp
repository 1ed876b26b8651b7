#pragma once
// The whole simulated world of `spmc sim`: phones and the chat server (reference/ state
// machines) on a lossy network, driven by a scenario and one 64-bit seed. Phases (VOPR
// style): bootstrap (sign-up, contacts, groups; faults off), safety (workload and faults
// on, safety invariants checked as events happen), liveness (faults off, everyone online,
// run to quiescence, delivery invariants judged at the end).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spmc/phone.hpp"
#include "spmc/server.hpp"
#include "spmc/sim/event_queue.hpp"
#include "spmc/sim/invariants.hpp"
#include "spmc/sim/run_series.hpp"
#include "spmc/sim/scenario.hpp"

namespace spmc::sim {

struct InvariantResult {
  std::string name;         // e.g. exactly_once_delivery
  std::string requirement;  // the spec requirement it checks, e.g. "Req6 SRV-011"
  bool held = true;
  std::uint64_t checks = 0;  // how many observations it judged
  std::string detail;        // the first violation, if any
  bool expected_violation = false;
  bool required = false;  // named in the scenario's require_exercised
  // When a check made as events happen first failed; absent for invariants judged at the end
  // of the run. Not in the text or JSON report; the trace's inv_violation event carries it.
  std::optional<TimeUs> first_violation_us;
  // Zero checks: the invariant held only because nothing it judges happened.
  bool exercised() const { return checks > 0; }
};

struct LatencySummary {
  std::uint64_t count = 0;
  std::uint64_t p50_ms = 0;
  std::uint64_t p90_ms = 0;
  std::uint64_t p99_ms = 0;
  std::uint64_t max_ms = 0;
};

// A world in countries (scenario "locality", spec/locality.md LOC-012): where its contact
// pairs' messages travel under the scenario's deployment, judged as `spmc locality` judges
// the study's country pairs (LOC-007, LOC-008), so a run's latency is read next to the
// exposure that buys it.
struct LocalityExposure {
  std::string deployment;         // "central:US"
  std::uint64_t pairs = 0;        // contact pairs (phones in the same country count too)
  std::uint64_t same_region = 0;  // of them, both users in one UN region
  std::uint64_t leaving = 0;      // of those, the application path leaves that region
  // Per interest group (topology order): pairs whose application path a member country is on.
  std::vector<std::pair<std::string, std::uint64_t>> accessible;
  friend bool operator==(const LocalityExposure&, const LocalityExposure&) = default;
};

struct Report {
  std::uint64_t seed = 0;
  std::string scenario;
  std::string profile;
  std::uint32_t phones = 0;
  std::uint64_t contact_pairs = 0;        // edges of the contact graph: two ratchet sessions each
  std::uint64_t messages_sent = 0;        // application messages handed to a phone
  std::uint64_t deliveries_expected = 0;  // (message, recipient) pairs the server accepted
  std::uint64_t deliveries = 0;           // application deliveries observed
  LatencySummary latency;
  std::size_t peak_store_depth = 0;
  std::uint64_t wire_bytes = 0;
  std::uint64_t wire_packets = 0;
  // What the server relayed (SRV-013 payloads): key shares and message envelopes, each
  // counted with its payload bytes, so a profile's key-share and message cost can be compared.
  std::uint64_t key_shares_relayed = 0;
  std::uint64_t key_share_bytes = 0;
  std::uint64_t envelopes_relayed = 0;
  std::uint64_t envelope_bytes = 0;
  std::uint64_t events = 0;
  std::uint64_t sim_time_ms = 0;
  bool quiescent = false;
  std::string trace_hash;
  std::vector<InvariantResult> invariants;
  // What the scenario's adversaries learned (adversary.hpp), one line each.
  std::vector<std::string> findings;
  // Workload the scenario asks for that this world cannot carry out (e.g. U2U sessions
  // without a single pair of contacts), one line each: such a run passes vacuously.
  std::vector<std::string> warnings;
  // Phone refusals by "<event>:<error>", e.g. "msg_reject:expired" (KS-021 losses).
  std::map<std::string, std::uint64_t> rejects;
  // Only for a world in countries; absent from the text and JSON of every other run.
  std::optional<LocalityExposure> locality;
  // pass: every invariant held, or exactly the scenario's expected violations failed, and
  // every invariant of require_exercised was judged at least once.
  bool pass = false;
  // WorldOptions::stop ended the run before its phases did: nothing was judged (invariants
  // is empty, pass is false) and the verdict says why it stopped.
  bool stopped = false;
  std::string verdict;  // one line
  // Over virtual time, for plots: empty unless WorldOptions::series asked for it. Never part
  // of render_text or render_json.
  RunSeries series;
};

// Where a run is, for a progress display. The world has no wall clock, so the caller decides
// how often to show it.
struct RunProgress {
  std::string_view phase;  // bootstrap, safety, liveness
  std::uint64_t sim_time_ms = 0;
  std::uint64_t phase_end_ms = 0;  // the phase's last instant (liveness: its limit)
  std::uint64_t events = 0;        // executed so far, all phases
};

struct WorldOptions {
  std::ostream* trace_sink = nullptr;  // JSONL trace
  // Abstract trace (models/README.md alphabet, ratchet model, one pair): JSONL.
  std::ostream* abstract_sink = nullptr;
  bool capture_trace = false;  // keep the trace in memory (tests)
  server::ServerBug server_bug = server::ServerBug::kNone;
  phone::PhoneBug phone_bug = phone::PhoneBug::kNone;
  // Opt-in invariants (InvariantInfo::always false) judged in this run as well.
  std::vector<InvariantName> invariants;
  // Called about once per simulated second; never changes the run or its trace (the queue
  // runs the same events in slices as in one go).
  std::function<void(const RunProgress&)> progress;
  // A budget from outside the world (spmc sim --max-events / --max-wall); a run it does not
  // stop is byte-identical to one without it. stop_reason names the interrupt in the
  // verdict (e.g. "wall-clock limit of 60 s").
  StopCondition stop;
  std::string stop_reason = "interrupted";
  // Sample Report::series once per second of virtual time (spmc sim --report). The run, its
  // trace and its report are byte-identical with or without it.
  bool series = false;
};

class World {
 public:
  World(const Scenario& scenario, std::uint64_t seed, WorldOptions options = {});
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  Report run();
  const std::string& captured_trace() const;

  struct Impl;  // simulator/world/src/world_impl.hpp

 private:
  std::unique_ptr<Impl> m_impl;
};

// The verdict, figures and one line per invariant, for people.
std::string render_text(const Report& report);
// The same as one JSON object (seed, trace_hash, verdict, invariants, figures).
std::string render_json(const Report& report);

// What a scenario run in this world may name beyond the engine's own fields: the
// adversaries of the registry (adversaries/registry.cpp).
const ScenarioVocabulary& scenario_vocabulary();
// parse_scenario / load_scenario with that vocabulary: what every tool and test calls.
Result<Scenario> parse_scenario(std::string_view json_text, std::string_view source);
Result<Scenario> load_scenario(const std::string& path);

}  // namespace spmc::sim
