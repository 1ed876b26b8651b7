#include "spmc/live/test_pki.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "child_process.hpp"
#include "spmc/live/errors.hpp"

namespace spmc::live {
namespace {

namespace fs = std::filesystem;

constexpr int kOpensslTimeoutMs = 30000;  // key generation takes milliseconds; only against hangs

constexpr std::string_view kInstallHint =
    "install the Debian package openssl (apt-get install openssl, or bash .ci/install-deps)";

std::string errno_text() {
  return std::strerror(errno);  // NOLINT(concurrency-mt-unsafe): read at once, by one thread
}

bool is_ip_address(const std::string& name) {
  std::array<std::uint8_t, sizeof(in6_addr)> buffer{};
  return ::inet_pton(AF_INET, name.c_str(), buffer.data()) == 1 ||
         ::inet_pton(AF_INET6, name.c_str(), buffer.data()) == 1;
}

// A host name or address goes into the configuration file unquoted: letters, digits, '.',
// '-' and ':' (IPv6) only, so no name can add a setting of its own.
bool plain_name(const std::string& name) {
  constexpr std::size_t kMaxHostName = 253;
  return !name.empty() && name.size() <= kMaxHostName &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '-' || c == ':';
         });
}

// The extensions of each certificate, so that nothing depends on the system's openssl.cnf: a
// CA that can only sign end certificates, a broker certificate for TLS servers with the names
// a client checks, and a client certificate for TLS clients.
std::string config_text(const std::vector<std::string>& broker_names) {
  std::string alt_names;
  for (const std::string& name : broker_names) {
    alt_names +=
        (alt_names.empty() ? "" : ", ") + std::string(is_ip_address(name) ? "IP:" : "DNS:") + name;
  }
  return "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = unused\n"
         "[ca_ext]\nbasicConstraints = critical, CA:TRUE, pathlen:0\n"
         "keyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = hash\n"
         "[broker_ext]\nbasicConstraints = critical, CA:FALSE\n"
         "keyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth\n"
         "subjectAltName = " +
         alt_names +
         "\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n"
         "[client_ext]\nbasicConstraints = critical, CA:FALSE\n"
         "keyUsage = critical, digitalSignature\nextendedKeyUsage = clientAuth\n"
         "subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n";
}

std::string tail_of(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  std::replace(all.begin(), all.end(), '\n', ' ');
  constexpr std::size_t kTail = 300;
  return all.size() > kTail ? all.substr(all.size() - kTail) : all;
}

// A serial number of 63 random bits: two test CAs never issue the same issuer and serial.
std::string random_serial() {
  std::random_device device;
  std::uniform_int_distribution<std::uint64_t> bits(1, (std::uint64_t{1} << 63U) - 1);
  std::ostringstream text;
  text << "0x" << std::hex << bits(device);
  return text.str();
}

class Openssl {
 public:
  Openssl(fs::path binary, fs::path log) : m_binary(std::move(binary)), m_log(std::move(log)) {}

  // Runs `openssl <args>` with no shell, stdin from /dev/null, output into the log, and
  // umask 077 so every file it makes is its owner's only from the start.
  Status run(std::vector<std::string> args) const {
    const std::string command = args.empty() ? "" : args.front();
    args.insert(args.begin(), m_binary.string());
    const std::vector<char*> argv = detail::argv_of(args);
    const int out = ::open(m_log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out < 0 || in < 0) {
      const std::string why = errno_text();
      ::close(out);
      ::close(in);
      return live_error(Fault::kPki, "cannot open " + m_log.string() + ": " + why);
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::umask(077);
      detail::exec_in_child(argv, in, out);
    }
    ::close(out);
    ::close(in);
    if (pid < 0) {
      return live_error(Fault::kPki, "fork: " + errno_text());
    }
    const std::optional<int> status = detail::wait_for_exit(pid, kOpensslTimeoutMs);
    if (!status) {
      ::kill(pid, SIGKILL);
      detail::wait_for_exit(pid, kOpensslTimeoutMs);
      return live_error(Fault::kPki, "openssl " + command + " took longer than " +
                                         std::to_string(kOpensslTimeoutMs) + " ms; killed");
    }
    if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {  // NOLINT(hicpp-signed-bitwise)
      return live_error(Fault::kPki, "openssl " + command + " failed (status " +
                                         std::to_string(*status) + "): " + tail_of(m_log));
    }
    return ok_status();
  }

