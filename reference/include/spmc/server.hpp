#pragma once
// The chat server of Fig. 1 as one sans-IO state machine: the membership server (accounts,
// user ids, certificates, contact lists, time) and the message server (relay, offline
// store, delete after acknowledged delivery). spec/server.md, SRV-001..SRV-022; what survives
// a restart and how it reaches a store is server_durable.hpp.
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "spmc/channel.hpp"
#include "spmc/clock.hpp"
#include "spmc/crypto.hpp"
#include "spmc/profile.hpp"
#include "spmc/rng.hpp"
#include "spmc/server_durable.hpp"
#include "spmc/server_proto.hpp"

namespace spmc::server {

// Deliberately broken server variants, so tests can show the invariant checkers catch
// them (never set outside tests and `spmc sim --inject-bug`).
enum class ServerBug : std::uint8_t {
  kNone,
  kKeepsDelivered,             // acknowledges but never deletes (breaks Req6)
  kForgetsUnackedOnReconnect,  // treats pushed-once as delivered: drops unacked items at login
};

struct ServerConfig {
  channel::Config channel;
  TimeMs cert_validity_ms = 365ULL * 24 * 3600 * 1000;
  // SU-001: scrypt cost of the password verifier. Live use keeps the default; the
  // simulator may lower it (it is stated in the scenario) so 100k sign-ups stay cheap.
  std::uint64_t password_kdf_cost_n = 1U << 14;
  ServerBug bug = ServerBug::kNone;
};

// What the server asks its environment to do.
class ServerEffects {
 public:
  virtual ~ServerEffects() = default;
  virtual void transmit(Address to, Bytes frame) = 0;
  virtual void send_email(const std::string& email, const std::string& text) = 0;
  // The server's operational log: metadata only (ids, sizes), never payloads (SRV-015).
  virtual void log(const std::string& line) = 0;
  // Observation points for the world's checkers (not part of the protocol).
  virtual void relayed(const std::string& from, const std::string& to, std::uint64_t message_id,
                       proto::PayloadKind kind, ByteView payload) {
    (void)from, (void)to, (void)message_id, (void)kind, (void)payload;
  }
  virtual void deleted(const std::string& to, std::uint64_t message_id) {
    (void)to, (void)message_id;
  }
  // SRV-021: one change of the durable state, announced before anything the same call sends
  // reveals it. A driver with a store commits the changes of one call (on_packet, on_timer, an
  // adversary hook) before it sends that call's frames or mail; without one, nothing to do.
  virtual void persist(const DurableChange& change) { (void)change; }
};

struct ServerStats {
  std::uint64_t bad_frames = 0;
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
  std::uint64_t relayed = 0;
  std::uint64_t deleted = 0;
  std::uint64_t queue_full = 0;
  std::size_t peak_store_depth = 0;
};

class ChatServer {
 public:
  // A new server: draws its CA key and email salt from `rng`. A driver with a store seeds
  // it with changes_of(durable_state()) before the first packet.
  ChatServer(const Profile& profile, Rng& rng, const Clock& clock, ServerConfig config);
  // A restarted server (SRV-021): the durable state a store kept, no connection, nothing
  // drawn from `rng`.
  ChatServer(const Profile& profile, Rng& rng, const Clock& clock, ServerConfig config,
             const DurableState& state);

  // A frame from the network. Undecodable or stale input is counted and dropped, with
  // no state change; a request that fails validation gets a Failure reply (SRV-002).
  void on_packet(Address from, ByteView frame, ServerEffects& fx);
  // Channel retransmissions.
  void on_timer(ServerEffects& fx);
  // SRV-021: a restart. Every volatile thing (connections, online users, pushes in flight,
  // timers) is dropped and the durable state is `state`; stats() carry on (observation).
  void recover(const DurableState& state);
  // A restart that loses nothing durable: recover(durable_state()).
  void crash();
  // SRV-021: the durable state as a store fed by persist() holds it.
  DurableState durable_state() const;
  TimeMs next_deadline() const;
  // Nothing in flight on any connection (quiescence, for the simulator).
  bool idle() const;
  // Some stored item waits for a user who is not connected, or was not yet pushed on the
  // user's current connection (quiescence, for the simulator).
  bool has_unpushed() const;

