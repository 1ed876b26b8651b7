// `spmc live`'s driver: the phones of a scenario over a real broker, the chat server as a child
// process, the scenario's workload and faults on the real clock, and the simulator's checkers
// over what happened. One thread: every client is waited on with one poll(2) (as
// bench/live_harness.hpp does), and the run's own schedule (messages, churn, kills) is a
// time-ordered map served between rounds.
#include "spmc/live/live_run.hpp"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include "live_phone.hpp"
#include "spmc/live/broker_process.hpp"
#include "spmc/live/errors.hpp"
#include "spmc/live/mqtt_client.hpp"
#include "spmc/live/process.hpp"
#include "spmc/live/server_db.hpp"
#include "spmc/live/spool.hpp"
#include "spmc/live/system_clock.hpp"
#include "spmc/live/test_pki.hpp"
#include "spmc/live/topic.hpp"
#include "spmc/sim/checkers.hpp"
#include "spmc/sim/contact_graph.hpp"
#include "spmc/sim/names.hpp"
#include "spmc/sim/profile_file.hpp"
#include "spmc/sim/random.hpp"
#include "spmc/sim/trace.hpp"

namespace spmc::live {

namespace {

using Steady = std::chrono::steady_clock;
using sim::kUsPerMs;
using sim::kUsPerSecond;
using sim::TimeUs;

constexpr int kConnectMs = 5000;
constexpr TimeUs kBootstrapLimitUs = 180 * kUsPerSecond;  // sign-up, contacts, groups: each
constexpr TimeUs kServerStartLimitUs = 30 * kUsPerSecond;
constexpr TimeUs kQuietUs = 1500 * kUsPerMs;        // quiescence: nothing happened for this long
constexpr std::uint32_t kGroupMessagePercent = 20;  // as the simulated world's workload

std::optional<crypto::Ed25519Public> read_ca(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string text;
  in >> text;
  crypto::Ed25519Public key{};
  if (text.size() != 2 * key.size()) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < key.size(); ++i) {
    const auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') {
        return c - '0';
      }
      if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
      }
      return -1;
    };
    const int hi = nibble(text[2 * i]);
    const int lo = nibble(text[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    key[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return key;
}

std::vector<std::uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

class LiveRun final : public PhoneHost {
 public:
  explicit LiveRun(const LiveRunOptions& o)
      : m_o(o),
        m_seeds(o.seed),
        m_workload(m_seeds.stream("workload")),
        m_faults(m_seeds.stream("faults")),
        m_start(Steady::now()) {
    m_trace.full().set_sink(o.trace_sink);
  }

  Result<LiveReport> run();

  // PhoneHost: what the phones report.
  TimeUs now() const override {
    return static_cast<TimeUs>(
        std::chrono::duration_cast<std::chrono::microseconds>(Steady::now() - m_start).count());
  }
  void on_event(LivePhone& p, const phone::PhoneEvent& ev) override;
  void on_deliver(LivePhone& p, const phone::Delivered& m) override;
  void on_secret(ByteView secret) override { m_secrecy.add_secret(secret); }
  void note(const Status& s) override;
  void on_server_status(LivePhone& p, std::string_view status) override;

 private:
  // Setup and the server process.
  Status start_broker();
  Status start_server();
  void kill_server();
  Status make_phones();
  Status wait_for(const std::function<bool()>& done, TimeUs limit, const std::string& what);

  // Bootstrap, as the simulated world's (world_drivers.cpp): sign-up, contacts, groups.
  Status sign_up_all();
  Status make_contacts();
  Status make_groups();

  // The safety phase's drivers, on the real clock.
  void schedule(TimeUs at, std::function<void()> action);
  void schedule_message(LivePhone& p);
  void send_one(LivePhone& p);
  void schedule_churn(LivePhone& p);
  void set_online(LivePhone& p, bool online);
  void schedule_server_crash();
  void server_crash(TimeUs downtime_us);
  void restart_broker();
  // U2U sessions (Req5), as the world drives them (world_drivers.cpp): a pair of contacts opts
  // in and authenticates; each user reacts to what its screen shows after a short delay.
  void start_u2u(TimeUs safety_start);
  void u2u_action(std::uint32_t index, std::uint32_t peer, phone::Phone::U2uAction action,
                  TimeUs delay);
  void on_u2u_state(std::uint32_t index, const std::string& peer_id, const std::string& state);
  void judge_u2u(LiveReport& r) const;

  // One round: I/O on every client, the server's events and mail, timers, due actions.
  void round(int wait_ms);
  void reconnect(MqttClient& client, const std::string& topic);
  void read_server_events();
  void hand_over_mail();
  void run_timers();
  void run_due();
  bool quiescent() const;
  std::string blocker() const;

  // The verdict.
  void scan_files(LiveReport& r);
  void judge(LiveReport& r);
  void record(std::string_view kind, std::optional<std::uint32_t> phone = std::nullopt);

  const LiveRunOptions& m_o;
  sim::SeedTree m_seeds;
  sim::Prng m_workload;
  sim::Prng m_faults;
  Steady::time_point m_start;
  SystemClock m_clock;
  sim::Trace m_trace;

  std::optional<BrokerProcess> m_broker;
  std::optional<ClientTls> m_client_tls;
  std::string m_host;
  std::uint16_t m_port = 0;
  std::filesystem::path m_db;
  std::filesystem::path m_mail;
  std::optional<ChildProcess> m_server;
  std::uint32_t m_incarnation = 0;
  std::optional<EventLogTail> m_events;
  std::optional<crypto::Ed25519Public> m_ca;
  std::optional<MqttClient> m_observer;  // sees every frame on the broker: the wire scan

  std::vector<std::unique_ptr<LivePhone>> m_phones;
  std::map<std::string, std::uint32_t> m_index_of;  // user id -> phone
  std::vector<sim::ContactEdge> m_edges;
  std::vector<pollfd> m_fds;
  std::multimap<std::pair<TimeUs, std::uint64_t>, std::function<void()>> m_due;
  std::uint64_t m_due_seq = 0;
  Steady::time_point m_next_keepalive;
  Steady::time_point m_next_mail;
  bool m_safety = false;
  bool m_server_up = false;

  sim::DeliveryChecker m_delivery;
  sim::SecrecyChecker m_secrecy;
  sim::KeyReuseChecker m_key_reuse;
  std::optional<std::uint64_t> m_current_uid;
  std::uint64_t m_next_uid = 1;
  std::set<std::pair<std::string, std::uint64_t>> m_outstanding;     // relayed, not yet deleted
  std::vector<std::pair<std::uint32_t, std::uint32_t>> m_u2u_pairs;  // (requester, other)
  std::uint64_t m_pending_user_actions = 0;
  TimeUs m_last_progress = 0;

  LiveReport m_report;
};

// --- setup -------------------------------------------------------------------------------

Status LiveRun::start_broker() {
  if (m_o.broker_port != 0) {
    m_host = m_o.broker_host;
    m_port = m_o.broker_port;
    m_report.broker = m_host + ":" + std::to_string(m_port) + " (given)";
    return ok_status();
  }
  const std::filesystem::path dir = m_o.work_dir / "broker";
  std::filesystem::create_directories(dir);
  BrokerOptions options;
  options.dir = dir;
  options.extra_config = {"set_tcp_nodelay true"};
  if (m_o.tls) {
    const std::filesystem::path pki_dir = m_o.work_dir / "pki";
    std::filesystem::create_directories(pki_dir);
    SPMC_TRY(auto pki, make_test_pki(pki_dir));
    options.tls = pki.broker_tls();
    m_client_tls = pki.client_tls();
  }
  SPMC_TRY(auto broker, BrokerProcess::start(options));
  m_broker.emplace(std::move(broker));
  m_host = m_broker->host();
  m_port = m_broker->port();
  m_report.broker =
      m_host + ":" + std::to_string(m_port) + " (own mosquitto" + (m_o.tls ? ", TLS)" : ")");
  return ok_status();
}

// `spmc server` with the run's database, mail spool and a fresh event log; ready once it has
// written the CA key (it does so after subscribing).
Status LiveRun::start_server() {
  const std::filesystem::path ca = m_o.work_dir / "ca.pub";
  std::error_code ec;
  std::filesystem::remove(ca, ec);
  ++m_incarnation;
  const std::filesystem::path events =
      m_o.work_dir / ("server-events-" + std::to_string(m_incarnation) + ".jsonl");
  std::vector<std::string> argv = m_o.server_command;
  const std::filesystem::path profile = m_o.work_dir / "profile.json";
  {
    std::ofstream out(profile, std::ios::trunc);
    out << sim::profile_to_json(m_o.scenario.profile).dump(2) << "\n";
  }
  argv.insert(argv.end(),
              {"--broker", m_host + ":" + std::to_string(m_port), "--db", m_db.string(),
               "--mail-dir", m_mail.string(), "--events", events.string(), "--ca-out", ca.string(),
               "--profile", profile.string(), "--kdf-cost", std::to_string(m_o.password_kdf_cost)});
  if (m_client_tls) {
    argv.insert(argv.end(), {"--tls-ca", m_client_tls->ca_file.string()});
  }
  if (!m_o.server_bug.empty()) {
    argv.insert(argv.end(), {"--inject-bug", m_o.server_bug});
  }
  SPMC_TRY(auto child, ChildProcess::start(argv, m_o.work_dir / "server.out"));
  m_server.emplace(std::move(child));
  m_events.emplace(events);
  const TimeUs limit = now() + kServerStartLimitUs;
  while (!std::filesystem::exists(ca, ec)) {
    if (const auto status = m_server->exited()) {
      return live_error(Fault::kLibrary, "spmc server exited with status " +
                                             std::to_string(*status) + " (see " +
                                             (m_o.work_dir / "server.out").string() + ")");
    }
    if (now() > limit) {
      return live_error(Fault::kTimeout, "spmc server did not start within 30 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto key = read_ca(ca);
  if (!key) {
    return live_error(Fault::kLibrary, "spmc server wrote no CA key to " + ca.string());
  }
  if (m_ca && *m_ca != *key) {
    // The database must bring the same CA back: phones trust only the key they were given.
    return live_error(Fault::kLibrary, "the restarted server has another CA key");
  }
  m_ca = key;
  m_server_up = true;
  return ok_status();
}

void LiveRun::kill_server() {
  read_server_events();  // what it logged before it died is still the run's
  m_server->kill();
  m_server_up = false;
}

Status LiveRun::make_phones() {
  const std::uint32_t n = m_o.scenario.phones;
  for (std::uint32_t i = 0; i < n; ++i) {
    SPMC_TRY(auto client, MqttClient::create({.client_id = phone_client_id(i + 1),
                                              .clean_session = false,
                                              .keepalive_s = 30,
                                              .tcp_nodelay = true,
                                              .tls = m_client_tls}));
    m_phones.push_back(std::make_unique<LivePhone>(*this, i, m_o.scenario.profile, m_clock, *m_ca,
                                                   std::move(client)));
    LivePhone& p = *m_phones.back();
    p.email = "user" + std::to_string(i) + "@live.example";
    SPMC_TRY_STATUS(p.client().connect(m_host, m_port, kConnectMs));
    if (!p.client().session_present()) {  // MQT-011
      SPMC_TRY_STATUS(p.client().subscribe(phone_topic(p.address()), kConnectMs));
      SPMC_TRY_STATUS(p.client().subscribe(std::string(kServerStatusTopic), kConnectMs));
    }
    p.online = true;
  }
  SPMC_TRY(auto observer, MqttClient::create({.client_id = "spmc-live-observer",
                                              .clean_session = true,
                                              .keepalive_s = 30,
                                              .tcp_nodelay = true,
                                              .tls = m_client_tls}));
  m_observer.emplace(std::move(observer));
  m_observer->on_receive([this](std::string_view topic, ByteView frame) {
    const auto route = parse_topic(topic);
    m_secrecy.scan(route.ok() && route->direction == Direction::kToServer
                       ? "a packet to the server"
                       : "a packet from the server",
                   frame);
  });
  SPMC_TRY_STATUS(m_observer->connect(m_host, m_port, kConnectMs));
  SPMC_TRY_STATUS(m_observer->subscribe("spmc/v1/#", kConnectMs));
  return ok_status();
}

Status LiveRun::wait_for(const std::function<bool()>& done, TimeUs limit, const std::string& what) {
  const TimeUs end = now() + limit;
  while (!done()) {
    if (now() > end) {
      return live_error(Fault::kTimeout, what + " did not finish within " +
                                             std::to_string(limit / kUsPerSecond) + " s (" +
                                             blocker() + ")");
    }
    round(2);
  }
  return ok_status();
}

// --- bootstrap ---------------------------------------------------------------------------

Status LiveRun::sign_up_all() {
  for (auto& p : m_phones) {
    p->phone().connect(*p);
    p->phone().sign_up(p->email, bytes_of("pw-" + p->email), *p);
  }
  return wait_for(
      [this] {
        return std::all_of(m_phones.begin(), m_phones.end(),
                           [](const auto& p) { return p->phone().ready(); });
      },
      kBootstrapLimitUs, "sign-up");
}

Status LiveRun::make_contacts() {
  sim::Prng contact_rng = m_seeds.stream("contacts");
  m_edges = sim::generate_contacts(m_o.scenario.phones, m_o.scenario.contacts, contact_rng);
  for (const sim::ContactEdge& e : m_edges) {
    LivePhone& a = *m_phones[e.first];
    LivePhone& b = *m_phones[e.second];
    a.contacts.push_back(e.second);
    b.contacts.push_back(e.first);
    note(a.phone().add_contact(b.phone().state().user_id, a));
  }
  return wait_for(
      [this] {
        return std::all_of(m_edges.begin(), m_edges.end(), [this](const sim::ContactEdge& e) {
          const phone::Phone& a = m_phones[e.first]->phone();
          const phone::Phone& b = m_phones[e.second]->phone();
          return a.has_send_key(b.state().user_id) && b.has_send_key(a.state().user_id);
        });
      },
      kBootstrapLimitUs, "the contact exchange");
}

// As the world's create_group_of: an organiser and some of its contacts.
Status LiveRun::make_groups() {
  const sim::GroupsConfig& g = m_o.scenario.workload.groups;
  std::vector<std::pair<std::uint32_t, std::string>> made;
  for (std::uint32_t n = 0; n < g.count; ++n) {
    LivePhone& org = *m_phones[m_workload.uniform(m_phones.size())];
    std::vector<std::uint32_t> pool = org.contacts;
    const std::uint64_t want = m_workload.uniform_range(g.size_min, g.size_max) - 1;
    for (std::size_t i = 0; i < pool.size() && i < want; ++i) {
      std::swap(pool[i], pool[i + m_workload.uniform(pool.size() - i)]);
    }
    pool.resize(std::min<std::size_t>(pool.size(), want));
    if (pool.empty()) {
      continue;
    }
    std::vector<std::string> members;
    members.reserve(pool.size());
    for (std::uint32_t c : pool) {
      members.push_back(m_phones[c]->phone().state().user_id);
    }
    auto id = org.phone().create_group(members, org);
    if (!id.ok()) {
      note(id.error());
      continue;
    }
    org.groups.push_back(*id);
    for (std::uint32_t c : pool) {
      m_phones[c]->groups.push_back(*id);
    }
  }
  return wait_for(
      [this] {
        return std::all_of(m_phones.begin(), m_phones.end(), [](const auto& p) {
          return std::all_of(p->groups.begin(), p->groups.end(), [&p](const std::string& id) {
            return p->phone().state().groups.contains(id);
          });
        });
      },
      kBootstrapLimitUs, "group creation");
}

// --- the safety phase's drivers -------------------------------------------------------------

void LiveRun::schedule(TimeUs at, std::function<void()> action) {
  m_due.emplace(std::make_pair(at, m_due_seq++), std::move(action));
}

void LiveRun::schedule_message(LivePhone& p) {
  const std::uint32_t rate = m_o.scenario.workload.messages_per_phone_per_minute;
  if (rate == 0) {
    return;
  }
  schedule(now() + m_workload.exponential(60 * kUsPerSecond / rate), [this, &p] {
    if (!m_safety) {
      return;
    }
    send_one(p);
    schedule_message(p);
  });
}

// One canary message to a contact or, one time in five, to one of its groups (the world's
// workload); the checker knows its id before the phone seals it.
void LiveRun::send_one(LivePhone& p) {
  const sim::WorkloadConfig& w = m_o.scenario.workload;
  const std::size_t size = m_workload.uniform_range(w.message_size_min, w.message_size_max);
  const std::string* group = nullptr;
  const std::string* to = nullptr;
  if (!p.groups.empty() && m_workload.uniform(100) < kGroupMessagePercent) {
    group = &p.groups[m_workload.uniform(p.groups.size())];
  } else if (!p.contacts.empty()) {
    to = &m_phones[p.contacts[m_workload.uniform(p.contacts.size())]]->phone().state().user_id;
  } else {
    return;
  }
  const std::uint64_t uid = m_next_uid++;
  m_current_uid = uid;
  m_delivery.sent(uid, p.phone().state().user_id, now());
  Bytes body = sim::make_canary_body(uid, size);
  const Status st = group != nullptr ? p.phone().send_group_text(*group, std::move(body), p)
                                     : p.phone().send_text(*to, std::move(body), p);
  m_current_uid.reset();
  m_last_progress = now();
}

void LiveRun::schedule_churn(LivePhone& p) {
  const std::uint32_t per_day = m_o.scenario.churn.offline_per_phone_per_day;
  if (per_day == 0) {
    return;
  }
  schedule(now() + m_faults.exponential(24ULL * 3600 * kUsPerSecond / per_day), [this, &p] {
    if (!m_safety) {
      return;
    }
    if (p.online) {
      set_online(p, false);
      const TimeUs away = m_faults.exponential(m_o.scenario.churn.mean_offline_ms * kUsPerMs);
      schedule(now() + away, [this, &p] {
        if (m_safety) {
          set_online(p, true);
        }
      });
    }
    schedule_churn(p);
  });
}

// Churn as the paper's phone sees it: the app closes its connection (the broker keeps its
// session and queues its frames, MQT-011) and opens a new one later, with a new channel session.
void LiveRun::set_online(LivePhone& p, bool online) {
  if (p.online == online) {
    return;
  }
  p.online = online;
  m_last_progress = now();
  if (!online) {
    ++m_report.disconnects;
    p.phone().disconnect();
    (void)p.client().disconnect(kConnectMs);  // a lost link is as good as a closed one
    record("phone_offline", p.index());
    return;
  }
  record("phone_online", p.index());
  reconnect(p.client(), phone_topic(p.address()));
  p.phone().connect(p);
}

void LiveRun::schedule_server_crash() {
  const sim::CrashFaults& c = m_o.scenario.faults.crashes;
  if (c.server_per_hour == 0) {
    return;
  }
  schedule(now() + m_faults.exponential(3600 * kUsPerSecond / c.server_per_hour), [this] {
    if (!m_safety) {
      return;
    }
    if (m_server_up) {
      server_crash(m_faults.exponential(m_o.scenario.faults.crashes.mean_downtime_ms * kUsPerMs));
    }
    schedule_server_crash();
  });
}

// kill -9: whatever the server had not committed is gone (SRV-014); what it acknowledged is in
// its database. It comes back after `downtime_us` on the same database.
void LiveRun::server_crash(TimeUs downtime_us) {
  if (!m_server_up) {
    return;
  }
  ServerKill k;
  k.at_ms = now() / kUsPerMs;
  for (const auto& p : m_phones) {
    k.phone_outbox += p->phone().outbox_size();
  }
  k.relayed_undeleted = m_outstanding.size();
  k.owed_undelivered = m_delivery.expected() - m_delivery.owed_delivered();
  m_report.kills.push_back(k);
  kill_server();
  ++m_report.server_kills;
  record("server_crash", 0);
  schedule(now() + downtime_us, [this] {
    if (m_server_up) {
      return;
    }
    const Status up = start_server();
    if (!up.ok()) {
      note(up);
      return;
    }
    record("server_restart", 0);
  });
}

// The run's own broker is stopped (it saves its sessions, MQT-013) and started again on the
// same port: every client loses its connection and makes it again.
void LiveRun::restart_broker() {
  if (!m_broker) {
    return;
  }
  note(m_broker->stop(5000));
  record("broker_stop", 0);
  // What it saved (sessions and frames queued for offline phones, MQT-013) is at rest now.
  m_secrecy.scan("the broker's persistence file", read_file(m_broker->persistence_file()));
  const Status up = m_broker->restart();
  note(up);
  if (up.ok()) {
    ++m_report.broker_restarts;
    record("broker_start", 0);
  }
}

// --- rounds -----------------------------------------------------------------------------

void LiveRun::round(int wait_ms) {
  m_fds.clear();
  for (auto& p : m_phones) {
    m_fds.push_back(
        {.fd = p->client().socket(),
         .events = static_cast<short>(p->client().wants_write() ? POLLIN | POLLOUT : POLLIN),
         .revents = 0});
  }
  m_fds.push_back({.fd = m_observer->socket(), .events = POLLIN, .revents = 0});
  if (::poll(m_fds.data(), m_fds.size(), wait_ms) < 0 && errno != EINTR) {
    note(live_error(Fault::kLibrary, "poll failed"));
  }
  const auto t = Steady::now();
  const bool keepalive = t >= m_next_keepalive;
  if (keepalive) {
    m_next_keepalive = t + std::chrono::seconds(1);
  }
  for (std::size_t i = 0; i < m_fds.size(); ++i) {
    const bool is_observer = i == m_phones.size();
    MqttClient& c = is_observer ? *m_observer : m_phones[i]->client();
    if (!is_observer && !m_phones[i]->online) {
      continue;
    }
    if (!c.connected()) {
      if (keepalive) {  // at most once a second: the broker may be down for a while
        reconnect(c, is_observer ? std::string("spmc/v1/#") : phone_topic(m_phones[i]->address()));
      }
      continue;
    }
    const bool readable = (m_fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
    if (readable || keepalive || c.wants_write()) {
      note(c.service(readable));
    }
  }
  read_server_events();
  if (t >= m_next_mail) {
    m_next_mail = t + std::chrono::milliseconds(50);
    hand_over_mail();
  }
  run_timers();
  run_due();
}

// MQT-011: a connection made again subscribes again when the broker did not keep the session.
void LiveRun::reconnect(MqttClient& client, const std::string& topic) {
  if (client.connected()) {
    return;
  }
  const Status up = client.connect(m_host, m_port, kConnectMs);
  if (!up.ok()) {
    return;  // the broker is down; the next round tries again
  }
  ++m_report.reconnects;
  if (!client.session_present()) {
    note(client.subscribe(topic, kConnectMs));
    if (topic != "spmc/v1/#") {  // a phone: its server's presence too (MQT-026)
      note(client.subscribe(std::string(kServerStatusTopic), kConnectMs));
    }
  }
}

// The server's observation points (srv_relay, srv_delete) join the trace when they are read.
void LiveRun::read_server_events() {
  if (!m_events) {
    return;
  }
  for (const ServerEvent& ev : m_events->read_new()) {
    m_last_progress = now();
    auto e = sim::make_trace_event(
        now(), ev.kind == ServerEvent::Kind::kRelay ? "srv_relay" : "srv_delete");
    e["id"] = ev.id;
    if (ev.kind == ServerEvent::Kind::kDelete) {
      e["to"] = ev.to;
      m_outstanding.erase({ev.to, ev.id});
      m_trace.record(e);
      continue;
    }
    e["from"] = ev.from;
    e["to"] = ev.to;
    e["bytes"] = ev.bytes;
    if (ev.header) {
      envelope::EnvelopeHeader h;
      h.kind = ev.header->group ? envelope::Kind::kGroup : envelope::Kind::kDirect;
      h.recipient_id = ev.header->recipient;
      h.key_timestamp_ms = ev.header->key_ts;
      h.counter = ev.header->counter;
      m_delivery.accepted(ev.from, ev.to, h);
      e["counter"] = h.counter;
      e["key_ts"] = h.key_timestamp_ms;
    }
    m_outstanding.emplace(ev.to, ev.id);
    m_trace.record(e);
  }
}

void LiveRun::hand_over_mail() {
  for (const Mail& mail : take_mail(m_mail)) {
    for (auto& p : m_phones) {
      if (p->email == mail.email) {
        p->phone().receive_email(mail.text, *p);
      }
    }
  }
}

void LiveRun::run_timers() {
  const TimeMs t = m_clock.now_ms();
  for (auto& p : m_phones) {
    const TimeMs due = p->phone().next_deadline();
    if (p->online && due != 0 && due <= t) {
      p->phone().on_timer(*p);
    }
  }
}

void LiveRun::run_due() {
  const TimeUs t = now();
  while (!m_due.empty() && m_due.begin()->first.first <= t) {
    auto action = std::move(m_due.begin()->second);
    m_due.erase(m_due.begin());
    action();
  }
}

bool LiveRun::quiescent() const {
  return m_server_up && m_outstanding.empty() && m_pending_user_actions == 0 &&
         std::all_of(m_phones.begin(), m_phones.end(),
                     [](const auto& p) { return p->online && p->phone().idle(); }) &&
         now() > m_last_progress + kQuietUs;
}

std::string LiveRun::blocker() const {
  if (!m_server_up) {
    return "the server is down";
  }
  for (const auto& p : m_phones) {
    if (!p->phone().idle()) {
      return "phone " + std::to_string(p->index()) + " has " +
             std::to_string(p->phone().outbox_size()) + " item(s) in its outbox or unacknowledged";
    }
  }
  if (m_pending_user_actions != 0) {
    return std::to_string(m_pending_user_actions) + " U2U user action(s) still to come";
  }
  if (!m_outstanding.empty()) {
    return std::to_string(m_outstanding.size()) +
           " relayed item(s) not yet deleted, the first to " + m_outstanding.begin()->first;
  }
  return "nothing";
}

// --- phone reports ----------------------------------------------------------------------------

void LiveRun::on_event(LivePhone& p, const phone::PhoneEvent& ev) {
  auto e = sim::make_trace_event(now(), sim::phone_trace_kind(ev.type));
  e["phone"] = p.index();
  e["peer"] = ev.peer;
  e["counter"] = ev.counter;
  e["key_ts"] = ev.key_timestamp;
  e["detail"] = ev.detail;
  if (!ev.group.empty()) {
    e["group"] = ev.group;
  }
  m_trace.record(e);
  using phone::PhoneEventKind;
  if (ev.type != PhoneEventKind::kLoggedIn && ev.type != PhoneEventKind::kReconnect) {
    m_last_progress = now();
  }
  if (ev.type == PhoneEventKind::kSignedUp) {
    m_index_of[ev.peer] = p.index();
  }
  if (ev.type == PhoneEventKind::kU2uState) {
    on_u2u_state(p.index(), ev.peer, ev.detail);
  }
  if (ev.type == PhoneEventKind::kMsgSend) {
    const std::string& me = p.phone().state().user_id;
    m_key_reuse.used(ev.detail, me);
    if (m_current_uid) {
      m_delivery.sealed({me, ev.peer, ev.key_timestamp, ev.counter}, *m_current_uid);
    }
  }
}

void LiveRun::on_deliver(LivePhone& p, const phone::Delivered& m) {
  m_last_progress = now();
  m_delivery.delivered(p.phone().state().user_id, m.from, m.body, now());
  auto e = sim::make_trace_event(now(), "app_deliver");
  e["phone"] = p.index();
  e["from"] = m.from;
  e["group"] = m.group_id.value_or("");
  e["uid"] = sim::canary_uid(m.body).value_or(0);
  m_trace.record(e);
}

// A transport failure the state machines cannot see. Being without a broker or a connection
// is expected while one is down, and repaired by the channel; anything else is reported.
void LiveRun::note(const Status& s) {
  if (s.ok()) {
    return;
  }
  const auto fault = fault_of(s.error());
  if (fault == Fault::kNotConnected || fault == Fault::kConnectionLost) {
    return;
  }
  if (m_report.transport_errors++ == 0) {
    m_report.first_transport_error = s.error().detail;
  }
}

// MQT-026: a new server incarnation knows none of the channel sessions of the last one, and a
// phone with nothing to send would never find out: it opens a new session and logs in again.
void LiveRun::on_server_status(LivePhone& p, std::string_view status) {
  if (status != kServerUp || !p.online) {
    return;
  }
  p.phone().disconnect();
  p.phone().connect(p);
}

void LiveRun::record(std::string_view kind, std::optional<std::uint32_t> phone) {
  auto e = sim::make_trace_event(now(), kind);
  if (phone) {
    e["phone"] = *phone;
  }
  m_trace.record(e);
}

// --- the run ------------------------------------------------------------------------------

Result<LiveReport> LiveRun::run() {
  const sim::Scenario& s = m_o.scenario;
  m_report.scenario = s.name;
  m_report.seed = m_o.seed;
  m_report.phones = s.phones;
  m_db = m_o.work_dir / "server.db";
  m_mail = m_o.work_dir / "mail";
  std::filesystem::create_directories(m_mail);
  const auto progress = [this](const std::string& line) {
    if (m_o.progress) {
      m_o.progress(line);
    }
  };
  auto header = sim::make_trace_event(0, "live");
  header["seed"] = m_o.seed;
  header["scenario"] = sim::scenario_to_json(s);
  m_trace.record(header);

  SPMC_TRY_STATUS(start_broker());
  progress("broker " + m_report.broker);
  SPMC_TRY_STATUS(start_server());
  record("server_start", 0);
  SPMC_TRY_STATUS(make_phones());
  SPMC_TRY_STATUS(sign_up_all());
  progress(std::to_string(s.phones) + " phones signed up");
  SPMC_TRY_STATUS(make_contacts());
  progress(std::to_string(m_edges.size()) + " contact pairs exchanged keys");
  SPMC_TRY_STATUS(make_groups());

  // Safety: the workload and every fault, for safety_ms of real time.
  m_safety = true;
  record("phase_safety", 0);
  const TimeUs safety_start = now();
  for (auto& p : m_phones) {
    schedule_message(*p);
    schedule_churn(*p);
  }
  schedule_server_crash();
  start_u2u(safety_start);
  for (std::uint64_t at : m_o.kill_server_at_ms) {
    schedule(safety_start + at * kUsPerMs,
             [this] { server_crash(m_o.server_downtime_ms * kUsPerMs); });
  }
  for (std::uint64_t at : m_o.restart_broker_at_ms) {
    schedule(safety_start + at * kUsPerMs, [this] { restart_broker(); });
  }
  progress("safety phase: " + std::to_string(s.phases.safety_ms / 1000) + " s of workload");
  const TimeUs safety_end = safety_start + s.phases.safety_ms * kUsPerMs;
  while (now() < safety_end) {
    round(5);
  }

  // Liveness: everything up again, no new work, until nothing is left in flight.
  m_safety = false;  // the workload's and the faults' actions now do nothing; users' do
  record("phase_liveness", 0);
  if (!m_server_up) {
    SPMC_TRY_STATUS(start_server());
    record("server_restart", 0);
  }
  for (auto& p : m_phones) {
    set_online(*p, true);
  }
  progress("liveness phase: waiting for quiescence");
  const Status calm =
      wait_for([this] { return quiescent(); }, s.phases.liveness_ms * kUsPerMs, "quiescence");
  sim::Invariant quiet(sim::InvariantName::kQuiescenceReached);
  quiet.check(calm.ok(), calm.ok() ? "" : calm.error().detail);

  // The server stops cleanly (its database closed), the broker too (its persistence file
  // written, MQT-013); then everything at rest is judged.
  read_server_events();
  const int status = m_server->stop(10000);
  m_server_up = false;
  if (status != 0) {
    note(live_error(Fault::kLibrary, "spmc server exited with " + std::to_string(status)));
  }
  for (auto& p : m_phones) {
    (void)p->client().disconnect(kConnectMs);
  }
  (void)m_observer->disconnect(kConnectMs);
  if (m_broker) {
    note(m_broker->stop(10000));
  }
  m_delivery.finish();
  m_report.invariants = m_delivery.results();
  scan_files(m_report);
  for (auto& r : m_secrecy.results()) {
    m_report.invariants.push_back(std::move(r));
  }
  m_report.invariants.push_back(m_key_reuse.result());
  judge(m_report);
  judge_u2u(m_report);
  m_report.invariants.push_back(quiet.result());
  m_report.messages_sent = m_delivery.messages_sent();
  m_report.deliveries_expected = m_delivery.expected();
  m_report.deliveries = m_delivery.deliveries();
  m_report.latency = m_delivery.latency();
  if (!m_delivery.latencies_us().empty()) {
    std::vector<std::uint64_t> v = m_delivery.latencies_us();
    std::sort(v.begin(), v.end());
    m_report.latency_p50_us = v[(v.size() - 1) * 500 / 1000];
    m_report.latency_p99_us = v[(v.size() - 1) * 990 / 1000];
  }
  m_report.pass = std::all_of(m_report.invariants.begin(), m_report.invariants.end(),
                              [](const sim::InvariantResult& r) { return r.held; });
  for (const auto& r : m_report.invariants) {
    if (!r.held) {
      auto e = sim::make_trace_event(now(), "inv_violation");
      e["invariant"] = r.name;
      e["requirement"] = r.requirement;
      e["expected"] = false;
      e["detail"] = r.detail;
      m_trace.record(e);
    }
  }
  m_report.wall_ms = now() / kUsPerMs;
  m_report.trace_hash = m_trace.trace_hash();
  return m_report;
}

// Req8 at rest: every file the server and the broker keep is scanned for a canary or a phone's
// secret, as the world scans the server's memory.
void LiveRun::scan_files(LiveReport& r) {
  std::vector<std::filesystem::path> files{m_db, m_db.string() + "-journal",
                                           m_o.work_dir / "server.out"};
  for (std::uint32_t i = 1; i <= m_incarnation; ++i) {
    files.push_back(m_o.work_dir / ("server-events-" + std::to_string(i) + ".jsonl"));
  }
  if (m_broker) {
    files.push_back(m_broker->persistence_file());
    files.push_back(m_broker->log_file());
  }
  for (const auto& path : files) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      continue;
    }
    const std::vector<std::uint8_t> bytes = read_file(path);
    m_secrecy.scan("the file " + path.filename().string(), bytes);
    r.scanned.push_back({path.filename().string(), bytes.size()});
  }
}

void LiveRun::start_u2u(TimeUs safety_start) {
  if (m_edges.empty()) {
    return;
  }
  for (std::uint32_t i = 0; i < m_o.scenario.workload.u2u_sessions; ++i) {
    const sim::ContactEdge e = m_edges[m_workload.uniform(m_edges.size())];
    const bool duplicate = std::any_of(m_u2u_pairs.begin(), m_u2u_pairs.end(), [&e](const auto& p) {
      return (p.first == e.first && p.second == e.second) ||
             (p.first == e.second && p.second == e.first);
    });
    if (duplicate) {
      continue;
    }
    m_u2u_pairs.emplace_back(e.first, e.second);
    const TimeUs at = safety_start + m_workload.uniform(std::max<TimeUs>(
                                         1, m_o.scenario.phases.safety_ms * kUsPerMs / 2));
    u2u_action(e.first, e.second, phone::Phone::U2uAction::kRequestOptin,
               at > now() ? at - now() : 0);
  }
}

void LiveRun::u2u_action(std::uint32_t index, std::uint32_t peer, phone::Phone::U2uAction action,
                         TimeUs delay) {
  ++m_pending_user_actions;
  schedule(now() + delay, [this, index, peer, action] {
    --m_pending_user_actions;
    LivePhone& p = *m_phones[index];
    const std::string& peer_id = m_phones[peer]->phone().state().user_id;
    const Status st = p.phone().u2u(peer_id, action, "keyword-" + std::to_string(index), p);
    if (!st.ok() && st.code() == ErrorCode::kUnknownUser) {
      u2u_action(index, peer, action, 5 * kUsPerSecond);  // the contact is not complete yet
    }
  });
}

void LiveRun::on_u2u_state(std::uint32_t index, const std::string& peer_id,
                           const std::string& state) {
  const auto peer_it = m_index_of.find(peer_id);
  if (peer_it == m_index_of.end()) {
    return;
  }
  const std::uint32_t peer = peer_it->second;
  const auto pair = std::find_if(m_u2u_pairs.begin(), m_u2u_pairs.end(), [&](const auto& p) {
    return (p.first == index && p.second == peer) || (p.second == index && p.first == peer);
  });
  if (pair == m_u2u_pairs.end()) {
    return;
  }
  using A = phone::Phone::U2uAction;
  const bool requester = pair->first == index;
  if (state == "optin_received") {
    u2u_action(index, peer, A::kAcceptOptin, kUsPerSecond);
  } else if (state == "exchanging") {
    u2u_action(index, peer, A::kProvideSecret, kUsPerSecond);
  } else if (state == "established" && requester) {
    u2u_action(index, peer, A::kRequestAuth, 2 * kUsPerSecond);
  } else if (state == "auth_requested") {
    u2u_action(index, peer, A::kAuthSecret, requester ? 0 : kUsPerSecond);
  }
}

// u2u_honest_authenticates (Req5, U2U-003), as the world's U2uChecker judges it: both phones of
// every pair authenticated each other.
void LiveRun::judge_u2u(LiveReport& r) const {
  if (m_u2u_pairs.empty()) {
    return;
  }
  sim::Invariant inv(sim::InvariantName::kU2uHonestAuthenticates);
  for (const auto& pair : m_u2u_pairs) {
    for (const auto& ends : {pair, std::pair{pair.second, pair.first}}) {
      const auto& contacts = m_phones[ends.first]->phone().state().contacts;
      const auto c = contacts.find(m_phones[ends.second]->phone().state().user_id);
      const bool ok = c != contacts.end() && c->second.u2u && c->second.u2u->auth_status().ok();
      inv.check(ok, "phone " + std::to_string(ends.first) + " did not authenticate phone " +
                        std::to_string(ends.second));
    }
  }
  r.invariants.push_back(inv.result());
}

// offline_store_empty_at_quiescence (Req6, SRV-011), judged on the server's database file as a
// restarted server would load it: nothing the phones acknowledged is left in it.
void LiveRun::judge(LiveReport& r) {
  sim::Invariant store(sim::InvariantName::kOfflineStoreEmptyAtQuiescence);
  auto db = ServerDb::open(m_db);
  auto state = db.ok() ? db->load() : Result<std::optional<server::DurableState>>(db.error());
  if (!state.ok()) {
    store.check(false, "the server's database: " + state.error().detail);
  } else if (!state->has_value()) {
    store.check(false, "the server's database is empty");
  } else {
    std::size_t left = 0;
    std::string first;
    for (const auto& [user, items] : (*state)->store) {
      if (!items.empty() && first.empty()) {
        first = user;
      }
      left += items.size();
    }
    store.check(left == 0, std::to_string(left) +
                               " item(s) left in the offline store, the "
                               "first for " +
                               first);
  }
  r.invariants.push_back(store.result());
}

Result<LiveReport> run_live(const LiveRunOptions& options) {
  LiveRun run(options);
  return run.run();
}

}  // namespace spmc::live
