#pragma once
// `spmc live`: a scenario's phones, as reference Phones on the real clock and the OS generator,
// talking through a real MQTT broker to the chat server running as its own process (`spmc
// server`, server_node.hpp) with its SQLite database. The run records a trace in the
// simulator's format (simulator/TRACE.md) and judges it with the simulator's own checkers
// (spmc/sim/checkers.hpp), then scans the files at rest (the server's database, the broker's
// persistence file, the server's logs) for plaintext and key material. spec/transport_mqtt.md,
// "Live runs".
#include <cstdint>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "spmc/result.hpp"
#include "spmc/sim/scenario.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::live {

struct LiveRunOptions {
  sim::Scenario scenario;
  std::uint64_t seed = 1;  // the workload's and the faults' choices; timing is the machine's
  // A running broker, or port 0: the run starts a mosquitto of its own in work_dir (and can
  // then restart it as a fault).
  std::string broker_host = "127.0.0.1";
  std::uint16_t broker_port = 0;
  std::filesystem::path work_dir;  // an existing directory the run may fill
  // The words that run `spmc server` (the program and the subcommand); the run adds the rest.
  std::vector<std::string> server_command;
  // Faults beside the scenario's: the server killed with SIGKILL (and started again after
  // server_downtime_ms), and the run's own broker stopped and started, at these times after
  // the safety phase began.
  std::vector<std::uint64_t> kill_server_at_ms;
  std::vector<std::uint64_t> restart_broker_at_ms;
  std::uint64_t server_downtime_ms = 1000;
  // MQT-018..MQT-021: the run's own broker listens with TLS only, on certificates made for the
  // run (make_test_pki), and every client (phones, server, observer) verifies it.
  bool tls = false;
  // SU-001's verifier cost for the run's server; sign-ups are not what a live run measures.
  std::uint64_t password_kdf_cost = 16;
  // Passed to the server as `--inject-bug` unless empty: a broken server the checkers must catch.
  std::string server_bug;
  std::ostream* trace_sink = nullptr;
  std::function<void(const std::string&)> progress;  // a line per step, for a person watching
};

struct ScannedFile {
  std::string name;  // relative to work_dir, or the broker's file
  std::uint64_t bytes = 0;
};

// What was in flight when the server was killed, and what came of it (the note of issue 20).
struct ServerKill {
  std::uint64_t at_ms = 0;              // since the run started
  std::uint64_t phone_outbox = 0;       // requests the phones had sent and not seen answered
  std::uint64_t relayed_undeleted = 0;  // items the server had relayed and not yet deleted
  std::uint64_t owed_undelivered = 0;   // deliveries owed and not yet made
};

struct LiveReport {
  std::string scenario;
  std::uint64_t seed = 0;
  std::uint32_t phones = 0;
  std::string broker;  // host:port, whose, and whether over TLS
  std::uint64_t messages_sent = 0;
  std::uint64_t deliveries_expected = 0;
  std::uint64_t deliveries = 0;
  sim::LatencySummary latency;
  // The same percentiles in microseconds: on loopback most deliveries take under a millisecond.
  std::uint64_t latency_p50_us = 0;
  std::uint64_t latency_p99_us = 0;
  std::uint64_t server_kills = 0;
  std::vector<ServerKill> kills;
  std::uint64_t broker_restarts = 0;
  std::uint64_t disconnects = 0;       // churn: a phone went offline
  std::uint64_t reconnects = 0;        // a client made its MQTT connection again
  std::uint64_t transport_errors = 0;  // failures other than a missing connection
  std::string first_transport_error;
  std::uint64_t wall_ms = 0;
  std::vector<ScannedFile> scanned;
  std::vector<sim::InvariantResult> invariants;
  std::string trace_hash;
  bool pass = false;
};

// Why the scenario cannot run live, one line per option (a network fault the real network has
// or has not on its own, a phone crash without a phone store yet, an adversary); empty when it
// can.
std::vector<std::string> live_unsupported(const sim::Scenario& scenario);

// Runs it. An error is a run that could not be made (no broker, the server would not start,
// sign-up never finished); a run that was made returns its report, pass or fail.
Result<LiveReport> run_live(const LiveRunOptions& options);

std::string render_live_text(const LiveReport& report);
std::string render_live_json(const LiveReport& report);

}  // namespace spmc::live
