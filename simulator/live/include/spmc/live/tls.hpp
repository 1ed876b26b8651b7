#pragma once
// TLS between clients and the broker (spec/transport_mqtt.md, MQT-018..MQT-021): the settings
// of each side. TLS protects the link from on-path observers; it adds nothing against the
// broker, which terminates it, and nothing to what the end-to-end envelope already protects.
#include <filesystem>
#include <string_view>

namespace spmc::live {

// The lowest TLS version a side accepts; both also accept every later one. Nothing below 1.2:
// TLS 1.0 and 1.1 are deprecated (RFC 8996).
enum class TlsVersion { kTls12, kTls13 };

// The name libmosquitto and mosquitto.conf give the version (`tls_version`); for both, a
// version means "this one or later".
constexpr std::string_view tls_version_name(TlsVersion version) {
  return version == TlsVersion::kTls13 ? "tlsv1.3" : "tlsv1.2";
}

// A client's TLS: the broker's certificate is always verified (chain to ca_file, and the host
// name given to connect() in its subjectAltName); there is no switch to turn that off.
struct ClientTls {
  std::filesystem::path ca_file{};    // PEM: the CA the broker's certificate must chain to
  std::filesystem::path cert_file{};  // PEM: this client's certificate (mutual TLS); empty: none
  std::filesystem::path key_file{};   // PEM: its private key; given exactly when cert_file is
  TlsVersion min_version = TlsVersion::kTls12;
};

// A broker listener's TLS.
struct BrokerTls {
  std::filesystem::path ca_file{};    // PEM: the CA client certificates must chain to
  std::filesystem::path cert_file{};  // PEM: the broker's certificate
  std::filesystem::path key_file{};   // PEM: its private key
  bool require_certificate = false;   // mutual TLS: refuse a client without a valid certificate
  TlsVersion min_version = TlsVersion::kTls12;
};

}  // namespace spmc::live
