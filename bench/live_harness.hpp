#pragma once
// The reference ChatServer and many Phones over a real mosquitto, driven by one thread, for the
// live figures (bench/README.md, "Live figures"): the same wiring as
// tests/live/conversation_test.cpp (frames from `spmc/v1/srv/<address>` to the server,
// `spmc/v1/to/<address>` to a phone, spec/transport_mqtt.md), real time (live::SystemClock)
// and the OS generator (OsRng). Every phone has its own MqttClient; each round waits on all of
// them with one poll(2) (round()). Failures end the program with a message: a figure from a
// half-broken run is no figure.
#include <poll.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
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
#include "support/temp_dir.hpp"

namespace spmc::live::bench {

// A failure of the run: thrown so that the broker and its directory are cleaned up on the way
// out; main() prints it and exits with 1 (run_main).
[[noreturn]] inline void die(const std::string& what) { throw std::runtime_error(what); }

template <typename Fn>
int run_main(Fn&& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}

inline void must(const Status& s, const std::string& what) {
  if (!s.ok()) {
    die(what + ": " + s.error().detail);
  }
}

// TCP_NODELAY for every client of a run (and `set_tcp_nodelay true` for the broker): see
// bench/README.md, "Live figures", for what Nagle's algorithm does to these latencies.
inline bool g_tcp_nodelay = false;

inline MqttClient make_client(const std::string& client_id) {
  auto made = MqttClient::create({.client_id = client_id,
                                  .clean_session = false,
                                  .keepalive_s = 30,
                                  .tcp_nodelay = g_tcp_nodelay});
  if (!made.ok()) {
    die("client " + client_id + ": " + made.error().detail);
  }
  return std::move(made).value();
}

// A transport failure the state machines cannot see. Losing the broker is not expected in
// a bench: any failure ends the run.
inline void note(const Status& s) { must(s, "transport"); }

// The broker's directory (config, log, persistence), removed at the end.
using TempDir = spmc::testing::TempDir;

// A mosquitto of our own on a free loopback port (MQT-017), with `extra` settings appended.
inline BrokerProcess start_broker(const TempDir& dir, std::vector<std::string> extra = {}) {
  BrokerOptions options;
  options.dir = dir.path();
  options.extra_config = std::move(extra);
  auto started = BrokerProcess::start(options);
  if (!started.ok()) {
    die("broker: " + started.error().detail);
  }
  return std::move(started).value();
}

class LiveServer final : public server::ServerEffects {
 public:
  explicit LiveServer(const SystemClock& clock)
      : m_server(paper_profile(), m_rng, clock, config()),
        m_client(make_client(std::string(kServerClientId))) {
    m_client.on_receive([this](std::string_view topic, ByteView frame) {
      const auto route = parse_topic(topic);
      if (!route.ok() || route->direction != Direction::kToServer) {
        ++bad_topics;  // MQT-002: dropped and counted
        return;
      }
      m_server.on_packet(route->address, frame, *this);
    });
  }
  void transmit(server::Address to, Bytes frame) override {
    note(m_client.publish(phone_topic(to), frame));
  }
  void send_email(const std::string& email, const std::string& text) override {
    mail.emplace_back(email, text);
  }
  void log(const std::string& /*line*/) override {}

  server::ChatServer& server() { return m_server; }
  MqttClient& client() { return m_client; }
  std::deque<std::pair<std::string, std::string>> mail;
  std::uint64_t bad_topics = 0;

 private:
  static server::ServerConfig config() {
    server::ServerConfig c;
    c.password_kdf_cost_n = 16;  // sign-up speed: the KDF is not what these figures measure
    return c;
  }
  OsRng m_rng;
  server::ChatServer m_server;
  MqttClient m_client;
};

class LivePhone final : public phone::PhoneEffects {
 public:
  LivePhone(Address at, const SystemClock& clock, const crypto::Ed25519Public& ca)
      : address(at),
        m_phone(paper_profile(), m_rng, clock, ca, phone::PhoneConfig{}),
        m_client(make_client(phone_client_id(at))),
        m_uplink(server_topic(at)) {
    m_client.on_receive(
        [this](std::string_view /*topic*/, ByteView frame) { m_phone.on_packet(frame, *this); });
  }
  void transmit(Bytes frame) override { note(m_client.publish(m_uplink, frame)); }
  void deliver(const phone::Delivered& message) override {
    if (on_deliver) {
      on_deliver(*this, message);
    }
  }
  void event(const phone::PhoneEvent& /*event*/) override {}
  void secret(ByteView /*secret*/) override {}
  void persist(ByteView /*store_file*/) override {}

  phone::Phone& phone() { return m_phone; }
  MqttClient& client() { return m_client; }
  const Address address;
  std::string email;
  std::function<void(LivePhone&, const phone::Delivered&)> on_deliver;

 private:
  OsRng m_rng;
  phone::Phone m_phone;
  MqttClient m_client;
  std::string m_uplink;
};

// A broker address, a server and phones 1..N; run() pumps everything until a condition holds.
class LiveWorld {
 public:
  static constexpr int kWaitMs = 120000;  // connecting: only against hangs
  int wait_ms = 600000;                   // each phase of run(): only against hangs
  std::function<std::string()> describe;  // the state, for a run that timed out

