#pragma once
// The mobile application of Fig. 1 as one sans-IO state machine (spec/state_machines.md,
// PH-001..): sign-up with email verification, login and server-time sync, contacts with
// certificate checks, key shares to online and offline contacts, the ratchet, groups and
// U2U. Time comes from the injected local clock (skewed and drifting in the simulator) plus
// the offset learnt from the server; randomness from the injected Rng.
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "spmc/certificate.hpp"
#include "spmc/channel.hpp"
#include "spmc/envelope.hpp"
#include "spmc/group_state.hpp"
#include "spmc/key_share.hpp"
#include "spmc/key_share_book.hpp"
#include "spmc/phone_event.hpp"
#include "spmc/profile.hpp"
#include "spmc/ratchet.hpp"
#include "spmc/server_proto.hpp"
#include "spmc/storage.hpp"
#include "spmc/u2u.hpp"

namespace spmc::phone {

// Something the phone did that the world (trace, invariant checkers) should know about.
struct PhoneEvent {
  PhoneEventKind type;
  std::string peer;  // the other user, or the group id
  std::uint64_t counter = 0;
  std::uint64_t key_timestamp = 0;
  std::string detail;      // error name on rejects, content type, ...
  std::string group = {};  // msg_reject of a group envelope: the group id (else empty)
};

// Something only the user can give or decide, which the phone waits for (Req3: the
// encryption, decryption and key-share paths must never need one). `what` names the
// decision: "accept_contact" (a contact request when contacts are not accepted
// automatically), "u2u_accept_optin" (a contact asks to run U2U).
struct UserPrompt {
  std::string what;
  std::string peer;
};

struct Delivered {
  std::string from;
  std::optional<std::string> group_id;
  envelope::ContentType type = envelope::ContentType::kText;
  Bytes body;
  TimeMs sent_ms = 0;
};

class PhoneEffects {
 public:
  virtual ~PhoneEffects() = default;
  virtual void transmit(Bytes frame) = 0;              // to the chat server
  virtual void deliver(const Delivered& message) = 0;  // to the application
  virtual void event(const PhoneEvent& event) = 0;     // to the trace
  // Every secret the phone creates or derives, so the world can look for it where it must
  // never appear (server state, logs, the wire: Req8).
  virtual void secret(ByteView secret) = 0;
  // The phone needs the user (UserPrompt). Not a trace event: a world that has no user to
  // ask ignores it, so pinned traces stay as they are.
  virtual void ask_user(const UserPrompt& prompt) { (void)prompt; }
  // STO-009: the whole store file (STO-001), to be written durably before this call returns.
  // Every transmit, deliver and event of the same phone call comes after it.
  virtual void persist(ByteView store_file) = 0;
};

// A deliberately broken phone (`--inject-bug`), to show that the invariants catch it.
enum class PhoneBug : std::uint8_t {
  kNone,
  // Releases a call's frames, deliveries and events before its store write (STO-009 broken):
  // an acknowledgement can leave for a message the store never kept.
  kReleasesBeforePersist,
  // Never writes the store after sending a text (a ratchet step not made durable).
  kSkipsPersistOnSend,
};

struct PhoneConfig {
  channel::Config channel;
  keyshare::Lifetime key_lifetime;  // KS-012: what this phone asks its contacts to use
  bool auto_accept_contacts = true;
  TimeMs time_resync_ms = 10 * 60 * 1000;  // PH-006
  TimeMs send_retry_ms = 2000;             // PH-010: after queue_full
  TimeMs reconnect_after_ms = 8000;        // PH-004: no answer for this long -> reconnect
  TimeMs keepalive_ms = 30'000;            // PH-004: silence this long -> probe the server
  std::size_t outbox_max = 10000;          // PH-010
  std::size_t held_max = 1000;             // PH-014: envelopes waiting for their key
  // PH-023: the chat history's bound, in body bytes; the oldest entry of all conversations
  // goes first when a new one would exceed it.
  std::size_t history_max_bytes = 64 * 1024;
  PhoneBug bug = PhoneBug::kNone;
};

enum class AccountState { kNew, kSignedUp, kVerified, kReady };

// Contact state that survives a crash (it lives in the local store).
struct Contact {
  cert::Certificate sign_cert;
  cert::Certificate enc_cert;
  std::optional<ratchet::SendChain> send;
  TimeMs send_key_timestamp = 0;
  keyshare::Lifetime send_lifetime;
  std::map<TimeMs, ratchet::ReceiveChain> receive;  // by the contact's key share timestamp
  std::optional<u2u::U2uSession> u2u;
};

struct GroupMembership {
  std::string organiser;
  keyshare::KeySharePlain share;
  // GRP-012: every share a rekey replaced whose grace period has not ended, by timestamp,
  // kept so that messages written under it by members the new key had not reached yet
  // still open. A share is replaced at the timestamp of the next one (or of `share`).
  std::map<TimeMs, keyshare::KeySharePlain> replaced;
  std::uint16_t my_index = 0;
  std::optional<ratchet::SendChain> send;
  std::map<std::pair<TimeMs, std::uint16_t>, ratchet::ReceiveChain> receive;
  std::optional<group::GroupState> organiser_state;
};

// What an outbox item asks of the server (PH-010, PH-013).
enum class OutOp : std::uint8_t {
  kRelay,          // Send{to, kind, payload}
  kAddContact,     // AddContact{to}
  kAcceptContact,  // AcceptContact{to}
};

// A request the server has not answered yet (PH-010). Kept in the store so that nothing
// the user sent, no key share and no contact request or acceptance is lost by a crash or
// a reconnect: each goes again after every login until the server answers it.
struct OutItem {
  OutOp op = OutOp::kRelay;
  std::string to;  // the recipient, the contact to add, or the requester to accept
  proto::PayloadKind kind = proto::PayloadKind::kEnvelope;
  Bytes payload;
  TimeMs retry_at = 0;  // local time; 0: send as soon as ready
  bool in_flight = false;
};

// PH-014: an envelope under a key this phone does not hold yet (its key share is still on
// the way, behind the envelope): kept, acknowledged, and opened when a share arrives.
struct HeldEnvelope {
  std::string from;
  Bytes payload;
  TimeMs decide_by = 0;  // application time: judged then, whether or not its key arrived
};

// PH-023: one line of the chat history (Req6's device half): a text this phone sent or was
// delivered, in the order it happened on this phone.
struct HistoryEntry {
  std::string conversation;  // the contact's user id, or the group id
  std::string from;          // the writer's user id (this phone's own for outgoing)
  bool outgoing = false;
  bool group = false;
  TimeMs sent_ms = 0;  // the writer's application time (the envelope's sent_ms)
  Bytes body;
  bool operator==(const HistoryEntry&) const = default;
};

// Everything that survives a crash (PH-020): the local store's content.
struct PersistentState {
  AccountState account = AccountState::kNew;
  std::string email;
  Bytes password;
  std::string user_id;
  crypto::Ed25519KeyPair sign_keys{};
  crypto::X25519KeyPair enc_keys{};
  std::optional<cert::Certificate> sign_cert;
  std::optional<cert::Certificate> enc_cert;
  std::set<std::uint64_t> revoked;
  std::map<std::string, Contact> contacts;
  std::set<std::string> pending_requests;      // contact requests awaiting our answer
  std::optional<keyshare::KeyShareBook> book;  // once the server gave us a user id
  std::map<std::string, GroupMembership> groups;
  std::uint64_t last_message_id = 0;  // PH-012: highest server message id processed
  std::uint64_t next_group_number = 1;
  std::map<std::uint64_t, OutItem> outbox;
  std::uint64_t next_out = 1;
  std::deque<HeldEnvelope> held;  // PH-014, oldest first
  // KS-004: the last server-time offset learnt, so a restarted phone does not stamp key
  // shares and messages with its raw (skewed) device clock before it logs in again.
  std::int64_t offset_ms = 0;
  std::deque<HistoryEntry> history;  // PH-023, oldest first
  std::size_t history_bytes = 0;     // sum of the bodies in `history` (not stored: derived)
  // STO-012: how many store writes this installation has made; the restart loader takes the
  // copy with the highest. Encoded last (STO-010), so a write stamps it in place.
  std::uint64_t store_generation = 0;
};

class Phone {
 public:
  // A new installation. `store_rng` (default: `rng`) draws the storage key, salt and the
  // store's nonces, so a world can keep them off the protocol's stream.
  Phone(const Profile& profile, Rng& rng, const Clock& local_clock, crypto::Ed25519Public ca,
        PhoneConfig config, Rng* store_rng = nullptr);
  // PH-024: the application started again on an existing store file: locked until unlock().
  Phone(const Profile& profile, Rng& rng, const Clock& local_clock, crypto::Ed25519Public ca,
        PhoneConfig config, storage::LocalStore store, Rng* store_rng = nullptr);
  ~Phone();
  Phone(const Phone&) = delete;
  Phone& operator=(const Phone&) = delete;

