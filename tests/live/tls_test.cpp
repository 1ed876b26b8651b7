// MQTT over TLS between clients and a real mosquitto (spec/transport_mqtt.md, MQT-018..MQT-021).
// Each test makes a throwaway PKI with the openssl tool (make_test_pki) and starts its own
// broker in a temporary directory, removed on every way out. A recording TCP relay between a
// client and the broker (support/capture_relay.hpp) stands for an observer on the network
// path: what it records is what TLS leaves visible. Timeouts are generous and only stop hangs.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "spmc/live/broker_process.hpp"
#include "spmc/live/errors.hpp"
#include "spmc/live/mqtt_client.hpp"
#include "spmc/live/mqtt_wire.hpp"
#include "spmc/live/test_pki.hpp"
#include "spmc/live/topic.hpp"
#include "support/capture_relay.hpp"
#include "support/temp_dir.hpp"
#include "support/text_file.hpp"

namespace spmc::live {
namespace {

constexpr int kWaitMs = 20000;  // only against hangs; every step is milliseconds on loopback

using Clock = std::chrono::steady_clock;

bool contains(const Bytes& haystack, const std::string& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

Bytes bytes_of(const std::string& text) { return {text.begin(), text.end()}; }

// A client that appends what it receives to `arrived`.
MqttClient make_client(const std::string& id, std::optional<ClientTls> tls,
                       std::vector<Bytes>* arrived = nullptr) {
  ClientOptions options{.client_id = id, .clean_session = true, .keepalive_s = 30};
  options.tls = std::move(tls);
  auto made = MqttClient::create(std::move(options));
  if (!made.ok()) {
    throw std::runtime_error(made.error().detail);
  }
  MqttClient c = std::move(made).value();
  if (arrived != nullptr) {
    c.on_receive([arrived](std::string_view, ByteView frame) {
      arrived->emplace_back(frame.begin(), frame.end());
    });
  }
  return c;
}

class LiveTls : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* sub : {"pki", "other-pki", "broker"}) {
      std::filesystem::create_directory(m_dir.path() / sub);
    }
    auto made = make_test_pki(m_dir.path() / "pki");
    ASSERT_TRUE(made.ok()) << made.error().detail;
    m_pki = std::move(made).value();
  }

  void start(std::optional<BrokerTls> tls) {
    BrokerOptions options;
    options.dir = m_dir.path() / "broker";
    options.tls = std::move(tls);
    auto started = BrokerProcess::start(std::move(options));
    ASSERT_TRUE(started.ok()) << started.error().detail;
    m_broker.emplace(std::move(started).value());
  }

  // A connect that must fail: its status, and that it failed well before its own timeout.
  Status refused_connect(MqttClient& c, const std::string& host) {
    const auto began = Clock::now();
    Status s = c.connect(host, m_broker->port(), kWaitMs);
    EXPECT_LT(Clock::now() - began, std::chrono::milliseconds(kWaitMs / 2)) << "no hang";
    EXPECT_FALSE(s.ok());
    EXPECT_FALSE(c.connected());
    return s;
  }

  spmc::testing::TempDir m_dir;
  TestPki m_pki;
  std::optional<BrokerProcess> m_broker;
};

// Proves: MQT-018, MQT-019
TEST_F(LiveTls, ATlsClientPublishesAndSubscribesAtQos1ThroughATlsBroker) {
  ASSERT_NO_FATAL_FAILURE(start(m_pki.broker_tls()));
  const std::string config = spmc::testing::read_text(m_broker->config_file());
  EXPECT_NE(config.find("certfile " + m_pki.broker_cert.string() + "\n"), std::string::npos);
  EXPECT_NE(config.find("tls_version tlsv1.2\n"), std::string::npos) << config;

  std::vector<Bytes> at_server;
  MqttClient server = make_client(std::string(kServerClientId), m_pki.client_tls(), &at_server);
  // By name: the broker certificate's DNS entry; the phone below uses its IP entry.
  const Status up = server.connect("localhost", m_broker->port(), kWaitMs);
  ASSERT_TRUE(up.ok()) << up.error().detail;
  ASSERT_TRUE(server.subscribe(std::string(kServerSubscription), kWaitMs).ok());

  MqttClient phone = make_client(phone_client_id(7), m_pki.client_tls());
  const Status connected = phone.connect(m_broker->host(), m_broker->port(), kWaitMs);
  ASSERT_TRUE(connected.ok()) << connected.error().detail;
  ASSERT_TRUE(phone.publish(server_topic(7), bytes_of("over TLS")).ok());
  const Status acked = phone.flush(kWaitMs);  // QoS 1: the broker's PUBACK came back
  ASSERT_TRUE(acked.ok()) << acked.error().detail;
  const Status got = server.run_until([&at_server] { return !at_server.empty(); }, kWaitMs);
  ASSERT_TRUE(got.ok()) << got.error().detail;
  EXPECT_EQ(at_server, std::vector<Bytes>{bytes_of("over TLS")});
}