  LiveWorld(std::string host, std::uint16_t port) : m_host(std::move(host)), m_port(port) {
    m_server = std::make_unique<LiveServer>(m_clock);
    must(m_server->client().connect(m_host, m_port, kWaitMs), "server connect");
    must(m_server->client().subscribe(std::string(kServerSubscription), kWaitMs),
         "server subscribe");
  }

  // Phone `address` connects to `port` (the broker's unless a capture sits in between).
  LivePhone& add_phone(std::optional<std::uint16_t> port = std::nullopt) {
    const auto address = static_cast<Address>(m_phones.size() + 1);
    m_phones.push_back(
        std::make_unique<LivePhone>(address, m_clock, m_server->server().ca_public()));
    LivePhone& p = *m_phones.back();
    must(p.client().connect(m_host, port.value_or(m_port), kWaitMs), "phone connect");
    if (!p.client().session_present()) {  // MQT-011
      must(p.client().subscribe(phone_topic(address), kWaitMs), "phone subscribe");
    }
    return p;
  }

  // Every phone opens its channel session (after all are connected to the broker, so the
  // server is polled while they open).
  void open_channels() {
    for (auto& p : m_phones) {
      p->phone().connect(*p);
    }
  }

  // Signs every phone up (e-mail code, login, certificates) and waits until all are ready.
  void sign_up_all() {
    for (auto& p : m_phones) {
      p->email = "user" + std::to_string(p->address) + "@example.org";
      p->phone().sign_up(p->email, bytes_of("correct horse"), "1234", *p);
    }
    run(
        [this] {
          for (auto& p : m_phones) {
            if (!p->phone().ready()) {
              return false;
            }
          }
          return true;
        },
        "sign-up");
  }

  // Phones 2i+1 and 2i+2 become contacts, for every i.
  void pair_up() {
    for (std::size_t i = 0; i + 1 < m_phones.size(); i += 2) {
      LivePhone& a = *m_phones[i];
      const std::string b_id = m_phones[i + 1]->phone().state().user_id;
      must(a.phone().add_contact(b_id, a), "add_contact");
    }
    run(
        [this] {
          for (std::size_t i = 0; i + 1 < m_phones.size(); i += 2) {
            const std::string a_id = m_phones[i]->phone().state().user_id;
            const std::string b_id = m_phones[i + 1]->phone().state().user_id;
            if (!m_phones[i]->phone().has_send_key(b_id) ||
                !m_phones[i + 1]->phone().has_send_key(a_id)) {
              return false;
            }
          }
          return true;
        },
        "contact exchange");
    quiesce();
  }

  // Until nothing is in flight anywhere.
  void quiesce() {
    run(
        [this] {
          if (m_server->server().store_depth() != 0) {
            return false;
          }
          for (auto& p : m_phones) {
            if (!p->phone().idle()) {
              return false;
            }
          }
          return true;
        },
        "quiescence");
  }

  // One round of I/O on every client, the e-mail hand-over and due timers, until done().
  void run(const std::function<bool()>& done, const std::string& what) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
    while (!done()) {
      if (std::chrono::steady_clock::now() > end) {
        die(what + " did not finish within " + std::to_string(wait_ms / 1000) + " s" +
            (describe ? " (" + describe() + ")" : std::string()));
      }
      round();
    }
  }

  // One poll(2) over every client's socket (at most 1 ms), then I/O on the clients it found
  // ready, the server first; every second each client also gets its keepalive turn.
  void round() {
    m_fds.clear();
    m_fds.push_back(wanted(m_server->client()));
    for (auto& p : m_phones) {
      m_fds.push_back(wanted(p->client()));
    }
    if (::poll(m_fds.data(), m_fds.size(), 1) < 0 && errno != EINTR) {
      die("poll failed");
    }
    const auto now = std::chrono::steady_clock::now();
    const bool keepalive = now >= m_next_keepalive;
    if (keepalive) {
      m_next_keepalive = now + std::chrono::seconds(1);
    }
    for (std::size_t i = 0; i < m_fds.size(); ++i) {
      MqttClient& c = i == 0 ? m_server->client() : m_phones[i - 1]->client();
      const bool readable = (m_fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
      if (readable || keepalive || c.wants_write()) {
        note(c.service(readable));
      }
    }
    // What the phones sent in this round, the server reads in the same round.
    note(m_server->client().poll(0));
    hand_over_mail();
    run_timers();
  }

  LiveServer& server() { return *m_server; }
  std::vector<std::unique_ptr<LivePhone>>& phones() { return m_phones; }
  const SystemClock& clock() const { return m_clock; }

 private:
  void hand_over_mail() {
    while (!m_server->mail.empty()) {
      const auto [email, text] = m_server->mail.front();
      m_server->mail.pop_front();
      for (auto& p : m_phones) {
        if (p->email == email) {
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
      if (due != 0 && due <= now) {
        p->phone().on_timer(*p);
      }
    }
  }

  static pollfd wanted(const MqttClient& c) {
    const short events = c.wants_write() ? static_cast<short>(POLLIN | POLLOUT) : POLLIN;
    return {.fd = c.socket(), .events = events, .revents = 0};
  }

  std::string m_host;
  std::uint16_t m_port;
  std::vector<pollfd> m_fds;
  std::chrono::steady_clock::time_point m_next_keepalive;
  SystemClock m_clock;
  std::unique_ptr<LiveServer> m_server;
  std::vector<std::unique_ptr<LivePhone>> m_phones;
};

}  // namespace spmc::live::bench
