// `spmc live`'s driver: the phones of a scenario over a real broker, the chat server as a child
// process, the scenario's workload and faults on the real clock, and the simulator's checkers
// over what happened. One thread: every client is waited on with one poll(2) (as
// bench/live_harness.hpp does), and the run's own schedule (messages, churn, kills) is a
// time-ordered map served between rounds.
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
#include "live_run_impl.hpp"
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
#include "spmc/sim/phone_trace.hpp"
#include "spmc/sim/profile_file.hpp"
#include "spmc/sim/random.hpp"
#include "spmc/sim/trace.hpp"
#include "spmc/sim/u2u_user.hpp"

namespace spmc::live {

namespace {

// The CA key `spmc server --ca-out` wrote: 64 hex digits.
std::optional<crypto::Ed25519Public> read_ca(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string text;
  in >> text;
  Bytes bytes;
  crypto::Ed25519Public key{};
  if (!from_hex(text, bytes) || bytes.size() != key.size()) {
    return std::nullopt;
  }
  std::copy(bytes.begin(), bytes.end(), key.begin());
  return key;
}

}  // namespace

std::vector<std::uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

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
    p->phone().sign_up(p->email, bytes_of("pw-" + p->email), "1234", *p);
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

// --- phone reports ----------------------------------------------------------------------------

void LiveRun::on_event(LivePhone& p, const phone::PhoneEvent& ev) {
  m_trace.record(sim::phone_event_trace(now(), p.index(), ev));
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
  m_trace.record(sim::app_deliver_trace(now(), p.index(), m));
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
    m_report.latency_p50_us = sim::percentile(v, 500);
    m_report.latency_p99_us = sim::percentile(v, 990);
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