  // --- user actions ---------------------------------------------------------------
  // SU-001 plus section 3.3 step 3(c): the storage key is drawn now and wrapped under `pin`.
  void sign_up(std::string email, Bytes password, std::string_view pin, PhoneEffects& fx);
  // PH-024 / STO-003: the user types the PIN. wrong_pin (the count is persisted first),
  // locked (third wrong PIN: only reinstall helps), decrypt_failed or a decode error (the
  // store file is corrupt: STO-012 says what the loader does). Ok: the state is loaded.
  Status unlock(std::string_view pin, PhoneEffects& fx);
  // The simulated mailbox hands the verification mail over (SU-002).
  void receive_email(const std::string& text, PhoneEffects& fx);
  // Opens a new connection (fresh channel session) and logs in when an account exists.
  void connect(PhoneEffects& fx);
  void disconnect();
  Status add_contact(const std::string& target, PhoneEffects& fx);
  Status accept_contact(const std::string& requester, PhoneEffects& fx);
  Status send_text(const std::string& contact, Bytes body, PhoneEffects& fx);
  Result<std::string> create_group(const std::vector<std::string>& members, PhoneEffects& fx);
  Status group_add(const std::string& group_id, const std::string& user, PhoneEffects& fx);
  Status group_remove(const std::string& group_id, const std::string& user, PhoneEffects& fx);
  Status send_group_text(const std::string& group_id, Bytes body, PhoneEffects& fx);
  // U2U (section 3.5): each user action of Fig. 4; the secret is the one the user typed.
  enum class U2uAction { kRequestOptin, kAcceptOptin, kProvideSecret, kRequestAuth, kAuthSecret };
  Status u2u(const std::string& contact, U2uAction action, std::string_view secret,
             PhoneEffects& fx);
  // PH-021: the store is gone (lost PIN, new phone): new keys, new certificates, new key
  // shares; contacts come back from the server. The user gives the account's credentials
  // (this one keeps those of the current state) and a PIN for the new store.
  void reinstall(std::string_view pin, PhoneEffects& fx);
  void reinstall(std::string email, std::string user_id, Bytes password, std::string_view pin,
                 PhoneEffects& fx);
  // PH-020: volatile state is lost, the local store is kept.
  void crash();