  Status make_key(const fs::path& key) const {
    return run({"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                key.string()});
  }

  // A certificate for `key` with subject CN=`name`, signed by the CA with the extensions of
  // `section` in the configuration.
  Status issue(const fs::path& config, const fs::path& ca_cert, const fs::path& ca_key,
               const fs::path& key, const std::string& name, const std::string& section,
               const fs::path& cert, int days) const {
    const fs::path request = fs::path(cert).replace_extension(".csr");
    SPMC_TRY_STATUS(run({"req", "-new", "-config", config.string(), "-key", key.string(), "-subj",
                         "/CN=" + name, "-out", request.string()}));
    Status issued = run({"x509", "-req", "-in", request.string(), "-CA", ca_cert.string(), "-CAkey",
                         ca_key.string(), "-set_serial", random_serial(), "-days",
                         std::to_string(days), "-sha256", "-extfile", config.string(),
                         "-extensions", section, "-out", cert.string()});
    std::error_code ignored;
    fs::remove(request, ignored);
    return issued;
  }

 private:
  fs::path m_binary;
  fs::path m_log;
};

}  // namespace

BrokerTls TestPki::broker_tls(bool require_certificate) const {
  return {.ca_file = ca_cert,
          .cert_file = broker_cert,
          .key_file = broker_key,
          .require_certificate = require_certificate};
}

ClientTls TestPki::client_tls(bool with_certificate) const {
  ClientTls tls;
  tls.ca_file = ca_cert;
  if (with_certificate) {
    tls.cert_file = client_cert;
    tls.key_file = client_key;
  }
  return tls;
}

Result<TestPki> make_test_pki(const fs::path& dir, const TestPkiOptions& options) {
  const auto openssl = detail::find_executable(options.openssl, "openssl", {});
  if (!openssl) {
    const std::string where =
        options.openssl.empty() ? "openssl not found on PATH" : "no openssl at " + options.openssl;
    return live_error(Fault::kPki, where + ": " + std::string(kInstallHint));
  }
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return live_error(Fault::kPki, "no directory " + dir.string());
  }
  if (options.broker_names.empty() ||
      !std::all_of(options.broker_names.begin(), options.broker_names.end(), plain_name)) {
    return live_error(Fault::kPki, "broker names must be host names or IP addresses");
  }
  if (options.valid_days <= 0) {
    return live_error(Fault::kPki, "valid_days must be positive");
  }
  const fs::path config = dir / "pki.cnf";
  {
    std::ofstream out(config, std::ios::trunc);
    out << config_text(options.broker_names);
    out.close();
    if (!out) {
      return live_error(Fault::kPki, "cannot write " + config.string());
    }
  }
  TestPki pki{.ca_cert = dir / "ca.crt",
              .ca_key = dir / "ca.key",
              .broker_cert = dir / "broker.crt",
              .broker_key = dir / "broker.key",
              .client_cert = dir / "client.crt",
              .client_key = dir / "client.key"};
  const Openssl tool(*openssl, dir / "openssl.log");
  const std::string days = std::to_string(options.valid_days);
  SPMC_TRY_STATUS(tool.make_key(pki.ca_key));
  SPMC_TRY_STATUS(
      tool.run({"req", "-new", "-x509", "-config", config.string(), "-key", pki.ca_key.string(),
                "-subj", "/CN=SPMC test CA", "-days", days, "-sha256", "-extensions", "ca_ext",
                "-set_serial", random_serial(), "-out", pki.ca_cert.string()}));
  SPMC_TRY_STATUS(tool.make_key(pki.broker_key));
  SPMC_TRY_STATUS(tool.issue(config, pki.ca_cert, pki.ca_key, pki.broker_key,
                             options.broker_names.front(), "broker_ext", pki.broker_cert,
                             options.valid_days));
  SPMC_TRY_STATUS(tool.make_key(pki.client_key));
  SPMC_TRY_STATUS(tool.issue(config, pki.ca_cert, pki.ca_key, pki.client_key, "spmc-test-client",
                             "client_ext", pki.client_cert, options.valid_days));
  // Files that existed before keep their old mode when openssl rewrites them: set it.
  for (const fs::path& file : {config, pki.ca_cert, pki.ca_key, pki.broker_cert, pki.broker_key,
                               pki.client_cert, pki.client_key, dir / "openssl.log"}) {
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace,
                    ec);
    if (ec) {
      return live_error(Fault::kPki, "chmod 0600 " + file.string() + ": " + ec.message());
    }
  }
  return pki;
}

}  // namespace spmc::live
