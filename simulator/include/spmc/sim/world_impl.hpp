#pragma once
// World internals, shared by world.cpp (wiring, phases) and world_drivers.cpp (bootstrap,
// workload, faults). Not part of the simulator's public interface.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "spmc/phone.hpp"
#include "spmc/rng.hpp"
#include "spmc/sim/adversary.hpp"
#include "spmc/sim/checkers.hpp"
#include "spmc/sim/contact_graph.hpp"
#include "spmc/sim/event_queue.hpp"
#include "spmc/sim/network.hpp"
#include "spmc/sim/phone_clock.hpp"
#include "spmc/sim/random.hpp"
#include "spmc/sim/topology.hpp"
#include "spmc/sim/trace.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::sim {

// Bootstrap timeline (virtual time): sign-ups in the first 2 s, contact requests at 10 s,
// groups at 20 s, the safety phase from 30 s. Faults are off until then.
inline constexpr TimeUs kSignUpSpreadUs = 2 * kUsPerSecond;
inline constexpr TimeUs kContactsAtUs = 10 * kUsPerSecond;
inline constexpr TimeUs kGroupsAtUs = 20 * kUsPerSecond;
inline constexpr TimeUs kBootstrapUs = 30 * kUsPerSecond;
inline constexpr std::uint32_t kQuietSeconds = 5;  // liveness: no progress for this long

struct PhoneNode {
  std::uint32_t index = 0;
  std::string email;
  std::unique_ptr<PhoneClock> clock;
  std::unique_ptr<DeterministicRng> rng;
  std::unique_ptr<phone::Phone> phone;
  std::unique_ptr<phone::PhoneEffects> fx;
  std::vector<std::uint32_t> contacts;  // indices, from the contact graph
  std::vector<std::string> groups;      // group ids this phone is in
  std::optional<EventId> wakeup;
  TimeUs wakeup_at = 0;
  bool up = true;  // false while crashed
  bool online = true;
};

// A pair of contacts that run U2U opt-in and authentication with matching secrets.
struct U2uPair {
  std::uint32_t a = 0;  // the requester
  std::uint32_t b = 0;
  bool started = false;
};

struct World::Impl {
  Impl(const Scenario& scenario, std::uint64_t seed, WorldOptions options);
  ~Impl();

  Report run();
  void bootstrap();
  void start_safety();
  void start_liveness();
  Report report(bool quiescent) const;

  void on_phone_event(std::uint32_t index, const phone::PhoneEvent& event);
  void on_deliver(std::uint32_t index, const phone::Delivered& message);
  void on_email(const std::string& email, const std::string& text);
  void schedule_wakeup(PhoneNode& p);
  void schedule_server_wakeup();
  void set_phone_online(PhoneNode& p, bool online);
  bool quiescent() const;
  bool delivery_owed(const std::string& to, const envelope::EnvelopeHeader& h) const;
  const phone::GroupMembership* organiser_view(const std::string& group) const;
  bool newcomer_refused(std::uint32_t index, const std::string& sender,
                        const std::string& group) const;
  void greet_group(std::uint32_t member, const std::string& group);
  std::string quiet_blocker() const;  // why the world is not quiet, or empty
  void scan_server_state();
  void record(std::string_view kind, std::uint32_t index, const std::string& detail);

  // Drivers (world_drivers.cpp).
  void schedule_next_message(PhoneNode& p);
  void send_one_message(PhoneNode& p);
  void send_scripted_text(std::uint32_t from, std::uint32_t to,
                          std::optional<std::string> group = std::nullopt);
  void send_canary(PhoneNode& p, std::size_t size, const std::string* group, const std::string* to);
  void create_groups();
  bool create_group_of(PhoneNode& organiser);
  void schedule_group_change();
  void change_one_group();
  void schedule_churn(PhoneNode& p);
  void schedule_partitions();
  void schedule_crashes();
  void start_u2u();
  void on_u2u_state(std::uint32_t index, const std::string& peer, const std::string& state);
  void u2u_action(std::uint32_t index, std::uint32_t peer, phone::Phone::U2uAction action,
                  TimeUs delay);
  InvariantResult u2u_result() const;
  void schedule_phone_crash();
  void schedule_server_crash();

  // Adversaries (world_adversary.cpp).
  void setup_adversaries();
  void start_adversaries();
  const std::string& user_of(std::uint32_t index) const;
  void substitute_outbound(server::Address to, Bytes& frame);
  void substitute_inbound(Packet& packet);
  const Bytes& forged_cert(const std::string& user, std::uint8_t usage);
  std::optional<Bytes> reseal_share(const std::string& me, const std::string& peer,
                                    ByteView payload);
  std::optional<Bytes> rewrite_u2u(std::uint32_t from, ByteView payload);
  std::optional<crypto::Digest> mitm_value(int side) const;
  void substitution_reads(const std::string& from, const std::string& to, ByteView envelope);
  void compromise_device();
  void remove_member();
  void forge_key_share();
  void replay_relayed();
  bool under_mitm(std::uint32_t x, std::uint32_t y) const;
  InvariantResult u2u_mitm_result() const;
  InvariantResult pii_at_rest_result() const;
  void adversary_results(Report& r) const;

  const Scenario scenario;
  const std::uint64_t seed;
  const WorldOptions options;
  SeedTree seeds;
  const Profile& profile;
  Prng workload_rng;
  Prng fault_rng;
  EventQueue queue;
  Trace trace;
  std::unique_ptr<Topology> topology;
  std::vector<ContactEdge> edges;
  std::unique_ptr<Network> network;
  std::unique_ptr<NetworkTap> scanner;
  std::unique_ptr<PhoneClock> server_clock;
  std::unique_ptr<DeterministicRng> server_rng;
  std::unique_ptr<server::ChatServer> server;
  std::unique_ptr<server::ServerEffects> server_fx;
  std::optional<EventId> server_wakeup;
  TimeUs server_wakeup_at = 0;
  bool server_up = true;
  std::vector<std::unique_ptr<PhoneNode>> phones;
  // Mail is addressed by email; a scan of every phone per mail is quadratic at 100k phones.
  std::unordered_map<std::string, std::uint32_t> phone_by_email;

  bool safety = false;  // workload and faults run only in the safety phase
  std::uint64_t next_uid = 1;
  std::optional<std::uint64_t> current_uid;  // the message being sent right now
  std::uint64_t send_errors = 0;
  std::uint32_t phones_not_ready = 0;

  // Every group created, in creation order: (organiser index, group id).
  std::vector<std::pair<std::uint32_t, std::string>> group_list;

  std::vector<U2uPair> u2u_pairs;
  std::uint32_t pending_user_actions = 0;
  std::uint64_t app_progress = 0;  // messages, relays, deletions, phone events  // scheduled U2U
                                   // steps: the world is not quiet yet
  std::map<std::string, std::uint32_t> index_of;  // user id -> phone index

  std::unique_ptr<AdversaryRun> adversary;

  std::map<std::string, std::uint64_t> rejects;  // Report::rejects

  DeliveryChecker delivery;
  SecrecyChecker secrecy;
  KeyReuseChecker key_reuse;
};

}  // namespace spmc::sim