// Proves: MQT-018
TEST_F(LiveTls, AClientTrustingAnotherCaIsRefusedWithATlsError) {
  auto other = make_test_pki(m_dir.path() / "other-pki");
  ASSERT_TRUE(other.ok()) << other.error().detail;
  ASSERT_NO_FATAL_FAILURE(start(m_pki.broker_tls()));
  MqttClient phone = make_client(phone_client_id(8), other.value().client_tls());
  const Status s = refused_connect(phone, m_broker->host());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(fault_of(s.error()), Fault::kTls) << s.error().detail;
  EXPECT_NE(s.error().detail.find("certificate verify failed"), std::string::npos)
      << s.error().detail;
}

// Proves: MQT-018
TEST_F(LiveTls, ABrokerCertificateForAnotherHostNameIsRefused) {
  TestPkiOptions elsewhere;
  elsewhere.broker_names = {"broker.example"};
  auto other = make_test_pki(m_dir.path() / "other-pki", elsewhere);
  ASSERT_TRUE(other.ok()) << other.error().detail;
  ASSERT_NO_FATAL_FAILURE(start(other.value().broker_tls()));
  MqttClient phone = make_client(phone_client_id(9), other.value().client_tls());
  const Status s = refused_connect(phone, m_broker->host());  // 127.0.0.1, not broker.example
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(fault_of(s.error()), Fault::kTls) << s.error().detail;
  EXPECT_NE(s.error().detail.find("host name verification failed"), std::string::npos)
      << s.error().detail;
}

// Proves: MQT-019
TEST_F(LiveTls, APlainClientToTheTlsListenerFailsCleanlyAndTheBrokerServesTheNext) {
  ASSERT_NO_FATAL_FAILURE(start(m_pki.broker_tls()));
  MqttClient plain = make_client(phone_client_id(10), std::nullopt);
  const Status s = refused_connect(plain, m_broker->host());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(fault_of(s.error()), Fault::kConnectFailed) << s.error().detail;
  EXPECT_NE(s.error().detail.find("TLS listener"), std::string::npos) << s.error().detail;

  MqttClient secure = make_client(phone_client_id(10), m_pki.client_tls());
  const Status ok = secure.connect(m_broker->host(), m_broker->port(), kWaitMs);
  EXPECT_TRUE(ok.ok()) << ok.error().detail;
}

// Proves: MQT-018
TEST_F(LiveTls, ATlsClientToAPlainListenerFailsCleanly) {
  ASSERT_NO_FATAL_FAILURE(start(std::nullopt));
  MqttClient secure = make_client(phone_client_id(11), m_pki.client_tls());
  const Status s = refused_connect(secure, m_broker->host());
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(fault_of(s.error()) == Fault::kTls || fault_of(s.error()) == Fault::kConnectFailed)
      << s.error().detail;
}

// Proves: MQT-019
TEST_F(LiveTls, WhenTheBrokerRequiresACertificateAClientWithoutOneIsRefused) {
  ASSERT_NO_FATAL_FAILURE(start(m_pki.broker_tls(/*require_certificate=*/true)));
  EXPECT_NE(spmc::testing::read_text(m_broker->config_file()).find("require_certificate true\n"),
            std::string::npos);
  MqttClient anonymous =
      make_client(phone_client_id(12), m_pki.client_tls(/*with_certificate=*/false));
  const Status s = refused_connect(anonymous, m_broker->host());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(fault_of(s.error()), Fault::kTls) << s.error().detail;

  MqttClient known = make_client(phone_client_id(12), m_pki.client_tls(/*with_certificate=*/true));
  const Status ok = known.connect(m_broker->host(), m_broker->port(), kWaitMs);
  EXPECT_TRUE(ok.ok()) << ok.error().detail;
}

// What the relay saw of one phone's connection: it connects, subscribes to its downlink,
// publishes one frame on its uplink and receives one frame from the server.
struct PathCapture {
  Bytes up;
  Bytes down;
  std::size_t connect_bytes = 0;  // both directions, up to the CONNACK
  std::size_t publish_bytes = 0;  // upstream, for the one PUBLISH of `uplink`
};

constexpr Address kObserved = 4242;

