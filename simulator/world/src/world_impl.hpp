#pragma once
// World internals, shared by world.cpp (wiring, phases, the WorldApi), world_drivers.cpp
// (bootstrap, workload, faults) and report.cpp. Not part of the simulator's public
// interface. Adversaries and world-level checkers see the world only through WorldApi.
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "adversaries/adversary_set.hpp"
#include "lifecycle_checker.hpp"
#include "series_recorder.hpp"
#include "spmc/phone.hpp"
#include "spmc/rng.hpp"
#include "spmc/sim/checkers.hpp"
#include "spmc/sim/contact_graph.hpp"
#include "spmc/sim/event_queue.hpp"
#include "spmc/sim/network.hpp"
#include "spmc/sim/phone_clock.hpp"
#include "spmc/sim/random.hpp"
#include "spmc/sim/topology.hpp"
#include "spmc/sim/trace.hpp"
#include "spmc/sim/world.hpp"
#include "world_api.hpp"
#include "world_checkers.hpp"

namespace spmc::sim {

// Bootstrap timeline (virtual time): sign-ups in the first 2 s, contact requests at 10 s,
// groups at 20 s, the safety phase from 30 s. Faults are off until then.
inline constexpr TimeUs kSignUpSpreadUs = 2 * kUsPerSecond;
inline constexpr TimeUs kContactsAtUs = 10 * kUsPerSecond;
inline constexpr TimeUs kGroupsAtUs = 20 * kUsPerSecond;
inline constexpr TimeUs kBootstrapUs = kSafetyStartsAtUs;
inline constexpr std::uint32_t kQuietSeconds = 5;  // liveness: no progress for this long

// STO-012: what a phone's flash holds, two copies of the store file written alternately.
struct PhoneDisk {
  std::array<Bytes, 2> slots;
  int newest = -1;    // the slot written last, complete or torn; -1 before the first write
  int complete = -1;  // the slot holding the last complete write
};

struct PhoneNode {
  std::uint32_t index = 0;
  std::string email;
  std::string user_id;  // once signed up; kept by the world across crashes and reinstalls
  std::string pin;      // what the user types to unlock the store (STO-003)
  std::unique_ptr<PhoneClock> clock;
  std::unique_ptr<DeterministicRng> rng;
  std::unique_ptr<DeterministicRng> store_rng;  // storage key, salt, nonces: off `rng`
  std::unique_ptr<phone::Phone> phone;          // while down, the dead application's last memory
  std::unique_ptr<phone::PhoneEffects> fx;
  std::vector<std::uint32_t> contacts;  // indices, from the contact graph
  std::vector<std::string> groups;      // group ids this phone is in
  std::optional<EventId> wakeup;
  TimeUs wakeup_at = 0;
  bool up = true;  // false while crashed
  bool online = true;
  PhoneDisk disk;
  // Died during a store write (STO-012): whatever the call did after it is lost.
  bool dying = false;
  bool loading = false;     // being restarted: no storage write faults
  int loading_slot = -1;    // the copy an unlock reads, where its writes go
  bool forgot_pin = false;  // every PIN the user types is wrong (a drawn lockout)
  // The last text delivered to the application since the last restart (PH-023).
  std::optional<phone::HistoryEntry> last_delivered;
};

struct World::Impl final : public WorldApi {
 public:
  Impl(const Scenario& scenario, std::uint64_t seed, WorldOptions options);
  ~Impl();

  Report run();
  const std::string& captured_trace() const { return m_trace.full().captured(); }

  // WorldApi.
  TimeUs now() const override { return m_queue.now(); }
  void schedule_at(TimeUs at, EventQueue::Action action) override;
  void schedule_after(TimeUs delay, EventQueue::Action action) override;
  TimeUs safety_length() const override;
  bool in_safety() const override { return m_safety; }
  void record(const TraceEvent& event) override { m_trace.record(event); }
  void record(std::string_view kind, std::uint32_t index, const std::string& detail) override;
  void set_abstract_projection(Trace::Projection projection) override;
  const Profile& profile() const override { return m_profile; }
  const SeedTree& seeds() const override { return m_seeds; }
  const std::vector<ContactEdge>& contact_edges() const override { return m_edges; }
  std::uint32_t phone_count() const override;
  const phone::Phone& phone(std::uint32_t index) const override;
  const std::string& user_of(std::uint32_t index) const override;
  std::optional<std::uint32_t> index_of(const std::string& user) const override;
  const std::vector<std::string>& groups_of(std::uint32_t index) const override;
  bool online(std::uint32_t index) const override;
  std::optional<ContactEdge> u2u_pair() const override;
  const server::ChatServer& server() const override { return *m_server; }
  TimeMs server_now_ms() const override { return m_server_clock->now_ms(); }
  Bytes forge_certificate(const std::string& user, std::uint8_t usage,
                          ByteView public_key) override;
  void server_push(const std::string& to, const std::string& from, proto::PayloadKind kind,
                   Bytes payload) override;
  void server_wake() override { schedule_server_wakeup(); }
  void server_push_contact(const std::string& to, const std::string& user) override {
    m_server->inject_contact_added(to, user, *m_server_fx);
    observe_store();
  }
  void inject_packet(NodeId from, NodeId to, Bytes bytes, TimeUs delay) override;
  void send_text(std::uint32_t from, std::uint32_t to,
                 std::optional<std::string> group = std::nullopt) override;
  Status remove_from_group(std::uint32_t organiser, const std::string& group,
                           const std::string& member) override;

