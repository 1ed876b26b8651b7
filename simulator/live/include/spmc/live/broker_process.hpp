#pragma once
// A mosquitto broker started as a child process on a loopback port, with a configuration
// written into a directory the caller owns (spec/transport_mqtt.md, MQT-017). For tests and
// local live runs; a deployment runs its broker as a service. The object owns the child: its
// destructor kills and reaps it, so a failed test never leaves a broker behind, and the
// broker is killed when the thread that started it ends (PR_SET_PDEATHSIG), so a test killed
// by its timeout does not leave one either.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spmc/live/tls.hpp"
#include "spmc/result.hpp"

namespace spmc::live {

struct BrokerOptions {
  std::string binary;         // empty: PATH, then /usr/sbin/mosquitto (Debian's place)
  std::filesystem::path dir;  // existing directory: config, log and persistence file
  std::uint16_t port = 0;     // 0: a free loopback port
  bool persistence = true;    // MQT-013
  // MQT-013: mosquitto writes its database at a clean shutdown and, with
  // autosave_on_changes, after every autosave_interval changes (else every interval seconds).
  int autosave_interval = 1800;
  bool autosave_on_changes = false;
  int start_timeout_ms = 10000;
  // Further settings, one per element, appended to the generated configuration (e.g.
  // `max_queued_messages 0` for a benchmark); a line break in one is refused.
  std::vector<std::string> extra_config;
  // MQT-019: the listener speaks MQTT over TLS only (no plain listener beside it).
  std::optional<BrokerTls> tls{};
};

class BrokerProcess {
 public:
  // The mosquitto executable `configured` names, or the first one found (see BrokerOptions);
  // broker_missing, saying which package to install, when there is none.
  static Result<std::string> find_binary(std::string_view configured);
  // Writes <dir>/mosquitto.conf, starts the broker and waits until it accepts connections.
  static Result<BrokerProcess> start(BrokerOptions options);

  BrokerProcess(BrokerProcess&& other) noexcept;
  BrokerProcess& operator=(BrokerProcess&& other) noexcept;
  BrokerProcess(const BrokerProcess&) = delete;
  BrokerProcess& operator=(const BrokerProcess&) = delete;
  ~BrokerProcess();  // kill() if still running

  const std::string& host() const { return m_host; }
  std::uint16_t port() const { return m_options.port; }
  bool running() const { return m_pid > 0; }
  std::filesystem::path config_file() const { return m_options.dir / "mosquitto.conf"; }
  std::filesystem::path log_file() const { return m_options.dir / "mosquitto.log"; }
  std::filesystem::path persistence_file() const { return m_options.dir / "mosquitto.db"; }

  // SIGTERM (mosquitto saves its database), then waits; SIGKILL and broker_failed when it
  // has not exited within timeout_ms.
  Status stop(int timeout_ms);
  // SIGKILL and reap: a crash, nothing saved since the last autosave.
  void kill();
  // The same configuration and port again, after stop() or kill().
  Status restart();

 private:
  explicit BrokerProcess(BrokerOptions options);
  Status launch();

  BrokerOptions m_options;
  std::string m_host = "127.0.0.1";
  pid_t m_pid = -1;
};

}  // namespace spmc::live
