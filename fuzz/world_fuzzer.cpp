// The whole simulated world (sim::World, VOPR style) driven by fuzzer bytes: the input
// picks the world seed and a small scenario (profile, phones, contact graph, workload,
// churn, network faults, partitions, crashes, clock skew and drift, short phases, and the
// adversaries every invariant must withstand). Every
// run must pass: each invariant holds (safety with faults on, delivery after the liveness
// phase). A failing world prints its invariants and the exact `spmc sim` replay.
//
// Field order is the byte layout fuzz/make_corpus.py writes (FuzzedDataProvider reads
// integers from the end of the input); an exhausted input gives the minimum of each range,
// so the empty input is a fault-free two-phone world.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_support.hpp"
#include "spmc/sim/scenario.hpp"
#include "spmc/sim/world.hpp"

namespace {

using spmc::sim::Scenario;

constexpr std::uint32_t kPhonesMax = 6;
// Liveness is judged at quiescence; a small world reaches it in far fewer events. The cap
// keeps a runaway world from stalling the fuzzer (it then fails as not quiescent).
constexpr std::uint64_t kLivenessMaxEvents = 2'000'000;

template <typename T>
T pick(FuzzedDataProvider& in, T min, T max) {
  return in.ConsumeIntegralInRange<T>(min, max);
}

void pick_shape(FuzzedDataProvider& in, Scenario& s) {
  s.profile = in.ConsumeBool() ? spmc::hardened_profile() : spmc::paper_profile();
  s.phones = pick<std::uint32_t>(in, 2, kPhonesMax);
  s.contacts.kind = static_cast<spmc::sim::ContactGraphKind>(pick<std::uint8_t>(in, 0, 3));
  s.contacts.degree = pick<std::uint32_t>(in, 1, 5);
  s.workload.messages_per_phone_per_minute = pick<std::uint32_t>(in, 1, 30);
  s.workload.groups.count = pick<std::uint32_t>(in, 0, 2);
  if (s.workload.groups.count > 0) {  // size_max <= phones when there are groups
    s.workload.groups.size_min = pick<std::uint32_t>(in, 2, s.phones);
    s.workload.groups.size_max = pick<std::uint32_t>(in, s.workload.groups.size_min, s.phones);
  }
}

void pick_faults(FuzzedDataProvider& in, Scenario& s) {
  s.churn.offline_per_phone_per_day = pick<std::uint32_t>(in, 0, 2880);
  s.churn.mean_offline_ms = pick<std::uint64_t>(in, 1'000, 60'000);
  auto& net = s.faults.network;
  net.loss_ppm = pick<std::uint32_t>(in, 0, 300'000);
  net.duplication_ppm = pick<std::uint32_t>(in, 0, 300'000);
  net.reorder_ppm = pick<std::uint32_t>(in, 0, 500'000);
  net.spike_ppm = pick<std::uint32_t>(in, 0, 300'000);
  auto& cut = s.faults.partitions;
  cut.per_hour = pick<std::uint32_t>(in, 0, 120);
  cut.mean_duration_ms = pick<std::uint64_t>(in, 1'000, 30'000);
  cut.one_way_ppm = pick<std::uint32_t>(in, 0, 1'000'000);
  cut.server_side_ppm = pick<std::uint32_t>(in, 0, 1'000'000);
  auto& crash = s.faults.crashes;
  crash.phone_per_hour = pick<std::uint32_t>(in, 0, 120);
  crash.server_per_hour = pick<std::uint32_t>(in, 0, 60);
  crash.mean_downtime_ms = pick<std::uint64_t>(in, 1'000, 20'000);
  s.faults.clock.max_skew_ms = pick<std::uint64_t>(in, 0, 3'000);
  s.faults.clock.max_drift_ppm = pick<std::uint32_t>(in, 0, 200);
}

Scenario pick_scenario(FuzzedDataProvider& in) {
  Scenario s;
  s.name = "world_fuzzer";
  pick_shape(in, s);
  pick_faults(in, s);
  s.phases.safety_ms = pick<std::uint64_t>(in, 5'000, 40'000);
  s.phases.liveness_ms = 120'000;
  s.phases.liveness_max_events = kLivenessMaxEvents;
  s.workload.u2u_sessions = pick<std::uint32_t>(in, 0, 2);
  // Adversaries against which every invariant must still hold (spec/requirements.md:
  // replays, the active network attacker, the passive observer and curious server); the
  // attacks that succeed by design live in simulator/scenarios/attacks/.
  switch (pick<std::uint8_t>(in, 0, 4)) {
    case 1:
      s.adversaries = {"server_replays"};
      break;
    case 2:
      s.adversaries = {"network_attacker"};
      break;
    case 3:
      s.adversaries = {"curious_server", "observer"};
      break;
    case 4:
      s.adversaries = {"network_attacker", "server_replays"};
      break;
    default:
      break;
  }
  return s;
}

// The failing world's report and the replay, on stderr before the abort.
[[noreturn]] void report_failure(const spmc::sim::Report& report, const std::string& json,
                                 std::uint64_t seed) {
  std::fputs(spmc::sim::render_text(report).c_str(), stderr);
  std::fprintf(stderr, "world_fuzzer: failing world; scenario JSON (save as world.json):\n%s\n",
               json.c_str());
  std::fprintf(stderr, "replay: spmc sim world.json --seed %llu\n",
               static_cast<unsigned long long>(seed));
  spmc::fuzz::fail("every invariant of the simulated world holds (report.pass)", __FILE__,
                   __LINE__);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spmc;
  FuzzedDataProvider in(data, size);
  const auto seed = in.ConsumeIntegral<std::uint64_t>();
  const Scenario picked = pick_scenario(in);
  // Run exactly what `spmc sim` would load from the printed JSON; a scenario the schema
  // rejects is never run (the ranges above should make that impossible).
  const std::string json = sim::scenario_to_json(picked).dump(2);
  auto parsed = sim::parse_scenario(json, "world_fuzzer.json");
  if (!parsed.ok()) {
    return 0;
  }
  SPMC_FUZZ_CHECK(*parsed == picked);
  if (std::getenv("WORLD_FUZZER_SHOW") != nullptr) {  // which world an input is
    std::fprintf(stderr, "%s\nseed %llu\n", json.c_str(), static_cast<unsigned long long>(seed));
  }
  sim::World world(*parsed, seed);
  const sim::Report report = world.run();
  if (!report.pass) {
    report_failure(report, json, seed);
  }
  return 0;
}