 private:
  class PhoneFx;
  class ServerFx;

  void bootstrap();
  void start_safety();
  void start_liveness();
  // m_queue.run_until(end), in one-second slices that report progress when asked to.
  // Runs the queue to `end` (in one-second slices when progress is reported); true when the
  // stop condition ended it first.
  bool run_phase_until(TimeUs end, std::string_view phase);
  void report_progress(std::string_view phase, TimeUs phase_end) const;
  // After each slice of virtual time: progress, and a RunSeries sample when asked for.
  void end_slice(std::string_view phase, TimeUs phase_end);
  void observe_store();  // after every server step, when sampling
  Report with_series(Report r) const;
  Report report(bool quiescent) const;
  void record_violations(Report& r);
  Report figures(bool quiescent) const;  // report() without judging
  // The figures of a run that a StopCondition ended: nothing judged (report.cpp).
  Report stopped_report() const;

  // Effects of the phones and the server (world.cpp).
  void on_phone_event(std::uint32_t index, const phone::PhoneEvent& event);
  void on_deliver(std::uint32_t index, const phone::Delivered& message);
  void on_email(const std::string& email, const std::string& text);
  void on_relayed(const std::string& from, const std::string& to, std::uint64_t id,
                  proto::PayloadKind kind, ByteView payload);
  void schedule_wakeup(PhoneNode& p);
  void schedule_server_wakeup();
  void set_phone_online(PhoneNode& p, bool online);
  bool quiescent() const;
  bool delivery_owed(const std::string& to, const envelope::EnvelopeHeader& h) const;
  const phone::GroupMembership* organiser_view(const std::string& group) const;
  bool newcomer_refused(std::uint32_t index, const std::string& sender,
                        const std::string& group) const;
  std::string quiet_blocker() const;  // why the world is not quiet, or empty
  void scan_server_state();

  // Drivers (world_drivers.cpp).
  void schedule_next_message(PhoneNode& p);
  void send_one_message(PhoneNode& p);
  void send_canary(PhoneNode& p, std::size_t size, const std::string* group, const std::string* to);
  void create_groups();
  bool create_group_of(PhoneNode& organiser);
  void schedule_group_change();
  void change_one_group();
  void greet_group(std::uint32_t member, const std::string& group);
  void schedule_churn(PhoneNode& p);
  void schedule_partitions();
  void schedule_crashes();
  void schedule_phone_crash();
  void schedule_server_crash();
  void start_u2u();
  void on_u2u_state(std::uint32_t index, const std::string& peer, const std::string& state);
  void u2u_action(std::uint32_t index, std::uint32_t peer, phone::Phone::U2uAction action,
                  TimeUs delay);

  // The phones' storage (world_store.cpp, STO-009..STO-012).
  void on_persist(std::uint32_t index, ByteView file);
  void crash_phone(PhoneNode& p);                         // between two calls (PH-020)
  void die_in_write(PhoneNode& p, std::string_view why);  // during a store write
  void schedule_restart(PhoneNode& p);
  void restart_phone(PhoneNode& p);  // loads the store and unlocks it; p.up afterwards
  Bytes read_copy(PhoneNode& p, int slot);
  std::unique_ptr<phone::Phone> make_phone(PhoneNode& p);
  // STO-003: the user types PINs until the store opens or locks (or the copy is refused).
  Status type_pin(PhoneNode& p, phone::Phone& phone);
  void schedule_pin_lockout();
  void pin_lockout_one();
  phone::PhoneConfig phone_config() const;
  // Lifecycle (world_lifecycle.cpp): scenario `lifecycle`.
  static keyshare::Lifetime phone_key_lifetime(const LifecycleConfig& lifecycle);
  void start_lifecycle();
  void schedule_reinstall();
  void reinstall_one();
  void every_hour(std::uint32_t per_hour, void (World::Impl::*act)());
  PhoneNode* draw_lifecycle_phone();
  void note_reinstall(PhoneNode& p, const phone::PersistentState& old);
  void schedule_clock_jump();
  void jump_one_clock();
  void lifecycle_phone_event(std::uint32_t index, const phone::PhoneEvent& event);
  bool sent_after_key_end(const envelope::EnvelopeHeader& h) const;
  void lifecycle_relayed(const std::string& from, const std::string& to, proto::PayloadKind kind,
                         ByteView payload);
  void excuse_unreadable();  // before the delivery checker's finish
  bool greeting_hopeless(std::uint32_t member, const std::string& group) const;

