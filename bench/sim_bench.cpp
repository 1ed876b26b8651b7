// Simulator throughput (issue "Benchmarks", simulator issue "Speed"): one whole World run
// (construction, bootstrap, safety and liveness phases) per iteration at 1k, 10k and 100k
// phones. Counters: simulated events and application messages per wall second, and the
// peak resident memory the run added, per phone and per contact pair. The crypto share is
// measured separately under callgrind (bench/sim_crypto_share.py).
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <time.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <string>

#include "spmc/sim/scenario.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::bench {

namespace {

constexpr std::uint64_t kSeed = 1;

// The same scenario as simulator/scenarios/bench_1k.json and bench_10k.json (checked
// below), with a shorter safety phase at 100k phones so one run fits in a few minutes.
sim::Scenario bench_scenario(std::uint32_t phones) {
  sim::Scenario s;
  s.name = phones == 1000 ? "bench_1k" : phones == 10000 ? "bench_10k" : "bench_100k";
  s.phones = phones;
  s.topology.regions = 4;
  s.topology.access_per_region = 16;
  s.workload.messages_per_phone_per_minute = 2;
  s.workload.groups.count = 0;
  s.faults.network.loss_ppm = 10'000;
  s.phases.safety_ms = phones >= 100'000 ? 30'000 : 60'000;
  return s;
}

// This thread's CPU seconds: on the shared 2-core box wall time counts the neighbours' slices
// too, so rates are given per CPU second as well (the suite's convention, README.md).
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// A /proc/self/status field in bytes (the kernel reports kB), 0 if absent.
std::uint64_t status_bytes(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      return std::stoull(line.substr(field.size() + 1)) * 1024;
    }
  }
  return 0;
}

// Returns freed heap to the kernel and resets VmHWM to the current RSS (clear_refs 5, Linux
// 4.0+), so the next peak is this run's own. Whether the reset took is reported.
bool reset_peak_rss() {
  malloc_trim(0);
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out) && status_bytes("VmHWM") <= status_bytes("VmRSS") + (1 << 20);
}

// The scenario files must stay equal to the scenario measured here.
bool matches_file(const sim::Scenario& s) {
  if (s.phones != 1000 && s.phones != 10000) {
    return true;
  }
  const auto file =
      sim::load_scenario(std::string(SPMC_SOURCE_DIR) + "/simulator/scenarios/" + s.name + ".json");
  return file.ok() && *file == s;
}

void BM_SimWorld(benchmark::State& state) {
  const sim::Scenario scenario = bench_scenario(static_cast<std::uint32_t>(state.range(0)));
  if (!matches_file(scenario)) {
    state.SkipWithError("simulator/scenarios/bench_*.json differs from bench_scenario()");
    return;
  }
  sim::Report report;
  double seconds = 0;
  double cpu_seconds = 0;
  std::uint64_t peak_added = 0;
  bool peak_reset = true;
  for (auto _ : state) {
    peak_reset = reset_peak_rss() && peak_reset;
    const std::uint64_t base = status_bytes("VmRSS");
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = thread_cpu_seconds();
    {
      sim::World world(scenario, kSeed);
      report = world.run();
      const std::chrono::duration<double> run = std::chrono::steady_clock::now() - start;
      state.SetIterationTime(run.count());  // the destructor is not timed
      seconds += run.count();
      cpu_seconds += thread_cpu_seconds() - cpu_start;
    }
    const std::uint64_t peak = status_bytes("VmHWM");
    peak_added = std::max(peak_added, peak > base ? peak - base : 0);
  }
  const auto iters = static_cast<double>(state.iterations());
  const double per_run = seconds / iters;
  const double cpu_per_run = cpu_seconds / iters;
  state.SetItemsProcessed(static_cast<std::int64_t>(report.events) * state.iterations());
  state.counters["wall_s"] = per_run;
  state.counters["events_per_s"] = static_cast<double>(report.events) / per_run;
  state.counters["messages_per_s"] = static_cast<double>(report.messages_sent) / per_run;
  state.counters["cpu_s"] = cpu_per_run;
  state.counters["events_per_cpu_s"] = static_cast<double>(report.events) / cpu_per_run;
  state.counters["messages_per_cpu_s"] = static_cast<double>(report.messages_sent) / cpu_per_run;
  state.counters["deliveries_per_s"] = static_cast<double>(report.deliveries) / per_run;
  state.counters["events"] = static_cast<double>(report.events);
  state.counters["messages"] = static_cast<double>(report.messages_sent);
  state.counters["contact_pairs"] = static_cast<double>(report.contact_pairs);
  state.counters["peak_rss_per_phone"] =
      static_cast<double>(peak_added) / static_cast<double>(scenario.phones);
  state.counters["peak_rss_per_pair"] =
      report.contact_pairs == 0
          ? 0.0
          : static_cast<double>(peak_added) / static_cast<double>(report.contact_pairs);
  state.counters["pass"] = report.pass ? 1 : 0;
  state.SetLabel(std::string(report.pass ? "pass" : report.verdict) +
                 (peak_reset ? "" : "; VmHWM not reset, memory figure is the process peak"));
}
// One run per size is minutes of work at 100k phones; sizes ascend so that, even without
// the VmHWM reset, a later peak is never an earlier run's.
BENCHMARK(BM_SimWorld)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace

}  // namespace spmc::bench
