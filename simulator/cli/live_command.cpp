// `spmc live`: a scenario's phones over a real MQTT broker, the chat server as its own process
// (`spmc server`, started from this very program) with its SQLite database, the simulator's
// checkers over the run (spmc/live/live_run.hpp). The one command beside `spmc server` whose
// result depends on the machine's timing: it reports a verdict, never a replayable world.
#include <stdlib.h>  // mkdtemp

#include <cstdio>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include "args.hpp"
#include "commands.hpp"
#include "invocation.hpp"
#include "output_file.hpp"
#include "scenario_arg.hpp"
#include "spmc/live/broker_process.hpp"
#include "spmc/live/live_run.hpp"

namespace spmc::cli {

namespace {

struct LiveArgs {
  std::string scenario_path;
  std::string profile;
  std::vector<std::string> sets;
  std::uint64_t seed = 1;
  std::string broker = "own";
  std::string work_dir;
  bool keep = false;
  bool tls = false;
  bool json = false;
  std::string trace_path;
  std::vector<std::string> kill_server_at_ms;  // decimal ms, checked by parse_u64
  std::vector<std::string> restart_broker_at_ms;
  std::uint64_t server_downtime_ms = 1000;
  std::uint64_t kdf_cost = 16;
  std::string bug = "none";
};

// The program's own path: the server runs as `<this program> server ...`.
std::string self_path() {
  std::error_code ec;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : path.string();
}

int run_live_command(const LiveArgs& a) {
  // No scenario: the shipped live scenario (the built-in default has network faults a live
  // run cannot make).
  const std::string path =
      a.scenario_path.empty() ? data_dir() + "/scenarios/live.json" : a.scenario_path;
  const auto scenario = load_scenario_arg(path, a.profile, a.sets);
  if (!scenario) {
    return kExitUsage;
  }
  const auto refused = live::live_unsupported(*scenario);
  if (!refused.empty()) {
    for (const std::string& line : refused) {
      std::fprintf(stderr, "spmc: error: %s: %s\n", path.c_str(), line.c_str());
    }
    return kExitUsage;
  }
  live::LiveRunOptions o;
  o.scenario = *scenario;
  o.seed = a.seed;
  for (const auto& [name, words, out] :
       {std::tuple{"--kill-server-at", &a.kill_server_at_ms, &o.kill_server_at_ms},
        std::tuple{"--restart-broker-at", &a.restart_broker_at_ms, &o.restart_broker_at_ms}}) {
    for (const std::string& word : *words) {
      const auto ms = parse_u64(word, 0, 24ULL * 3600 * 1000);
      if (!ms.ok()) {
        std::fprintf(stderr, "spmc: error: %s: '%s' %s\n", name, word.c_str(),
                     ms.error().detail.c_str());
        return kExitUsage;
      }
      out->push_back(*ms);
    }
  }
  o.server_downtime_ms = a.server_downtime_ms;
  o.password_kdf_cost = a.kdf_cost;
  o.tls = a.tls;
  if (a.bug != "none") {
    o.server_bug = a.bug;
  }
  if (a.broker != "own") {
    const auto address = parse_broker_address(a.broker);
    if (!address.ok()) {
      std::fprintf(stderr, "spmc: error: --broker: '%s' %s (HOST:PORT or 'own')\n",
                   a.broker.c_str(), address.error().detail.c_str());
      return kExitUsage;
    }
    o.broker_host = address->host;
    o.broker_port = address->port;
    if (a.tls) {
      std::fprintf(stderr,
                   "spmc: error: --tls: only with --broker own (the run makes the "
                   "broker's certificates)\n");
      return kExitUsage;
    }
    if (!a.restart_broker_at_ms.empty()) {
      std::fprintf(stderr, "spmc: error: --restart-broker-at: only with --broker own\n");
      return kExitUsage;
    }
  } else if (const auto found = live::BrokerProcess::find_binary(""); !found.ok()) {
    std::fprintf(stderr, "spmc: error: --broker own: %s\n", found.error().detail.c_str());
    return kExitUsage;
  }
  const std::string self = self_path();
  if (self.empty()) {
    std::fprintf(stderr, "spmc: error: cannot find this program's path to start the server\n");
    return kExitUsage;
  }
  o.server_command = {self, "server"};

  // The work directory: the user's (kept), or a temporary one removed at the end unless --keep.
  std::string dir = a.work_dir;
  bool remove_dir = false;
  if (dir.empty()) {
    std::string pattern = (std::filesystem::temp_directory_path() / "spmc-live-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::fprintf(stderr, "spmc: error: cannot make a temporary directory\n");
      return kExitUsage;
    }
    dir = pattern;
    remove_dir = !a.keep;
  } else {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_empty(dir, ec)) {
      std::fprintf(stderr, "spmc: error: --work-dir: %s: %s\n", dir.c_str(),
                   ec ? ec.message().c_str() : "must be new or empty");
      return kExitUsage;
    }
  }
  o.work_dir = dir;
  OutputSet outputs;
  if (!a.trace_path.empty()) {
    o.trace_sink = outputs.open(a.trace_path);
    if (auto error = outputs.error()) {
      print_output_error(*error);
      return kExitUsage;
    }
  }
  o.progress = [](const std::string& line) {
    std::fprintf(stderr, "live: %s\n", line.c_str());
    std::fflush(stderr);
  };
  const auto report = live::run_live(o);
  if (remove_dir) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  } else {
    std::fprintf(stderr, "live: the run's files are in %s\n", dir.c_str());
  }
  if (!report.ok()) {
    // Not a verdict: the run could not be made (no broker, a server that would not start).
    std::fprintf(stderr, "spmc: error: live run: %s\n", report.error().detail.c_str());
    return kExitUsage;
  }
  if (auto error = outputs.commit()) {
    print_output_error(*error);
    return kExitUsage;
  }
  std::fputs((a.json ? live::render_live_json(*report) : live::render_live_text(*report)).c_str(),
             stdout);
  return report->pass ? kExitPass : kExitFail;
}

}  // namespace

