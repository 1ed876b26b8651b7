// The reference state machines over a real broker (issue 20's seam, spec/transport_mqtt.md):
// one ChatServer and two Phones, each with its own MQTT connection to a mosquitto this test
// starts, on the real clock and the OS generator. They sign up, become contacts and talk, and
// one phone goes offline and comes back, exactly as the simulator's loopback world does it, but
// every frame crosses the broker. One thread drives everything (MqttClient::poll).
#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "spmc/live/broker_process.hpp"
#include "spmc/live/errors.hpp"
#include "spmc/live/mqtt_client.hpp"
#include "spmc/live/system_clock.hpp"
#include "spmc/live/topic.hpp"
#include "spmc/phone.hpp"
#include "spmc/profile.hpp"
#include "spmc/rng.hpp"
#include "spmc/server.hpp"
#include "support/spmc_command.hpp"

namespace spmc::live {
namespace {

constexpr int kWaitMs = 60000;  // only against hangs

MqttClient make_client(ClientOptions options) {
  auto made = MqttClient::create(std::move(options));
  SPMC_CHECK(made.ok());
  return std::move(made).value();
}

// Every failure of a transport call the state machines cannot see (they return nothing).
// Being without a broker is expected while it is down, and repaired by the channel: counted
// apart.
struct Failures {
  std::vector<std::string> lines;
  std::uint64_t while_disconnected = 0;
  void note(const Status& s) {
    if (s.ok()) {
      return;
    }
    const auto fault = fault_of(s.error());
    if (fault == Fault::kNotConnected || fault == Fault::kConnectionLost) {
      ++while_disconnected;
      return;
    }
    lines.push_back(s.error().detail);
  }
};

// The chat server: frames from `spmc/v1/srv/<address>` go to on_packet(address, ...), its
// transmit(to, ...) publishes on `spmc/v1/to/<to>`; its mail is kept for the test to hand over.
class LiveServer final : public server::ServerEffects {
 public:
  LiveServer(const SystemClock& clock, Failures& failures)
      : m_server(paper_profile(), m_rng, clock, test_config()),
        m_client(make_client({.client_id = std::string(kServerClientId),
                              .clean_session = false,
                              .keepalive_s = 30})),
        m_failures(failures) {
    m_client.on_receive([this](std::string_view topic, ByteView frame) {
      const auto route = parse_topic(topic);
      if (!route.ok() || route->direction != Direction::kToServer) {
        ++m_bad_topics;  // MQT-002: dropped and counted
        return;
      }
      m_server.on_packet(route->address, frame, *this);
    });
  }
  void transmit(server::Address to, Bytes frame) override {
    m_failures.note(m_client.publish(phone_topic(to), frame));
  }
  void send_email(const std::string& email, const std::string& text) override {
    mail.emplace_back(email, text);
  }
  void log(const std::string& /*line*/) override {}

  server::ChatServer& server() { return m_server; }
  MqttClient& client() { return m_client; }
  std::uint64_t bad_topics() const { return m_bad_topics; }
  std::deque<std::pair<std::string, std::string>> mail;

 private:
  static server::ServerConfig test_config() {
    server::ServerConfig config;
    config.password_kdf_cost_n = 16;  // sign-up speed; the cost is not what this test is about
    return config;
  }
  OsRng m_rng;
  server::ChatServer m_server;
  MqttClient m_client;
  Failures& m_failures;
  std::uint64_t m_bad_topics = 0;
};

// A phone: frames from its downlink go to on_packet, its transmit publishes on its uplink.
class LivePhone final : public phone::PhoneEffects {
 public:
  LivePhone(Address address, const SystemClock& clock, const crypto::Ed25519Public& ca,
            Failures& failures)
      : m_address(address),
        m_phone(paper_profile(), m_rng, clock, ca, phone::PhoneConfig{}),
        m_client(make_client(
            {.client_id = phone_client_id(address), .clean_session = false, .keepalive_s = 30})),
        m_failures(failures) {
    m_client.on_receive(
        [this](std::string_view /*topic*/, ByteView frame) { m_phone.on_packet(frame, *this); });
  }
  void transmit(Bytes frame) override {
    m_failures.note(m_client.publish(server_topic(m_address), frame));
  }
  void deliver(const phone::Delivered& message) override { inbox.push_back(message); }
  void event(const phone::PhoneEvent& /*event*/) override {}
  void secret(ByteView /*secret*/) override {}
  void persist(ByteView /*store_file*/) override {}

  phone::Phone& phone() { return m_phone; }
  MqttClient& client() { return m_client; }
  bool online = false;
  std::vector<phone::Delivered> inbox;