PathCapture observe_phone(const BrokerProcess& broker, const std::optional<ClientTls>& tls,
                          const Bytes& uplink, const Bytes& downlink) {
  spmc::testing::CaptureRelay relay(broker.port());  // the phone's connection is its first
  std::vector<Bytes> at_server;
  std::vector<Bytes> at_phone;
  MqttClient server = make_client(std::string(kServerClientId), tls, &at_server);
  MqttClient phone = make_client(phone_client_id(kObserved), tls, &at_phone);
  const auto check = [](const Status& s) {
    if (!s.ok()) {
      throw std::runtime_error(s.error().detail);
    }
  };
  check(server.connect(broker.host(), broker.port(), kWaitMs));
  check(server.subscribe(std::string(kServerSubscription), kWaitMs));
  check(phone.connect(broker.host(), relay.port(), kWaitMs));
  PathCapture seen;
  const auto after_connect = relay.streams(0);
  seen.connect_bytes = after_connect.up.size() + after_connect.down.size();
  check(phone.subscribe(phone_topic(kObserved), kWaitMs));
  const std::size_t before = relay.streams(0).up.size();
  check(phone.publish(server_topic(kObserved), uplink));
  check(phone.flush(kWaitMs));
  seen.publish_bytes = relay.streams(0).up.size() - before;
  check(server.run_until([&at_server] { return !at_server.empty(); }, kWaitMs));
  check(server.publish(phone_topic(kObserved), downlink));
  check(phone.run_until([&at_phone] { return !at_phone.empty(); }, kWaitMs));
  check(phone.disconnect(kWaitMs));
  auto streams = relay.streams(0);
  seen.up = std::move(streams.up);
  seen.down = std::move(streams.down);
  return seen;
}

// Proves: MQT-020
TEST_F(LiveTls, TheTlsStreamHidesTopicsClientIdsAndPayloadsThatThePlainStreamShows) {
  const std::string up_text = "uplink-" + std::string(993, 'u');  // 1000 bytes
  const std::string down_text = "downlink-secret";
  const std::vector<std::string> hidden{server_topic(kObserved), phone_topic(kObserved),
                                        phone_client_id(kObserved), up_text, down_text};
  PathCapture plain;
  PathCapture tls;
  ASSERT_NO_FATAL_FAILURE(start(std::nullopt));
  ASSERT_NO_THROW(
      plain = observe_phone(*m_broker, std::nullopt, bytes_of(up_text), bytes_of(down_text)));
  m_broker.reset();
  ASSERT_NO_FATAL_FAILURE(start(m_pki.broker_tls()));
  ASSERT_NO_THROW(
      tls = observe_phone(*m_broker, m_pki.client_tls(), bytes_of(up_text), bytes_of(down_text)));

  // The control: the plain stream shows everything, so the relay sees what it should.
  Bytes plain_all = plain.up;
  plain_all.insert(plain_all.end(), plain.down.begin(), plain.down.end());
  Bytes tls_all = tls.up;
  tls_all.insert(tls_all.end(), tls.down.begin(), tls.down.end());
  for (const std::string& text : hidden) {
    EXPECT_TRUE(contains(plain_all, text)) << text;
    EXPECT_FALSE(contains(tls_all, text)) << text;
  }
  // The cost (MQT-020): the plain PUBLISH is exactly its MQTT layout (MQT-008); TLS adds its
  // record header and authentication tag, once per record, and a handshake.
  EXPECT_EQ(plain.publish_bytes,
            mqtt_wire::publish_layout(server_topic(kObserved).size(), up_text.size(), 1).total());
  const std::size_t record_overhead = tls.publish_bytes - plain.publish_bytes;
  EXPECT_GT(tls.publish_bytes, plain.publish_bytes);
  EXPECT_LE(record_overhead, 64U);
  std::cout << "TLS record overhead per 1000-byte frame: " << record_overhead
            << " bytes; connect to CONNACK: " << plain.connect_bytes << " bytes plain, "
            << tls.connect_bytes << " bytes with TLS\n";
  RecordProperty("tls_record_overhead_bytes", static_cast<int>(record_overhead));
  RecordProperty("plain_connect_bytes", static_cast<int>(plain.connect_bytes));
  RecordProperty("tls_connect_bytes", static_cast<int>(tls.connect_bytes));
}

// Proves: MQT-021
TEST_F(LiveTls, TheTestPkiIsOwnerOnlyAndWithoutOpensslSaysWhatToInstall) {
  for (const auto& file : {m_pki.ca_cert, m_pki.ca_key, m_pki.broker_cert, m_pki.broker_key,
                           m_pki.client_cert, m_pki.client_key}) {
    struct stat info {};
    ASSERT_EQ(::stat(file.c_str(), &info), 0) << file;
    EXPECT_EQ(info.st_mode & 0777U, 0600U) << file;
  }

  TestPkiOptions missing;
  missing.openssl = "/nonexistent/bin/openssl";
  auto made = make_test_pki(m_dir.path() / "other-pki", missing);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(fault_of(made.error()), Fault::kPki) << made.error().detail;
  EXPECT_NE(made.error().detail.find("apt-get install openssl"), std::string::npos);
  EXPECT_EQ(made.error().detail.find('\n'), std::string::npos) << "one line";

  TestPkiOptions injected;
  injected.broker_names = {"localhost\n[ca_ext]"};
  EXPECT_FALSE(make_test_pki(m_dir.path() / "other-pki", injected).ok());
}

}  // namespace
}  // namespace spmc::live