void add_live_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<LiveArgs>();
  auto* cmd = app.add_subcommand(
      "live",
      "Run a scenario's phones over a real MQTT broker against `spmc server`, and judge it");
  cmd->add_option("scenario", args->scenario_path,
                  "Scenario file (simulator/scenarios/SCHEMA.md); default: the shipped "
                  "live.json. Network faults, partitions, phone crashes, clock faults and "
                  "adversaries are refused: the simulator runs those");
  add_u64_option(*cmd, "--seed", args->seed, 0, kU64Max,
                 "Seed of the workload's and the faults' choices (timing is the machine's)");
  add_profile_option(*cmd, args->profile);
  add_set_option(*cmd, args->sets);
  cmd->add_option("--broker", args->broker,
                  "HOST:PORT of a running broker, or 'own': start a mosquitto for the run")
      ->capture_default_str();
  cmd->add_option("--work-dir", args->work_dir,
                  "Keep the server's database, logs and the broker's files here (new or empty "
                  "directory); default: a temporary directory, removed")
      ->type_name("DIR");
  cmd->add_flag("--tls", args->tls,
                "The run's own broker speaks TLS only, with certificates made for the run; "
                "every client verifies it (MQT-018)");
  cmd->add_flag("--keep", args->keep, "Keep the temporary work directory and print its name");
  cmd->add_flag("--json", args->json, "Print the report as one JSON object");
  cmd->add_option("--trace", args->trace_path,
                  "Write the run's JSONL trace (simulator/TRACE.md events; not replayable)");
  cmd->add_option("--kill-server-at", args->kill_server_at_ms,
                  "Kill the server with SIGKILL this many ms into the safety phase, and start "
                  "it again (repeatable)")
      ->type_name("MS");
  cmd->add_option("--restart-broker-at", args->restart_broker_at_ms,
                  "Stop and start the run's own broker this many ms into the safety phase "
                  "(repeatable)")
      ->type_name("MS");
  add_u64_option(*cmd, "--server-downtime-ms", args->server_downtime_ms, 0, 600000,
                 "How long a server killed by --kill-server-at stays down");
  add_scrypt_cost_option(*cmd, "--kdf-cost", args->kdf_cost,
                         "The server's scrypt cost for password verifiers (SU-001)");
  add_choice_option(*cmd, "--inject-bug", args->bug, "bug", bug_names(),
                    "Run a deliberately broken server, to show the checkers catch it");
  cmd->callback([args, &exit_code] { exit_code = run_live_command(*args); });
}

}  // namespace spmc::cli
