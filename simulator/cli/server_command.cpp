// `spmc server --broker HOST:PORT --db FILE`: the reference chat server as a process over an
// MQTT broker, its durable state in SQLite (spmc/live/server_node.hpp). SIGTERM or SIGINT stop
// it cleanly; SIGKILL is a crash it recovers from at the next start.
#include <csignal>
#include <cstdio>
#include <string>

#include "args.hpp"
#include "commands.hpp"
#include "scenario_arg.hpp"
#include "spmc/live/broker_process.hpp"
#include "spmc/live/server_node.hpp"

namespace spmc::cli {

namespace {

volatile std::sig_atomic_t g_stop = 0;

extern "C" void request_stop(int /*signal*/) { g_stop = 1; }

struct ServerArgs {
  std::string broker = "127.0.0.1:1883";
  std::string db;
  std::string mail_dir;
  std::string events;
  std::string ca_out;
  std::string tls_ca;
  std::string profile = "paper";
  std::uint64_t kdf_cost = 1U << 14;
  std::string bug = "none";
};

int run_server_command(const ServerArgs& a) {
  live::ServerNodeOptions o;
  const auto address = parse_broker_address(a.broker);
  if (!address.ok()) {
    std::fprintf(stderr, "spmc: error: --broker: '%s' %s\n", a.broker.c_str(),
                 address.error().detail.c_str());
    return kExitUsage;
  }
  o.broker_host = address->host;
  o.broker_port = address->port;
  auto profile = resolve_profile_arg(a.profile);
  if (!profile.ok()) {
    std::fprintf(stderr, "spmc: error: --profile: %s\n", profile.error().detail.c_str());
    return kExitUsage;
  }
  o.profile = std::move(profile).value();
  o.db = a.db;
  o.mail_dir = a.mail_dir.empty() ? a.db + ".mail" : a.mail_dir;
  o.events = a.events;
  o.ca_out = a.ca_out;
  o.tls_ca = a.tls_ca;
  o.password_kdf_cost = a.kdf_cost;
  o.bug = bug_by_name(a.bug).server;
  std::signal(SIGTERM, request_stop);
  std::signal(SIGINT, request_stop);
  const Status done = live::run_server_node(o, g_stop);
  if (!done.ok()) {
    std::fprintf(stderr, "spmc: error: server: %s\n", done.error().detail.c_str());
    return kExitUsage;
  }
  return kExitPass;
}

}  // namespace

void add_server_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ServerArgs>();
  auto* cmd = app.add_subcommand(
      "server", "Run the chat server over an MQTT broker, its state in a SQLite database");
  cmd->add_option("--broker", args->broker, "HOST:PORT of the MQTT broker")->capture_default_str();
  cmd->add_option("--db", args->db, "The server's SQLite database (created when missing)")
      ->required()
      ->type_name("FILE");
  cmd->add_option("--mail-dir", args->mail_dir,
                  "The mail spool: one file per e-mail (default: the database's name + .mail)")
      ->type_name("DIR");
  cmd->add_option("--events", args->events,
                  "Append the server's observation events (srv_relay, srv_delete) to this file")
      ->type_name("FILE");
  cmd->add_option("--ca-out", args->ca_out,
                  "Write the CA public key (hex) here once the server is ready")
      ->type_name("FILE");
  cmd->add_option("--tls-ca", args->tls_ca,
                  "Connect over TLS, trusting this CA certificate for the broker (MQT-018)")
      ->type_name("FILE");
  cmd->add_option("--profile", args->profile, "Built-in profile name or profile file")
      ->capture_default_str();
  add_scrypt_cost_option(*cmd, "--kdf-cost", args->kdf_cost,
                         "scrypt cost N of password verifiers (SU-001), a power of two");
  add_choice_option(*cmd, "--inject-bug", args->bug, "bug", bug_names(true),
                    "Run a deliberately broken server, to show a live run's checkers catch it");
  cmd->callback([args, &exit_code] { exit_code = run_server_command(*args); });
}

}  // namespace spmc::cli
