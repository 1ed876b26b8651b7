#include "spmc/live/broker_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "child_process.hpp"
#include "spmc/live/errors.hpp"

namespace spmc::live {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kInstallHint =
    "install the Debian package mosquitto (apt-get install mosquitto, or bash .ci/install-deps)";

std::string errno_text() {
  return std::strerror(errno);  // NOLINT(concurrency-mt-unsafe): read at once, by one thread
}

// A loopback TCP socket, closed on every path.
class Socket {
 public:
  Socket() : m_fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {}
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
  }
  int fd() const { return m_fd; }

 private:
  int m_fd;
};

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// A port the kernel hands out for 127.0.0.1, free when we asked. Another process may take
// it before the broker binds; start() then retries with a new one.
Result<std::uint16_t> free_port() {
  const Socket s;
  sockaddr_in address = loopback(0);
  auto* raw = reinterpret_cast<sockaddr*>(&address);  // NOLINT(*-reinterpret-cast): BSD API
  socklen_t length = sizeof address;
  if (s.fd() < 0 || ::bind(s.fd(), raw, sizeof address) != 0 ||
      ::getsockname(s.fd(), raw, &length) != 0) {
    return live_error(Fault::kBrokerFailed, "no free loopback port: " + errno_text());
  }
  return ntohs(address.sin_port);
}

bool accepts_connections(std::uint16_t port) {
  const Socket s;
  sockaddr_in address = loopback(port);
  const auto* raw = reinterpret_cast<const sockaddr*>(&address);  // NOLINT(*-reinterpret-cast)
  return s.fd() >= 0 && ::connect(s.fd(), raw, sizeof address) == 0;
}

std::string tail_of(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  while (!all.empty() && (all.back() == '\n' || all.back() == '\r')) {
    all.pop_back();
  }
  const std::size_t start = all.size() > 400 ? all.size() - 400 : 0;
  return all.substr(start);
}

std::uintmax_t file_size_or_zero(const std::filesystem::path& path) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

// mosquitto logs "mosquitto version X running" after it has bound every listener.
bool started_running(const std::filesystem::path& log, std::uintmax_t from) {
  std::ifstream in(log, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(from));
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("mosquitto version") != std::string::npos &&
        line.find(" running") != std::string::npos) {
      return true;
    }
  }
  return false;
}

// MQT-017: loopback only, anonymous (nothing else can reach it), persistence in the caller's
// directory. Run as root, mosquitto 2 drops to the `mosquitto` user, which cannot write a
// directory the caller made; `user root` keeps it as the user that owns the directory.
std::string config_text(const BrokerOptions& o) {
  std::string text;
  text += "listener " + std::to_string(o.port) + " 127.0.0.1\n";
  if (o.tls) {  // MQT-019: the listener's own settings follow its `listener` line
    if (!o.tls->ca_file.empty()) {
      text += "cafile " + o.tls->ca_file.string() + "\n";
    }
    text += "certfile " + o.tls->cert_file.string() + "\n";
    text += "keyfile " + o.tls->key_file.string() + "\n";
    text += std::string("require_certificate ") + (o.tls->require_certificate ? "true" : "false") +
            "\n";
    text += "tls_version " + std::string(tls_version_name(o.tls->min_version)) + "\n";
  }
  text += "allow_anonymous true\n";
  text += std::string("persistence ") + (o.persistence ? "true" : "false") + "\n";
  text += "persistence_location " + o.dir.string() + "/\n";
  text += "persistence_file mosquitto.db\n";
  text += "autosave_interval " + std::to_string(o.autosave_interval) + "\n";
  text += std::string("autosave_on_changes ") + (o.autosave_on_changes ? "true" : "false") + "\n";
  text += "log_dest file " + (o.dir / "mosquitto.log").string() + "\n";
  text += "log_type error\nlog_type warning\nlog_type notice\nlog_type information\n";
  if (::geteuid() == 0) {
    text += "user root\n";
  }
  for (const std::string& line : o.extra_config) {
    text += line + "\n";
  }
  return text;
}

// The TLS files are written into the configuration too: each must exist and have a name
// without a line break. A client CA is needed when client certificates are required.
Status check_tls(const std::optional<BrokerTls>& tls) {
  if (!tls) {
    return ok_status();
  }
  if (tls->require_certificate && tls->ca_file.empty()) {
    return live_error(Fault::kTls, "require_certificate needs a ca_file for client certificates");
  }
  if (tls->cert_file.empty() || tls->key_file.empty()) {
    return live_error(Fault::kTls, "a TLS listener needs cert_file and key_file");
  }
  for (const std::filesystem::path& file : {tls->ca_file, tls->cert_file, tls->key_file}) {
    std::error_code ec;
    if (!file.empty() && !std::filesystem::is_regular_file(file, ec)) {
      return live_error(Fault::kTls, "no file " + file.string());
    }
    if (file.string().find_first_of("\r\n") != std::string::npos) {
      return live_error(Fault::kTls, "a file name with a line break");
    }
  }
  return ok_status();
}

Status write_config(const BrokerOptions& o) {
  const std::filesystem::path path = o.dir / "mosquitto.conf";
  std::ofstream out(path, std::ios::trunc);
  out << config_text(o);
  out.close();
  if (!out) {
    return live_error(Fault::kBrokerFailed, "cannot write " + path.string());
  }
  return ok_status();
}

}  // namespace

