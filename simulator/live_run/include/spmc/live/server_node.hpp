#pragma once
// `spmc server`: the reference ChatServer as a process. It reads its frames from the broker
// (spmc/v1/srv/+, spec/transport_mqtt.md), keeps its durable state in SQLite (ServerDb,
// spec/server_store.md) and sends what it must through the broker, the mail spool and its
// event log. Frames are handled in batches, one per poll: the batch's durable changes are
// committed in one transaction before any of its frames, mail or events leave (SRV-021), so a
// `kill -9` at any moment loses nothing the server acknowledged; what it had not committed is
// lost exactly as if the frames had been lost on the network, and the channel sends them again.
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <string>

#include "spmc/profile.hpp"
#include "spmc/result.hpp"
#include "spmc/server.hpp"

namespace spmc::live {

struct ServerNodeOptions {
  std::string broker_host = "127.0.0.1";
  std::uint16_t broker_port = 1883;
  std::filesystem::path db;        // created when missing
  std::filesystem::path mail_dir;  // the mail spool (spool.hpp); created when missing
  std::filesystem::path events;    // empty: no event log
  std::filesystem::path ca_out;    // empty: none; else the CA key, hex, once ready
  std::filesystem::path tls_ca;    // non-empty: MQTT over TLS, the broker verified
  Profile profile = paper_profile();
  std::uint64_t password_kdf_cost = 1U << 14;  // SU-001
  // A deliberately broken server (`--inject-bug`), to show a live run's checkers catch it.
  server::ServerBug bug = server::ServerBug::kNone;
};

// Runs until `stop` is set (by a signal handler), then closes its connection and database.
// Errors: the database (unreadable, another version), a broker that never answers at start.
Status run_server_node(const ServerNodeOptions& options, const volatile std::sig_atomic_t& stop);

}  // namespace spmc::live
