// The MQTT client against a real mosquitto (spec/transport_mqtt.md): each test starts its own
// broker on a free loopback port with a generated configuration in a temporary directory. The
// BrokerProcess and the TempDir are destroyed on every way out of a test, a failed assertion
// included, so no broker and no file outlives it. Timeouts are generous and only stop hangs.
#include <gtest/gtest.h>
#include <mosquitto.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "spmc/channel.hpp"
#include "spmc/live/broker_process.hpp"
#include "spmc/live/errors.hpp"
#include "spmc/live/mqtt_client.hpp"
#include "spmc/live/topic.hpp"
#include "support/spmc_command.hpp"

namespace spmc::live {
namespace {

constexpr int kWaitMs = 20000;  // only against hangs; every step is milliseconds on loopback

struct Arrival {
  std::string topic;
  Bytes frame;
};

// A client that records what arrives.
struct Recorder {
  MqttClient client;
  std::vector<Arrival> arrived;

  static std::unique_ptr<Recorder> make(ClientOptions options) {
    auto made = MqttClient::create(std::move(options));
    if (!made.ok()) {
      throw std::runtime_error(made.error().detail);
    }
    auto r = std::unique_ptr<Recorder>(new Recorder{std::move(made).value(), {}});
    r->client.on_receive([raw = r.get()](std::string_view topic, ByteView frame) {
      raw->arrived.push_back({std::string(topic), Bytes(frame.begin(), frame.end())});
    });
    return r;
  }
  Status wait_for(std::size_t count) {
    return client.run_until([this, count] { return arrived.size() >= count; }, kWaitMs);
  }
};

Bytes data_frame(std::uint32_t session, std::uint32_t number, const std::string& text) {
  channel::Frame f;
  f.kind = channel::FrameKind::kData;
  f.session = session;
  f.number = number;
  f.payload.assign(text.begin(), text.end());
  return channel::encode(f);
}

ClientOptions phone_options(Address address) {
  return {.client_id = phone_client_id(address), .clean_session = false, .keepalive_s = 30};
}

ClientOptions server_options() {
  return {.client_id = std::string(kServerClientId), .clean_session = false, .keepalive_s = 30};
}

class LiveBroker : public ::testing::Test {
 protected:
  void start(BrokerOptions options = {}) {
    options.dir = m_dir.path();
    auto started = BrokerProcess::start(std::move(options));
    ASSERT_TRUE(started.ok()) << started.error().detail;
    m_broker.emplace(std::move(started).value());
  }
  void connect(Recorder& r) {
    const Status s = r.client.connect(m_broker->host(), m_broker->port(), kWaitMs);
    ASSERT_TRUE(s.ok()) << s.error().detail;
  }
  // The server, connected and subscribed to every phone's uplink.
  void listen_as_server(std::unique_ptr<Recorder>& server) {
    server = Recorder::make(server_options());
    ASSERT_NO_FATAL_FAILURE(connect(*server));
    const Status sub = server->client.subscribe(std::string(kServerSubscription), kWaitMs);
    ASSERT_TRUE(sub.ok()) << sub.error().detail;
  }
  // A phone publishes `frames` on its uplink; the broker acknowledges each (PUBACK).
  void phone_sends(Address address, const std::vector<Bytes>& frames) {
    auto phone = Recorder::make(phone_options(address));
    ASSERT_NO_FATAL_FAILURE(connect(*phone));
    for (const Bytes& f : frames) {
      const Status s = phone->client.publish(server_topic(address), f);
      ASSERT_TRUE(s.ok()) << s.error().detail;
    }
    EXPECT_EQ(phone->client.in_flight(), frames.size());
    const Status acked = phone->client.flush(kWaitMs);
    ASSERT_TRUE(acked.ok()) << acked.error().detail;
    EXPECT_EQ(phone->client.in_flight(), 0U);
  }
  // A phone that subscribed to its downlink once, and went away cleanly.
  void register_phone(Address address) {
    auto phone = Recorder::make(phone_options(address));
    ASSERT_NO_FATAL_FAILURE(connect(*phone));
    EXPECT_FALSE(phone->client.session_present());
    const Status sub = phone->client.subscribe(phone_topic(address), kWaitMs);
    ASSERT_TRUE(sub.ok()) << sub.error().detail;
    const Status gone = phone->client.disconnect(kWaitMs);
    ASSERT_TRUE(gone.ok()) << gone.error().detail;
  }
  // The server publishes `frames` to an absent phone; each is acknowledged by the broker.
  void publish_to(Address address, const std::vector<Bytes>& frames) {
    auto server = Recorder::make(server_options());
    ASSERT_NO_FATAL_FAILURE(connect(*server));
    for (const Bytes& f : frames) {
      const Status s = server->client.publish(phone_topic(address), f);
      ASSERT_TRUE(s.ok()) << s.error().detail;
    }
    const Status acked = server->client.flush(kWaitMs);
    ASSERT_TRUE(acked.ok()) << acked.error().detail;
    EXPECT_EQ(server->client.in_flight(), 0U);
    ASSERT_TRUE(server->client.disconnect(kWaitMs).ok());
  }
  // The phone comes back with the same client id: the broker still holds its session.
  void expect_queued_frames(Address address, const std::vector<Bytes>& frames,
                            std::vector<Arrival>* got_out = nullptr) {
    auto phone = Recorder::make(phone_options(address));
    ASSERT_NO_FATAL_FAILURE(connect(*phone));
    EXPECT_TRUE(phone->client.session_present());
    const Status got = phone->wait_for(frames.size());  // no subscribe: the session has it
    ASSERT_TRUE(got.ok()) << got.error().detail;
    ASSERT_EQ(phone->arrived.size(), frames.size());
    for (std::size_t i = 0; i < frames.size(); ++i) {
      EXPECT_EQ(phone->arrived[i].topic, phone_topic(address));
      EXPECT_EQ(phone->arrived[i].frame, frames[i]) << "frame " << i;
    }
    if (got_out != nullptr) {
      *got_out = phone->arrived;
    }
  }