Result<std::string> BrokerProcess::find_binary(std::string_view configured) {
  const auto found = detail::find_executable(configured, "mosquitto", "/usr/sbin/mosquitto");
  if (found) {
    return found->string();
  }
  if (!configured.empty()) {
    return live_error(
        Fault::kBrokerMissing,
        "no mosquitto executable at " + std::string(configured) + ": " + std::string(kInstallHint));
  }
  return live_error(Fault::kBrokerMissing,
                    "mosquitto not found on PATH or in /usr/sbin: " + std::string(kInstallHint));
}

BrokerProcess::BrokerProcess(BrokerOptions options) : m_options(std::move(options)) {}

BrokerProcess::BrokerProcess(BrokerProcess&& other) noexcept
    : m_options(std::move(other.m_options)),
      m_host(std::move(other.m_host)),
      m_pid(std::exchange(other.m_pid, -1)) {}

BrokerProcess& BrokerProcess::operator=(BrokerProcess&& other) noexcept {
  if (this != &other) {
    kill();
    m_options = std::move(other.m_options);
    m_host = std::move(other.m_host);
    m_pid = std::exchange(other.m_pid, -1);
  }
  return *this;
}

BrokerProcess::~BrokerProcess() { kill(); }

Result<BrokerProcess> BrokerProcess::start(BrokerOptions options) {
  SPMC_TRY(options.binary, find_binary(options.binary));
  std::error_code ec;
  if (!std::filesystem::is_directory(options.dir, ec)) {
    return live_error(Fault::kBrokerFailed, "no directory " + options.dir.string());
  }
  // The directory is written into the configuration, one setting per line.
  if (options.dir.string().find_first_of("\r\n") != std::string::npos) {
    return live_error(Fault::kBrokerFailed, "a directory name with a line break");
  }
  for (const std::string& line : options.extra_config) {
    if (line.find_first_of("\r\n") != std::string::npos) {
      return live_error(Fault::kBrokerFailed, "a configuration setting with a line break");
    }
  }
  SPMC_TRY_STATUS(check_tls(options.tls));
  const bool pick_port = options.port == 0;
  BrokerProcess broker(std::move(options));
  // A picked port may be taken between free_port() and the broker's bind: try a few.
  constexpr int kAttempts = 3;
  Status launched = ok_status();
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (pick_port) {
      SPMC_TRY(broker.m_options.port, free_port());
    }
    launched = broker.launch();
    if (launched.ok() || !pick_port) {
      break;
    }
  }
  if (!launched.ok()) {
    return launched.error();
  }
  return broker;
}

Status BrokerProcess::launch() {
  SPMC_CHECK(m_pid <= 0);
  SPMC_TRY_STATUS(write_config(m_options));
  const std::string out_path = (m_options.dir / "mosquitto.out").string();
  const std::string config = config_file().string();
  // Everything the child needs is made before fork(): after it, only async-signal-safe calls.
  std::vector<std::string> words{m_options.binary, "-c", config};
  const std::vector<char*> argv = detail::argv_of(words);
  const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) {
    return live_error(Fault::kBrokerFailed, "cannot open " + out_path + ": " + errno_text());
  }
  const std::uintmax_t log_offset = file_size_or_zero(log_file());
  // The broker dies with the test that started it, even when that one is killed.
  const pid_t pid = detail::spawn_tied_child(argv, -1, out);
  ::close(out);
  if (pid < 0) {
    return live_error(Fault::kBrokerFailed, "fork: " + errno_text());
  }
  m_pid = pid;
  const auto deadline = Clock::now() + std::chrono::milliseconds(m_options.start_timeout_ms);
  // Ready when this broker logged that it runs (it does so only once its listener is bound)
  // and the port answers: a port taken by another process in the meantime answers too, but
  // then our broker exits at start instead of logging that it runs.
  const auto ready = [this, log_offset] {
    return started_running(log_file(), log_offset) && accepts_connections(m_options.port);
  };
  while (!ready()) {
    int status = 0;
    if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
      m_pid = -1;
      return live_error(Fault::kBrokerFailed, "mosquitto exited at start (status " +
                                                  std::to_string(status) +
                                                  "): " + tail_of(log_file()) + tail_of(out_path));
    }
    if (Clock::now() >= deadline) {
      kill();
      return live_error(Fault::kBrokerFailed, "mosquitto did not accept connections on port " +
                                                  std::to_string(m_options.port) + " within " +
                                                  std::to_string(m_options.start_timeout_ms) +
                                                  " ms");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return ok_status();
}

Status BrokerProcess::stop(int timeout_ms) {
  if (m_pid <= 0) {
    return ok_status();
  }
  ::kill(m_pid, SIGTERM);
  if (detail::wait_for_exit(m_pid, timeout_ms)) {
    m_pid = -1;
    return ok_status();
  }
  kill();
  return live_error(Fault::kBrokerFailed,
                    "mosquitto ignored SIGTERM for " + std::to_string(timeout_ms) + " ms; killed");
}

void BrokerProcess::kill() {
  if (m_pid <= 0) {
    return;
  }
  ::kill(m_pid, SIGKILL);
  int status = 0;
  while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
  }
  m_pid = -1;
}

Status BrokerProcess::restart() {
  kill();  // nothing if stopped already
  return launch();
}

}  // namespace spmc::live