 private:
  Address m_address;
  OsRng m_rng;
  phone::Phone m_phone;
  MqttClient m_client;
  Failures& m_failures;
};

class LiveConversation : public ::testing::Test {
 protected:
  void SetUp() override {
    BrokerOptions options;
    options.dir = m_dir.path();
    auto started = BrokerProcess::start(options);
    ASSERT_TRUE(started.ok()) << started.error().detail;
    m_broker.emplace(std::move(started).value());
    m_server = std::make_unique<LiveServer>(m_clock, m_failures);
    ASSERT_TRUE(m_server->client().connect(m_broker->host(), m_broker->port(), kWaitMs).ok());
    ASSERT_TRUE(m_server->client().subscribe(std::string(kServerSubscription), kWaitMs).ok());
  }

  LivePhone& add_phone(Address address) {
    m_phones.push_back(
        std::make_unique<LivePhone>(address, m_clock, m_server->server().ca_public(), m_failures));
    return *m_phones.back();
  }

  // MQTT first (MQT-011: subscribe on a session the broker did not keep), then the channel.
  void go_online(LivePhone& p) {
    const Status up = p.client().connect(m_broker->host(), m_broker->port(), kWaitMs);
    ASSERT_TRUE(up.ok()) << up.error().detail;
    if (!p.client().session_present()) {
      const std::string topic = phone_topic(address_of(p));
      ASSERT_TRUE(p.client().subscribe(topic, kWaitMs).ok());
    }
    p.online = true;
    p.phone().connect(p);
  }
  void go_offline(LivePhone& p) {
    p.phone().disconnect();
    p.online = false;
    ASSERT_TRUE(p.client().disconnect(kWaitMs).ok());
  }
  Address address_of(const LivePhone& p) const {
    for (std::size_t i = 0; i < m_phones.size(); ++i) {
      if (m_phones[i].get() == &p) {
        return static_cast<Address>(i + 1);
      }
    }
    SPMC_CHECK(false);
    return 0;
  }

  // Alice (address 1) and Bob (address 2) sign up over the broker and become contacts.
  void two_contacts() {
    LivePhone& alice = add_phone(1);
    LivePhone& bob = add_phone(2);
    for (LivePhone* p : {&alice, &bob}) {
      ASSERT_NO_FATAL_FAILURE(go_online(*p));
      p->phone().sign_up(p == &alice ? "alice@example.org" : "bob@example.org",
                         bytes_of("correct horse"), "1234", *p);
    }
    ASSERT_TRUE(pump_until([&] { return alice.phone().ready() && bob.phone().ready(); }))
        << "sign-up over the broker did not finish";
    const std::string alice_id = alice.phone().state().user_id;
    const std::string bob_id = bob.phone().state().user_id;
    ASSERT_TRUE(alice.phone().add_contact(bob_id, alice).ok());
    ASSERT_TRUE(pump_until([&] {
      return alice.phone().has_send_key(bob_id) && bob.phone().has_send_key(alice_id);
    })) << "the contact exchange did not finish";
  }

  // Network, mail and timers until done() holds; false after kWaitMs.
  bool pump_until(const std::function<bool()>& done) {
    const TimeMs end = m_clock.now_ms() + kWaitMs;
    while (!done()) {
      if (m_clock.now_ms() > end) {
        return false;
      }
      drive(m_server->client(), std::string(kServerSubscription));
      for (std::size_t i = 0; i < m_phones.size(); ++i) {
        if (m_phones[i]->online) {
          drive(m_phones[i]->client(), phone_topic(static_cast<Address>(i + 1)));
        }
      }
      hand_over_mail();
      run_timers();
    }
    return true;
  }
  // One round of I/O; a lost connection is made again, and its subscription too when the
  // broker did not keep the session (MQT-011).
  void drive(MqttClient& client, const std::string& topic) {
    if (!client.connected()) {
      const Status up = client.connect(m_broker->host(), m_broker->port(), 2000);
      if (!up.ok()) {
        ++m_failed_reconnects;  // the broker is down: try again next round
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return;
      }
      ++m_reconnects;
      if (!client.session_present()) {
        ++m_sessions_lost;
        m_failures.note(client.subscribe(topic, kWaitMs));
      }
    }
    m_failures.note(client.poll(2));
  }
  void hand_over_mail() {
    while (!m_server->mail.empty()) {
      const auto [email, text] = m_server->mail.front();
      m_server->mail.pop_front();
      for (auto& p : m_phones) {
        if (p->phone().state().email == email) {
          p->phone().receive_email(text, *p);
        }
      }
    }
  }
  void run_timers() {
    const TimeMs now = m_clock.now_ms();
    const TimeMs server_due = m_server->server().next_deadline();
    if (server_due != 0 && server_due <= now) {
      m_server->server().on_timer(*m_server);
    }
    for (auto& p : m_phones) {
      const TimeMs due = p->phone().next_deadline();
      if (p->online && due != 0 && due <= now) {
        p->phone().on_timer(*p);
      }
    }
  }

