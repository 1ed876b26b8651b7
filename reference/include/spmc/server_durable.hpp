#pragma once
// The persistence seam of the chat server (spec/server.md SRV-014, SRV-021, SRV-022; the
// store layout is spec/server_store.md). `DurableState` is everything that survives a
// restart; a server announces each change of it as one `DurableChange` through
// `ServerEffects::persist`, before anything it sends reveals the change; a store applies the
// changes and gives a restarted server its state back (`ChatServer::recover`). The records a
// store keeps as blobs (an account, a stored push, the identity) have codecs here, declared
// once as field lists (wire.hpp) and decoded with typed errors: a store file is untrusted input.
// Sans-IO like the rest of reference/: the SQLite store is in simulator/live/ (spmc_live).
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "spmc/bytes.hpp"
#include "spmc/crypto.hpp"
#include "spmc/result.hpp"
#include "spmc/secret.hpp"
#include "spmc/server_proto.hpp"
#include "spmc/wire_traits.hpp"

namespace spmc::server {

using Address = std::uint32_t;

// CH-008: the session ids the server remembers per address.
inline constexpr std::size_t kRetiredSessions = 16;
// The bounds a stored record must keep (the server itself never exceeds them).
inline constexpr std::size_t kSaltLength = 16;
inline constexpr std::size_t kVerifierLength = 32;
inline constexpr std::size_t kMaxContacts = 1U << 20;

struct StoredItem {
  std::uint64_t message_id = 0;
  proto::Body push;                  // Deliver, ContactRequest or ContactAdded
  std::uint32_t pushed_session = 0;  // channel session it was last pushed on (0: none)
  friend bool operator==(const StoredItem& a, const StoredItem& b);
};

struct Account {
  std::string user_id;
  crypto::Digest email_hash{};
  Bytes password_salt;
  Bytes password_verifier;
  std::string verification_code;
  bool verified = false;
  Bytes sign_cert;  // empty until RequestCertificates
  Bytes enc_cert;
  std::vector<std::uint64_t> cert_serials;
  std::set<std::string> contacts;
  std::set<std::string> pending_from;  // contact requests awaiting this user's answer
  bool operator==(const Account&) const = default;

  // The stored record (SRV-022): a version byte, then every field in this order.
  using Version = wire::Version<std::uint8_t, 1, "account record">;
  using Cert = wire::Bytes16<0, proto::kMaxCertLength>;
  using Ids = wire::SortedSet<std::uint32_t, wire::Id, kMaxContacts, "account user ids">;
  static auto fields(auto& m) {
    return wire::fields<Version, wire::Id, wire::Raw, wire::Bytes16<kSaltLength, kSaltLength>,
                        wire::Bytes16<kVerifierLength, kVerifierLength>, wire::Str16<1, 32>,
                        wire::Bool<"account verified">, Cert, Cert,
                        wire::List<std::uint8_t, wire::U64, 2, "account serials">, Ids, Ids>(
        wire::fixed, m.user_id, m.email_hash, m.password_salt, m.password_verifier,
        m.verification_code, m.verified, m.sign_cert, m.enc_cert, m.cert_serials, m.contacts,
        m.pending_from);
  }
};

// The server's own secrets, drawn once when it is first created.
struct DurableIdentity {
  Secret<crypto::Ed25519Secret> ca_secret{};  // the CA's RFC 8032 seed
  Bytes email_salt;                           // SU-001: the salt of every email hash
  bool operator==(const DurableIdentity&) const = default;

  using Version = wire::Version<std::uint8_t, 1, "identity record">;
  static auto fields(auto& m) {
    return wire::fields<Version, wire::Raw, wire::Bytes16<kSaltLength, kSaltLength>>(
        wire::fixed, m.ca_secret, m.email_salt);
  }
};

// SRV-021: everything a restart keeps. Connections, pushes in flight and retransmission
// timers are not in it; `ChatServer::stats()` is observation, not state, and is not either.
struct DurableState {
  DurableIdentity identity;
  std::uint64_t next_message_id = 1;  // SRV-016
  std::uint64_t next_serial = 1;      // CERT serials
  std::map<std::string, Account> accounts;
  std::set<std::uint64_t> revoked;
  // Each user's offline store in store order; only users with items; pushed_session is 0.
  std::map<std::string, std::deque<StoredItem>> store;
  // CH-008: per address, the last kRetiredSessions session ids opened there, oldest first,
  // the current one included: after a restart every one of them is retired.
  std::map<Address, std::deque<std::uint32_t>> sessions;
  bool operator==(const DurableState&) const = default;
};

// The changes (SRV-021), each the smallest a store can apply in place.
struct IdentitySet {  // once, when the server is first created
  DurableIdentity identity;
  bool operator==(const IdentitySet&) const = default;
};
struct AccountPut {  // a new account, or any field of one changed: the whole account
  Account account;
  bool operator==(const AccountPut&) const = default;
};
struct SerialIssued {  // next_serial becomes serial + 1
  std::uint64_t serial = 0;
  bool operator==(const SerialIssued&) const = default;
};
struct SerialRevoked {
  std::uint64_t serial = 0;
  bool operator==(const SerialRevoked&) const = default;
};
struct ItemStored {  // appended to the user's store; next_message_id becomes message_id + 1
  std::string user_id;
  std::uint64_t message_id = 0;
  proto::Body push;  // its message_id field equals message_id
  friend bool operator==(const ItemStored& a, const ItemStored& b);
};
struct ItemDeleted {
  std::string user_id;
  std::uint64_t message_id = 0;
  bool operator==(const ItemDeleted&) const = default;
};
struct SessionOpened {  // appended to the address's sessions, keeping the last kRetiredSessions
  Address address = 0;
  std::uint32_t session = 0;
  bool operator==(const SessionOpened&) const = default;
};
using DurableChange = std::variant<IdentitySet, AccountPut, SerialIssued, SerialRevoked, ItemStored,
                                   ItemDeleted, SessionOpened>;

// Applies one change. A change that does not fit the state (an item deleted twice, an id
// not above the counter) is applied as far as it makes sense: the server never emits one.
void apply(DurableState& state, const DurableChange& change);
// The changes that build `state` from an empty one, in an order a store can apply (the
// identity first): how a store is seeded from a running server.
std::vector<DurableChange> changes_of(const DurableState& state);

// The in-memory store: what the simulator and the tests keep instead of a file.
class MemoryDurableStore {
 public:
  MemoryDurableStore() = default;
  explicit MemoryDurableStore(DurableState initial) : m_state(std::move(initial)) {}
  void apply(const DurableChange& change) { server::apply(m_state, change); }
  void commit(std::span<const DurableChange> changes) {
    for (const DurableChange& c : changes) {
      apply(c);
    }
  }
  const DurableState& state() const { return m_state; }

 private:
  DurableState m_state;
};

// The record codecs (SRV-022). Decoders refuse what the encoder never writes, with typed
// errors, and never read past the input.
Bytes encode_account(const Account& account);
Result<Account> decode_account(ByteView bytes);
Bytes encode_identity(const DurableIdentity& identity);
Result<DurableIdentity> decode_identity(ByteView bytes);
// A stored push is the Message the server pushes for it (SRV-013, request id 0); decoding
// refuses any other request id and any body that is not a push (Deliver, ContactRequest,
// ContactAdded).
Bytes encode_push(const proto::Body& push);
Result<proto::Body> decode_push(ByteView bytes);
// The message id a push carries (0 for a body that is not a push).
std::uint64_t push_message_id(const proto::Body& push);

}  // namespace spmc::server