  spmc::testing::TempDir m_dir;
  std::optional<BrokerProcess> m_broker;  // declared last: stopped before the dir goes
};

// Proves: MQT-002, MQT-006
TEST_F(LiveBroker, Qos1PublishReachesTheSubscriberWithTheSendersAddress) {
  ASSERT_NO_FATAL_FAILURE(start());
  std::unique_ptr<Recorder> server;
  ASSERT_NO_FATAL_FAILURE(listen_as_server(server));

  const Bytes frame = data_frame(0x1234, 0, "login");
  ASSERT_NO_FATAL_FAILURE(phone_sends(7, {frame}));
  ASSERT_TRUE(server->wait_for(1).ok());
  ASSERT_EQ(server->arrived.size(), 1U);
  const auto route = parse_topic(server->arrived[0].topic);
  ASSERT_TRUE(route.ok()) << route.error().detail;
  EXPECT_EQ(*route, (Route{Direction::kToServer, 7}));
  EXPECT_EQ(server->arrived[0].frame, frame);
  EXPECT_EQ(server->client.counters().dropped_retained, 0U);
}

// Proves: MQT-007
TEST_F(LiveBroker, AFrameDeliveredTwiceIsOneApplicationMessage) {
  // QoS 1 may deliver a frame again (a lost PUBACK, a resumed session). Published twice here,
  // both copies arrive, and the channel endpoint hands its payload up once (CH-006).
  ASSERT_NO_FATAL_FAILURE(start());
  std::unique_ptr<Recorder> server;
  ASSERT_NO_FATAL_FAILURE(listen_as_server(server));
  const Bytes frame = data_frame(99, 0, "send");
  ASSERT_NO_FATAL_FAILURE(phone_sends(3, {frame, frame}));
  ASSERT_TRUE(server->wait_for(2).ok());

  channel::Endpoint endpoint(99, channel::Config{});
  std::size_t delivered = 0;
  std::size_t acks = 0;
  for (const Arrival& a : server->arrived) {
    std::vector<Bytes> out;
    const auto payloads = endpoint.on_frame(a.frame, 0, out);
    ASSERT_TRUE(payloads.ok()) << payloads.error().detail;
    delivered += payloads->size();
    acks += out.size();
  }
  EXPECT_EQ(delivered, 1U);
  EXPECT_EQ(acks, 2U);  // the duplicate is acknowledged again (CH-002), not delivered
}

// Proves: MQT-011
TEST_F(LiveBroker, APersistentPhoneGetsWhatWasSentWhileItWasAway) {
  ASSERT_NO_FATAL_FAILURE(start());
  ASSERT_NO_FATAL_FAILURE(register_phone(42));
  const std::vector<Bytes> frames{data_frame(5, 0, "a"), data_frame(5, 1, "b"),
                                  data_frame(5, 2, "c")};
  ASSERT_NO_FATAL_FAILURE(publish_to(42, frames));
  ASSERT_NO_FATAL_FAILURE(expect_queued_frames(42, frames));
}

// Proves: MQT-011
TEST_F(LiveBroker, QueuedFramesOfAnEndedChannelSessionAreIgnored) {
  // The phone comes back on a new channel session (CH-007): the broker still hands it the
  // frames queued for the old one, and its channel endpoint drops them unanswered (CH-003);
  // the server's offline store pushes their content again after Login (SRV-010).
  ASSERT_NO_FATAL_FAILURE(start());
  ASSERT_NO_FATAL_FAILURE(register_phone(44));
  const std::vector<Bytes> frames{data_frame(5, 0, "old session"), data_frame(5, 1, "too")};
  ASSERT_NO_FATAL_FAILURE(publish_to(44, frames));
  std::vector<Arrival> arrived;
  ASSERT_NO_FATAL_FAILURE(expect_queued_frames(44, frames, &arrived));
  channel::Endpoint new_session(6, channel::Config{});
  for (const Arrival& a : arrived) {
    std::vector<Bytes> out;
    const auto payloads = new_session.on_frame(a.frame, 0, out);
    ASSERT_TRUE(payloads.ok()) << payloads.error().detail;
    EXPECT_TRUE(payloads->empty());
    EXPECT_TRUE(out.empty());  // not even an ack
  }
  EXPECT_EQ(new_session.frames_heard(), 0U);
}

// Proves: MQT-011
TEST_F(LiveBroker, ACleanSessionStartsWithNothing) {
  ASSERT_NO_FATAL_FAILURE(start());
  ASSERT_NO_FATAL_FAILURE(register_phone(43));
  ClientOptions clean = phone_options(43);
  clean.clean_session = true;
  auto fresh = Recorder::make(clean);
  ASSERT_NO_FATAL_FAILURE(connect(*fresh));
  EXPECT_FALSE(fresh->client.session_present());  // the broker dropped the old session
}

// Proves: MQT-013
TEST_F(LiveBroker, QueuedFramesSurviveABrokerRestart) {
  ASSERT_NO_FATAL_FAILURE(start());
  ASSERT_NO_FATAL_FAILURE(register_phone(8));
  const std::vector<Bytes> frames{data_frame(6, 0, "before"), data_frame(6, 1, "restart")};
  ASSERT_NO_FATAL_FAILURE(publish_to(8, frames));
  const Status stopped = m_broker->stop(kWaitMs);  // SIGTERM: mosquitto writes its database
  ASSERT_TRUE(stopped.ok()) << stopped.error().detail;
  EXPECT_TRUE(std::filesystem::exists(m_broker->persistence_file()));
  const Status again = m_broker->restart();
  ASSERT_TRUE(again.ok()) << again.error().detail;
  ASSERT_NO_FATAL_FAILURE(expect_queued_frames(8, frames));
}

// Proves: MQT-013
TEST_F(LiveBroker, QueuedFramesSurviveABrokerKilledAfterItsAutosave) {
  // With autosave_on_changes and an interval of 1, mosquitto saves after every change; a
  // kill -9 after the save that holds the frame loses nothing. The test waits until the
  // frame's bytes are in the file, not for a time.
  BrokerOptions options;
  options.autosave_interval = 1;
  options.autosave_on_changes = true;
  ASSERT_NO_FATAL_FAILURE(start(options));
  ASSERT_NO_FATAL_FAILURE(register_phone(11));
  const std::vector<Bytes> frames{data_frame(4, 0, std::string(200, 'x'))};
  ASSERT_NO_FATAL_FAILURE(publish_to(11, frames));
  const std::string marker(200, 'x');
  const auto saved = [this, &marker] {
    return spmc::testing::read_text(m_broker->persistence_file()).find(marker) != std::string::npos;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kWaitMs);
  while (!saved() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(saved()) << "the queued frame never reached " << m_broker->persistence_file();
  m_broker->kill();
  const Status again = m_broker->restart();
  ASSERT_TRUE(again.ok()) << again.error().detail;
  ASSERT_NO_FATAL_FAILURE(expect_queued_frames(11, frames));
}

// Proves: MQT-009
TEST_F(LiveBroker, ARetainedMessageIsNeverHandedUp) {
  ASSERT_NO_FATAL_FAILURE(start());
  // Another client (not ours: ours cannot retain) leaves a retained message on a downlink.
  mosquitto* other = mosquitto_new("spmc-test-retainer", true, nullptr);
  ASSERT_NE(other, nullptr);
  ASSERT_EQ(mosquitto_connect(other, m_broker->host().c_str(), m_broker->port(), 30),
            MOSQ_ERR_SUCCESS);
  const std::string stale = "stale frame";
  ASSERT_EQ(mosquitto_publish(other, nullptr, phone_topic(5).c_str(),
                              static_cast<int>(stale.size()), stale.data(), 1, true),
            MOSQ_ERR_SUCCESS);
  for (int i = 0; i < 50; ++i) {
    mosquitto_loop(other, 20, 1);
  }
  mosquitto_disconnect(other);
  mosquitto_destroy(other);

  auto phone = Recorder::make(phone_options(5));
  ASSERT_NO_FATAL_FAILURE(connect(*phone));
  ASSERT_TRUE(phone->client.subscribe(phone_topic(5), kWaitMs).ok());
  const Status seen =
      phone->client.run_until([&phone] { return phone->client.counters().received >= 1; }, kWaitMs);
  ASSERT_TRUE(seen.ok()) << seen.error().detail;
  EXPECT_EQ(phone->client.counters().dropped_retained, 1U);
  EXPECT_TRUE(phone->arrived.empty());
}

// Proves: MQT-016
TEST_F(LiveBroker, FailuresAreTypedAndStopAtTheCallbackBoundary) {
  ASSERT_NO_FATAL_FAILURE(start());
  const std::uint16_t port = m_broker->port();
  auto phone = Recorder::make(phone_options(6));
  ASSERT_NO_FATAL_FAILURE(connect(*phone));
  ASSERT_TRUE(phone->client.subscribe(phone_topic(6), kWaitMs).ok());
  phone->client.on_receive(
      [](std::string_view, ByteView) { throw std::runtime_error("receive failed"); });
  ASSERT_NO_FATAL_FAILURE(publish_to(6, {data_frame(1, 0, "x")}));
  const Status thrown = phone->client.run_until([] { return false; }, kWaitMs);
  ASSERT_FALSE(thrown.ok());
  EXPECT_EQ(fault_of(thrown.error()), Fault::kCallback) << thrown.error().detail;
  EXPECT_NE(thrown.error().detail.find("receive failed"), std::string::npos);

  const Status too_large = phone->client.publish(server_topic(6), Bytes(kMaxFrameBytes + 1));
  ASSERT_FALSE(too_large.ok());
  EXPECT_EQ(fault_of(too_large.error()), Fault::kFrameTooLarge);

  ASSERT_TRUE(m_broker->stop(kWaitMs).ok());
  const Status lost = phone->client.run_until([] { return false; }, kWaitMs);
  ASSERT_FALSE(lost.ok());
  EXPECT_TRUE(fault_of(lost.error()) == Fault::kConnectionLost ||
              fault_of(lost.error()) == Fault::kNotConnected)
      << lost.error().detail;

  auto late = Recorder::make(phone_options(6));
  const Status refused = late->client.connect("127.0.0.1", port, kWaitMs);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(fault_of(refused.error()), Fault::kConnectFailed) << refused.error().detail;
  const Status unsubscribed = late->client.subscribe(phone_topic(6), kWaitMs);
  EXPECT_EQ(fault_of(unsubscribed.error()), Fault::kNotConnected);
}

// Proves: MQT-001, MQT-010, MQT-011, MQT-014
TEST_F(LiveBroker, TheBrokerSeesMqtt311APersistentSessionAndA30sKeepalive) {
  // mosquitto logs every connection as "... as <client id> (p<protocol>, c<clean>, k<keepalive>)",
  // protocol 2 being its number for MQTT 3.1.1.
  ASSERT_NO_FATAL_FAILURE(start());
  auto phone = Recorder::make(phone_options(12));
  ASSERT_NO_FATAL_FAILURE(connect(*phone));
  const std::string expected = "as spmc-p-12 (p2, c0, k30)";
  const auto logged = [this, &expected] {
    return spmc::testing::read_text(m_broker->log_file()).find(expected) != std::string::npos;
  };
  const Status seen = phone->client.run_until(logged, kWaitMs);  // the log is written as it goes
  EXPECT_TRUE(seen.ok()) << spmc::testing::read_text(m_broker->log_file());
}

// Proves: MQT-017
TEST(LiveBrokerProcess, WithoutMosquittoItSaysWhatToInstall) {
  const spmc::testing::TempDir dir;
  BrokerOptions options;
  options.binary = "/nonexistent/sbin/mosquitto";
  options.dir = dir.path();
  auto started = BrokerProcess::start(options);
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(fault_of(started.error()), Fault::kBrokerMissing) << started.error().detail;
  EXPECT_NE(started.error().detail.find("apt-get install mosquitto"), std::string::npos)
      << started.error().detail;
  EXPECT_EQ(started.error().detail.find('\n'), std::string::npos) << "one line";
}

// Proves: MQT-017
TEST_F(LiveBroker, TheBrokerListensOnLoopbackOnlyWithItsFilesInTheTestsDirectory) {
  ASSERT_NO_FATAL_FAILURE(start());
  const std::string config = spmc::testing::read_text(m_broker->config_file());
  EXPECT_NE(config.find("listener " + std::to_string(m_broker->port()) + " 127.0.0.1\n"),
            std::string::npos)
      << config;
  EXPECT_NE(config.find("persistence_location " + m_dir.path().string()), std::string::npos);
  EXPECT_EQ(m_broker->config_file().parent_path(), m_dir.path());
  ASSERT_TRUE(m_broker->stop(kWaitMs).ok());
  EXPECT_FALSE(m_broker->running());
}

// Proves: MQT-017
TEST_F(LiveBroker, ExtraSettingsAreAppendedAndALineBreakInOneIsRefused) {
  BrokerOptions options;
  options.extra_config = {"max_queued_messages 0", "set_tcp_nodelay true"};
  ASSERT_NO_FATAL_FAILURE(start(options));
  const std::string config = spmc::testing::read_text(m_broker->config_file());
  EXPECT_NE(config.find("\nmax_queued_messages 0\nset_tcp_nodelay true\n"), std::string::npos)
      << config;

  BrokerOptions injected;
  injected.dir = m_dir.path();
  injected.extra_config = {"max_queued_messages 0\nlistener 1883 0.0.0.0"};
  const auto refused = BrokerProcess::start(injected);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(fault_of(refused.error()), Fault::kBrokerFailed) << refused.error().detail;
}

// Proves: MQT-006
TEST_F(LiveBroker, ManyClientsAboveFdSetsizeWorkThroughOnePollOfTheCaller) {
  // Each client holds three descriptors (its socket and libmosquitto's socket pair), so 400
  // clients put sockets above FD_SETSIZE (1024), where select() cannot wait on them. The
  // clients are driven as a many-phone driver does: one poll(2) over socket(), then service().
  ASSERT_NO_FATAL_FAILURE(start());
  std::unique_ptr<Recorder> server;
  ASSERT_NO_FATAL_FAILURE(listen_as_server(server));
  constexpr Address kPhones = 400;
  std::vector<std::unique_ptr<Recorder>> phones;
  for (Address a = 1; a <= kPhones; ++a) {
    phones.push_back(Recorder::make(phone_options(a)));
    ASSERT_NO_FATAL_FAILURE(connect(*phones.back()));
  }
  ASSERT_GE(phones.back()->client.socket(), FD_SETSIZE);
  for (Address a = 1; a <= kPhones; ++a) {
    ASSERT_TRUE(phones[a - 1]->client.publish(server_topic(a), data_frame(a, 0, "hi")).ok());
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kWaitMs);
  std::vector<pollfd> fds;
  while (server->arrived.size() < kPhones && std::chrono::steady_clock::now() < deadline) {
    fds.clear();
    fds.push_back({.fd = server->client.socket(), .events = POLLIN, .revents = 0});
    for (auto& p : phones) {
      const bool out = p->client.wants_write();
      fds.push_back({.fd = p->client.socket(),
                     .events = static_cast<short>(out ? POLLIN | POLLOUT : POLLIN),
                     .revents = 0});
    }
    ASSERT_GE(::poll(fds.data(), fds.size(), 10), 0);
    for (std::size_t i = 0; i < fds.size(); ++i) {
      MqttClient& c = i == 0 ? server->client : phones[i - 1]->client;
      const Status s = c.service((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0);
      ASSERT_TRUE(s.ok()) << s.error().detail;
    }
  }
  ASSERT_EQ(server->arrived.size(), kPhones);
  for (auto& p : phones) {
    EXPECT_EQ(p->client.in_flight(), 0U);  // every PUBACK read through service()
  }
  // The client's own poll() works above FD_SETSIZE too (mosquitto_loop() would refuse it).
  const Status again = phones.back()->client.publish(server_topic(kPhones), data_frame(1, 1, "x"));
  ASSERT_TRUE(again.ok());
  const Status acked = phones.back()->client.flush(kWaitMs);
  ASSERT_TRUE(acked.ok()) << acked.error().detail;
}

}  // namespace
}  // namespace spmc::live