  const Scenario m_scenario;
  const std::uint64_t m_seed;
  const WorldOptions m_options;
  SeedTree m_seeds;
  const Profile& m_profile;
  Prng m_workload_rng;
  Prng m_fault_rng;
  Prng m_storage_rng;  // storage faults (STO-012), its own stream
  EventQueue m_queue;
  Trace m_trace;
  std::unique_ptr<Topology> m_topology;
  std::vector<ContactEdge> m_edges;
  std::unique_ptr<Network> m_network;
  std::unique_ptr<NetworkTap> m_scanner;
  std::unique_ptr<PhoneClock> m_server_clock;
  std::unique_ptr<DeterministicRng> m_server_rng;
  std::unique_ptr<server::ChatServer> m_server;
  // SRV-021: the server's durable state as a store keeps it, fed by persist(); a server crash
  // reloads the server from it.
  server::MemoryDurableStore m_server_store;
  std::unique_ptr<server::ServerEffects> m_server_fx;
  std::optional<NodeId> m_server_requester;  // the phone whose packet the server is handling
  std::optional<EventId> m_server_wakeup;
  TimeUs m_server_wakeup_at = 0;
  bool m_server_up = true;
  std::vector<std::unique_ptr<PhoneNode>> m_phones;
  // Mail is addressed by email; a scan of every phone per mail is quadratic at 100k phones.
  std::unordered_map<std::string, std::uint32_t> m_phone_by_email;
  std::map<std::string, std::uint32_t> m_index_of;  // user id -> phone index

  bool m_safety = false;  // workload and faults run only in the safety phase
  std::uint64_t m_next_uid = 1;
  std::optional<std::uint64_t> m_current_uid;  // the message being sent right now
  // Every group created, in creation order: (organiser index, group id).
  std::vector<std::pair<std::uint32_t, std::string>> m_group_list;
  std::vector<U2uPair> m_u2u_pairs;
  // Scheduled user actions (U2U steps, greetings): the world is not quiet yet.
  std::uint32_t m_pending_user_actions = 0;
  std::uint64_t m_app_progress = 0;                // messages, relays, deletions, phone events
  std::map<std::string, std::uint64_t> m_rejects;  // Report::rejects
  // Report::key_shares_relayed .. envelope_bytes: counted, never traced.
  std::uint64_t m_key_shares_relayed = 0;
  std::uint64_t m_key_share_bytes = 0;
  std::uint64_t m_envelopes_relayed = 0;
  std::uint64_t m_envelope_bytes = 0;

  std::unique_ptr<AdversarySet> m_adversaries;
  std::unique_ptr<SeriesRecorder> m_series;  // WorldOptions::series

  // The invariants, judged in this order (report.cpp).
  DeliveryChecker m_delivery;
  SecrecyChecker m_secrecy;
  KeyReuseChecker m_key_reuse;
  U2uChecker m_u2u;
  StoreChecker m_store;
  PhoneStoreChecker m_phone_store;
  QuiescenceChecker m_quiet;
  std::unique_ptr<AckChecker> m_acks;  // opt-in (acked_items_deleted)
  std::vector<const Checker*> m_checkers;

  // Lifecycle (world_lifecycle.cpp): its own stream, so no other draw moves.
  Prng m_lifecycle_rng;
  LifecycleChecker m_lifecycle;  // judged only when the scenario draws reinstalls
  // (phone, contact) -> the timestamp of the last pairwise share it sent (the trace's rekey).
  std::map<std::pair<std::uint32_t, std::string>, TimeMs> m_last_pairwise_share;
  // KS-013 under duration keys: envelopes relayed (recipient, key), the shares each recipient
  // accepted (recipient, scope, timestamp) and who it refused an expired share from.
  std::vector<std::pair<std::string, DeliveryChecker::Key>> m_lifetime_envelopes;
  std::set<std::tuple<std::string, std::string, TimeMs>> m_shares_accepted;
  std::set<std::pair<std::string, std::string>> m_expired_shares_refused;
};

}  // namespace spmc::sim