  // --- network and time ------------------------------------------------------------
  void on_packet(ByteView frame, PhoneEffects& fx);
  void on_timer(PhoneEffects& fx);
  TimeMs next_deadline() const;  // local clock, 0 = nothing scheduled

  // --- introspection -----------------------------------------------------------------
  const PersistentState& state() const { return m_state; }
  // PH-024: waiting for the PIN (a restarted phone), or locked out for good.
  bool locked() const { return m_store.has_value() && !m_store->open(); }
  bool locked_out() const { return m_store.has_value() && m_store->locked(); }
  // The store file as last written (empty before sign-up).
  ByteView store_file() const { return m_store ? ByteView(m_store->file()) : ByteView(); }
  bool ready() const { return m_state.account == AccountState::kReady && m_logged_in; }
  bool connected() const { return m_channel.has_value(); }
  TimeMs app_now() const;
  std::size_t outbox_size() const { return m_state.outbox.size(); }
  // Nothing to send and nothing unacknowledged (quiescence, for the simulator).
  bool idle() const { return m_state.outbox.empty() && (!m_channel || m_channel->idle()); }
  bool has_send_key(const std::string& contact) const;

 private:
  enum class Pending { kSignUp, kVerify, kLogin, kCertify, kOutbox, kTime };

  void request(proto::Body body, Pending what, PhoneEffects& fx, std::uint64_t out_seq = 0);
  void send_ack(std::uint64_t message_id, PhoneEffects& fx);
  Status channel_send(Bytes message, std::vector<Bytes>& out);
  bool seen(std::uint64_t message_id);
  void on_message(const proto::Message& m, PhoneEffects& fx);
  void on_reply(Pending what, const proto::Message& m, PhoneEffects& fx);
  void on_push(const proto::Message& m, PhoneEffects& fx);
  void on_logged_in(const proto::LoggedIn& m, PhoneEffects& fx);
  void on_certificates(const proto::Certificates& m, PhoneEffects& fx);
  Status add_verified_contact(const std::string& user, ByteView sign_cert, ByteView enc_cert,
                              PhoneEffects& fx);
  void on_deliver(const proto::Deliver& d, PhoneEffects& fx);
  Status on_key_share(const std::string& from, ByteView payload, PhoneEffects& fx);
  Status on_envelope(const std::string& from, ByteView payload, PhoneEffects& fx,
                     bool may_hold = true);
  // PH-014: nullopt when the envelope can be judged now; else the application time by which
  // it is judged anyway, whether or not its key share arrived.
  std::optional<TimeMs> awaits_key(const envelope::Envelope& e) const;
  // GRP-012 for a message under a replaced share: when its grace period ends, and whether
  // its sender is, or was when it wrote, a member as far as this phone knows.
  struct ReplacedVerdict {
    TimeMs grace_end = 0;
    bool was_member = false;
  };
  ReplacedVerdict judge_replaced(const GroupMembership& g, const keyshare::KeySharePlain& share,
                                 const envelope::EnvelopeHeader& h) const;
  void decide_held(PhoneEffects& fx);
  void hold(const std::string& from, ByteView payload, const envelope::EnvelopeHeader& h,
            TimeMs decide_by, PhoneEffects& fx);
  void open_held(const std::string& from, const std::string& group_id, PhoneEffects& fx);
  std::vector<HeldEnvelope> take_held(
      const std::function<bool(const HeldEnvelope&, const envelope::Envelope&)>& due);
  void report_reject(bool share, const std::string& from, ByteView payload, const Status& st,
                     PhoneEffects& fx);
  Status on_direct(const envelope::Envelope& e, PhoneEffects& fx);
  Status on_group(const envelope::Envelope& e, PhoneEffects& fx);
  void on_app_payload(const std::string& from, const envelope::AppPayload& p,
                      std::optional<std::string> group_id, TimeMs sent_ms, PhoneEffects& fx);
  void send_key_share(const std::string& contact, PhoneEffects& fx);
  void send_group_share(const std::string& member, const keyshare::KeySharePlain& share,
                        PhoneEffects& fx);
  Status send_direct(const std::string& contact, const envelope::AppPayload& p, PhoneEffects& fx);
  void queue_out(std::string to, proto::PayloadKind kind, Bytes payload, PhoneEffects& fx,
                 OutOp op = OutOp::kRelay);
  void on_outbox_reply(std::uint64_t out_seq, const proto::Message& m);
  // A request is outstanding: frames unacknowledged or a reply still to come (PH-004).
  bool awaiting_server() const { return !m_channel->idle() || !m_pending.empty(); }
  void start_waiting();
  void flush_outbox(PhoneEffects& fx);
  void transmit(std::vector<Bytes>& frames, PhoneEffects& fx);
  void generate_keys(PhoneEffects& fx);
  // STO-009 (phone_persist.cpp): every public call runs under one Batch; the outermost one
  // writes the store if the state changed, then releases the call's effects in order.
  class Batch;
  void persist(PhoneEffects& out);
  void remember(bool outgoing, const std::string& conversation, const std::string& from, bool group,
                TimeMs sent_ms, const Bytes& body);
  void install(std::string email, std::string user_id, Bytes password, std::string_view pin,
               PhoneEffects& fx);
  Status change_group(const std::string& group_id, const std::string& user, bool add,
                      PhoneEffects& fx);
  void join_group(const std::string& organiser, const keyshare::KeySharePlain& share,
                  PhoneEffects& fx);
  void keep_current_chains(GroupMembership& g) const;
  static void replace_share(GroupMembership& g);
  static const keyshare::KeySharePlain& group_share_for(const GroupMembership& g,
                                                        const envelope::EnvelopeHeader& h);
  Status check_group_time(const GroupMembership& g, const keyshare::KeySharePlain& share,
                          const envelope::EnvelopeHeader& h) const;
  Status send_u2u(const std::string& contact, const u2u::Outgoing& out, PhoneEffects& fx);
  u2u::KeyFingerprints fingerprints(const Contact& c) const;

  const Profile& m_profile;
  Rng& m_rng;
  Rng& m_store_rng;
  const Clock& m_clock;
  crypto::Ed25519Public m_ca;
  PhoneConfig m_config;
  PersistentState m_state;
  std::optional<storage::LocalStore> m_store;  // from sign-up on (STO-011)
  crypto::Digest m_persisted{};                // SHA-256 of the state last written
  Batch* m_batch = nullptr;                    // the outermost call's, while one runs
  bool m_skip_persist = false;                 // PhoneBug::kSkipsPersistOnSend

  // Volatile (PH-020): lost on crash.
  std::optional<channel::Endpoint> m_channel;
  bool m_logged_in = false;
  TimeMs m_last_sync_local = 0;
  std::optional<std::string> m_early_mail;  // PH-002: verification mail before SignedUp
  TimeMs m_last_progress_local = 0;         // last frame from the server (PH-004)
  std::uint32_t m_next_request = 1;
  std::map<std::uint32_t, std::pair<Pending, std::uint64_t>> m_pending;
};

}  // namespace spmc::phone
