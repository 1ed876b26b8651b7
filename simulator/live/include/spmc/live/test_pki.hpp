#pragma once
// A throwaway public-key infrastructure for TLS tests and local live runs (MQT-021): one CA,
// a broker certificate and a client certificate, made by the `openssl` command-line tool
// (Debian package openssl) in a directory the caller owns. Keys are EC P-256, every file is
// readable by its owner only. Not for a deployment: the CA key lies next to the certificates.
#include <filesystem>
#include <string>
#include <vector>

#include "spmc/live/tls.hpp"
#include "spmc/result.hpp"

namespace spmc::live {

struct TestPkiOptions {
  std::string openssl;  // the openssl executable; empty: the first one on PATH
  // The broker certificate's subjectAltName entries: an IPv4 or IPv6 address becomes an
  // IP entry, anything else a DNS name. A client checks the host it connects to against them.
  std::vector<std::string> broker_names{"localhost", "127.0.0.1"};
  int valid_days = 30;
};

struct TestPki {
  std::filesystem::path ca_cert{};      // ca.crt: the CA both sides trust
  std::filesystem::path ca_key{};       // ca.key
  std::filesystem::path broker_cert{};  // broker.crt: serverAuth, for TestPkiOptions::broker_names
  std::filesystem::path broker_key{};   // broker.key
  std::filesystem::path client_cert{};  // client.crt: clientAuth, subject CN=spmc-test-client
  std::filesystem::path client_key{};   // client.key

  // A broker listener with this PKI's certificate, trusting this CA for client certificates.
  BrokerTls broker_tls(bool require_certificate = false) const;
  // A client trusting this CA; with_certificate adds the client certificate (mutual TLS).
  ClientTls client_tls(bool with_certificate = false) const;
};

// Makes the CA and both certificates in `dir` (an existing directory; files of the same names
// are replaced). pki_failed when openssl is missing (one line naming the package to install),
// fails, or takes longer than 30 s, with the end of its output.
Result<TestPki> make_test_pki(const std::filesystem::path& dir, const TestPkiOptions& options = {});

}  // namespace spmc::live