  const crypto::Ed25519Public& ca_public() const { return m_ca.public_key; }
  const std::set<std::uint64_t>& revoked() const { return m_revoked; }
  const ServerStats& stats() const { return m_stats; }
  std::size_t store_depth() const;
  std::size_t store_depth(const std::string& user_id) const;
  const Account* account(const std::string& user_id) const;
  // Every byte string the server holds, for the no-plaintext / no-key checkers (Req8).
  void visit_held_bytes(const std::function<void(std::string_view what, ByteView)>& fn) const;

  // Adversary hooks (spec/requirements.md, malicious server): certify a key the server
  // owns under another user's id.
  Bytes forge_certificate(const std::string& user_id, std::uint8_t usage, ByteView public_key,
                          ServerEffects& fx);
  // Malicious server: stores and pushes a Deliver it made up (a forged or replayed payload
  // claiming to come from `from`), exactly as if `from` had sent it. Returns its message id.
  std::uint64_t inject_deliver(const std::string& to, const std::string& from,
                               proto::PayloadKind kind, Bytes payload, ServerEffects& fx);
  // Malicious server: pushes `to` a ContactAdded for `user` with the certificates it holds for
  // that account, as after a reinstall (STO-005); the adversary rewrites them on the way out.
  std::uint64_t inject_contact_added(const std::string& to, const std::string& user,
                                     ServerEffects& fx);

 private:
  struct Session {
    channel::Endpoint endpoint;
    std::optional<std::string> user_id;
  };
  using Reply = proto::Body;

  void on_request(Address from, Session& s, const proto::Message& m, ServerEffects& fx);
  Result<std::optional<Reply>> dispatch(Address from, Session& s, const proto::Body& body,
                                        ServerEffects& fx);
  void retire(Address from, const Session& s);
  void touch(Address address);
  Result<Reply> sign_up(const proto::SignUp& m, ServerEffects& fx);
  Result<Reply> verify_email(const proto::VerifyEmail& m, ServerEffects& fx);
  Result<Reply> login(Address from, Session& s, const proto::Login& m, ServerEffects& fx);
  Result<Reply> certify(Account& a, const proto::RequestCertificates& m, ServerEffects& fx);
  Result<Reply> add_contact(Account& a, const proto::AddContact& m, ServerEffects& fx);
  Result<Reply> accept_contact(Account& a, const proto::AcceptContact& m, ServerEffects& fx);
  Result<Reply> relay(Account& a, const proto::Send& m, ServerEffects& fx);
  void acknowledge(Account& a, std::uint64_t message_id, ServerEffects& fx);

  std::uint64_t enqueue(const std::string& user_id, proto::Body push, ServerEffects& fx);
  void push_pending(const std::string& user_id, ServerEffects& fx);
  bool send_on(Address to, Session& s, const proto::Message& m, ServerEffects& fx);
  Bytes issue(const std::string& user_id, std::uint8_t usage, ByteView public_key,
              ServerEffects& fx);
  void load(const DurableState& state);
  std::string new_user_id();
  Account* find(const std::string& user_id);
  crypto::Digest email_hash(std::string_view email) const;

  const Profile& m_profile;
  Rng& m_rng;
  const Clock& m_clock;
  ServerConfig m_config;
  crypto::Ed25519KeyPair m_ca;
  DurableIdentity m_identity;  // m_ca's seed and the email salt
  std::map<std::string, Account> m_accounts;
  std::map<crypto::Digest, std::string> m_by_email;
  std::map<Address, Session> m_sessions;
  std::map<Address, std::deque<std::uint32_t>> m_retired;  // CH-008: old sessions per address
  std::map<std::string, Address> m_online;
  std::map<std::string, std::deque<StoredItem>> m_store;
  std::set<std::uint64_t> m_revoked;
  std::size_t m_store_total = 0;
  std::set<std::pair<TimeMs, Address>> m_deadlines;
  std::map<Address, TimeMs> m_deadline_of;
  std::uint64_t m_next_message_id = 1;
  std::uint64_t m_next_serial = 1;
  ServerStats m_stats;
};

}  // namespace spmc::server