  spmc::testing::TempDir m_dir;
  std::optional<BrokerProcess> m_broker;
  SystemClock m_clock;
  Failures m_failures;
  std::unique_ptr<LiveServer> m_server;
  std::vector<std::unique_ptr<LivePhone>> m_phones;
  std::uint64_t m_reconnects = 0;
  std::uint64_t m_failed_reconnects = 0;
  std::uint64_t m_sessions_lost = 0;
};

// Proves: MQT-002, MQT-005, MQT-011
TEST_F(LiveConversation, TwoPhonesTalkThroughTheBrokerAndAnOfflineOneGetsItsMessageOnce) {
  ASSERT_NO_FATAL_FAILURE(two_contacts());
  LivePhone& alice = *m_phones[0];
  LivePhone& bob = *m_phones[1];
  const std::string alice_id = alice.phone().state().user_id;
  const std::string bob_id = bob.phone().state().user_id;

  ASSERT_TRUE(alice.phone().send_text(bob_id, bytes_of("hello over MQTT"), alice).ok());
  ASSERT_TRUE(pump_until([&] { return !bob.inbox.empty(); }));
  EXPECT_EQ(bob.inbox[0].from, alice_id);
  EXPECT_EQ(bob.inbox[0].body, bytes_of("hello over MQTT"));
  // Bob's acknowledgement must have reached the server before he leaves: on a loaded machine
  // it can still be in flight, and the first message would then wait in the store too.
  ASSERT_TRUE(pump_until([&] {
    return m_server->server().store_depth(bob_id) == 0 && bob.phone().idle();
  })) << "the first message was never acknowledged";

  // Bob goes away; Alice's message waits in the server's offline store (and its frames, for
  // Bob's ended channel session, in his broker session). Back online, Bob logs in on a new
  // channel session and gets it once.
  ASSERT_NO_FATAL_FAILURE(go_offline(bob));
  ASSERT_TRUE(alice.phone().send_text(bob_id, bytes_of("while you were away"), alice).ok());
  ASSERT_TRUE(pump_until([&] { return m_server->server().store_depth(bob_id) == 1; }))
      << "the message never reached the offline store";
  ASSERT_NO_FATAL_FAILURE(go_online(bob));
  EXPECT_TRUE(bob.client().session_present());
  ASSERT_TRUE(pump_until([&] {
    return bob.inbox.size() >= 2 && m_server->server().store_depth(bob_id) == 0 &&
           alice.phone().idle() && bob.phone().idle();
  })) << "the offline message was not delivered and acknowledged";
  ASSERT_EQ(bob.inbox.size(), 2U);
  EXPECT_EQ(bob.inbox[1].body, bytes_of("while you were away"));
  EXPECT_TRUE(alice.inbox.empty());
  EXPECT_EQ(m_server->bad_topics(), 0U);
  EXPECT_TRUE(m_failures.lines.empty()) << m_failures.lines.front();
}

// Proves: MQT-006, MQT-007, MQT-013
TEST_F(LiveConversation, ABrokerKilledMidConversationLosesNothingAndDuplicatesNothing) {
  // Correctness never rests on the broker: it is killed (kill -9, nothing saved: autosave is
  // 30 minutes away, so it comes back empty, every session and subscription gone) while a
  // message is on its way each way. The clients reconnect and subscribe again, the channel
  // resends what was not acknowledged, and each message is read once.
  ASSERT_NO_FATAL_FAILURE(two_contacts());
  LivePhone& alice = *m_phones[0];
  LivePhone& bob = *m_phones[1];
  const std::string alice_id = alice.phone().state().user_id;
  const std::string bob_id = bob.phone().state().user_id;
  ASSERT_TRUE(pump_until([&] { return alice.phone().idle() && bob.phone().idle(); }));

  m_broker->kill();
  ASSERT_TRUE(alice.phone().send_text(bob_id, bytes_of("across a broker crash"), alice).ok());
  ASSERT_TRUE(bob.phone().send_text(alice_id, bytes_of("and back"), bob).ok());
  const std::uint64_t tries_before = m_failed_reconnects;
  ASSERT_TRUE(pump_until([&] { return m_failed_reconnects >= tries_before + 3; }));
  const Status again = m_broker->restart();
  ASSERT_TRUE(again.ok()) << again.error().detail;

  ASSERT_TRUE(pump_until([&] {
    return !bob.inbox.empty() && !alice.inbox.empty() && alice.phone().idle() &&
           bob.phone().idle() && m_server->server().store_depth() == 0;
  })) << "the conversation did not recover from the broker's crash";
  ASSERT_EQ(bob.inbox.size(), 1U);
  EXPECT_EQ(bob.inbox[0].body, bytes_of("across a broker crash"));
  ASSERT_EQ(alice.inbox.size(), 1U);
  EXPECT_EQ(alice.inbox[0].body, bytes_of("and back"));
  EXPECT_EQ(m_sessions_lost, 3U);  // the server and both phones subscribed again
  EXPECT_GE(m_reconnects, 3U);
  EXPECT_TRUE(m_failures.lines.empty()) << m_failures.lines.front();
}

}  // namespace
}  // namespace spmc::live
