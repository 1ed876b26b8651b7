#pragma once
// The live run's driver (live_run.hpp), private to spmc_live_run: its state and steps. The
// steps live in live_run.cpp (setup, bootstrap, the run, the verdict) and live_drivers.cpp (the
// safety phase's workload and faults on the real clock, U2U sessions, the rounds of I/O).
#include <poll.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "live_phone.hpp"
#include "spmc/live/broker_process.hpp"
#include "spmc/live/live_run.hpp"
#include "spmc/live/mqtt_client.hpp"
#include "spmc/live/process.hpp"
#include "spmc/live/spool.hpp"
#include "spmc/live/system_clock.hpp"
#include "spmc/sim/checkers.hpp"
#include "spmc/sim/contact_graph.hpp"
#include "spmc/sim/random.hpp"
#include "spmc/sim/trace.hpp"

namespace spmc::live {

using Steady = std::chrono::steady_clock;
using sim::kUsPerMs;
using sim::kUsPerSecond;
using sim::TimeUs;

inline constexpr int kConnectMs = 5000;
inline constexpr TimeUs kBootstrapLimitUs = 180 * kUsPerSecond;  // sign-up, contacts, groups: each
inline constexpr TimeUs kServerStartLimitUs = 30 * kUsPerSecond;
inline constexpr TimeUs kQuietUs = 1500 * kUsPerMs;  // quiescence: nothing happened for this long
inline constexpr std::uint32_t kGroupMessagePercent = 20;  // as the simulated world's workload

// The bytes of a file, or none when it cannot be read.
std::vector<std::uint8_t> read_file(const std::filesystem::path& path);

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

}  // namespace spmc::live
