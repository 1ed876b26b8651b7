// STO-010: the store layout of a phone's PersistentState. One field list per stored form
// drives encode, decode and size. The forms are plain data: the chains, the U2U sessions and
// the key-share book sit in them as their own store encodings (bytes32), decoded once the
// whole layout has parsed, under the caller's profile (their decoders need its limits and
// U2U scheme, which an element of a counted list cannot reach while it is read).
#include "spmc/phone_store.hpp"

#include <algorithm>
#include <utility>

#include "spmc/codec.hpp"
#include "spmc/envelope.hpp"
#include "spmc/secret.hpp"
#include "spmc/server_proto.hpp"
#include "spmc/storage.hpp"
#include "spmc/wire_traits.hpp"

namespace spmc::phone {

namespace {

// A nested store encoding (a chain, a U2U session, the book): it may hold keys, so it is
// wiped when the form goes. Bounded by the sealed state's own bound (STO-001).
using Blob = Secret<Bytes>;
using BlobField = wire::Bytes32<1, storage::kMaxStateSize>;
using Key32 = Secret<std::array<std::uint8_t, 32>>;

// The field list of a struct that phone.hpp declares without one (the phone's header stays
// the phone's): List::fields(m) over the struct's members.
template <typename List>
struct Listed {
  template <typename T>
  static constexpr auto indices(const T& m) {
    return std::make_index_sequence<std::tuple_size_v<decltype(List::fields(m))>>{};
  }
  template <typename W, typename T>
  static void write(W& w, const T& v) {
    const auto list = List::fields(v);
    wire::write_list(w, list, indices(v));
  }
  template <typename T>
  static Status read(codec::Reader& r, T& v) {
    auto list = List::fields(v);
    return wire::read_list(r, list, indices(v));
  }
  template <typename T>
  static std::size_t size(const T& v) {
    return std::apply([](const auto&... f) { return (std::size_t{0} + ... + wire::size_field(f)); },
                      List::fields(v));
  }
};

// A count above Max is bad_length "<What> count n".
template <std::size_t Max, wire::Name What>
Status admit(const auto&, std::uint32_t count) {
  if (count > Max) {
    return make_error(ErrorCode::kBadLength,
                      std::string(What.view()) + " count " + std::to_string(count));
  }
  return ok_status();
}

// Keys strictly ascending (one encoding per map, no duplicate): else bad_value "<What> order".
template <wire::Name What, typename K>
Status ascending(const std::optional<K>& last, const K& key) {
  if (last && !(*last < key)) {
    return make_error(ErrorCode::kBadValue, std::string(What.view()) + " order");
  }
  return ok_status();
}
template <typename C>
auto last_key(const C& c) -> std::optional<std::remove_cvref_t<decltype(c.back().first)>> {
  if (c.empty()) {
    return std::nullopt;
  }
  return c.back().first;
}

// A map entry whose value is a nested encoding, keys strictly ascending.
template <typename K, wire::Name What>
Status add_keyed(const auto&, std::vector<std::pair<K, Blob>>& out, std::pair<K, Blob>&& e) {
  SPMC_TRY_STATUS(ascending<What>(last_key(out), e.first));
  out.push_back(std::move(e));
  return ok_status();
}

template <typename C, typename E>
Status append(const auto&, C& out, E&& e) {
  out.push_back(std::forward<E>(e));
  return ok_status();
}

// --- Contact -----------------------------------------------------------------------------

struct ContactForm {
  std::string user;
  cert::Certificate sign_cert;
  cert::Certificate enc_cert;
  std::optional<Blob> send;
  TimeMs send_key_timestamp = 0;
  keyshare::Lifetime send_lifetime;
  std::vector<std::pair<TimeMs, Blob>> receive;
  std::optional<Blob> u2u;

  static Status admit_receive(const ContactForm& f, std::uint32_t n) {
    return admit<kMaxStoredChains, "contact receive chain">(f, n);
  }
  static Status add_receive(const ContactForm& f, std::vector<std::pair<TimeMs, Blob>>& out,
                            std::pair<TimeMs, Blob>&& e) {
    return add_keyed<TimeMs, "contact receive chain">(f, out, std::move(e));
  }
  static auto fields(auto& m) {
    using Cert = wire::Struct<cert::Certificate>;
    using Present = wire::PresenceBits<"contact fields">;
    using Receive =
        wire::Seq<std::uint32_t, wire::Pair<wire::U64, BlobField>, admit_receive, add_receive>;
    return wire::fields<wire::Id, Cert, Cert, Present, wire::Optional<BlobField>, wire::U64,
                        wire::Struct<keyshare::Lifetime>, Receive, wire::Optional<BlobField>>(
        m.user, m.sign_cert, m.enc_cert, wire::optionals(m.send, m.u2u), m.send,
        m.send_key_timestamp, m.send_lifetime, wire::with(m, m.receive), m.u2u);
  }
};

ContactForm form_of(const std::string& user, const Contact& c) {
  ContactForm f{user, c.sign_cert, c.enc_cert, std::nullopt, c.send_key_timestamp, c.send_lifetime,
                {},   std::nullopt};
  if (c.send) {
    f.send.emplace(c.send->encode_state());
  }
  for (const auto& [timestamp, chain] : c.receive) {
    f.receive.emplace_back(timestamp, chain.encode_state());
  }
  if (c.u2u) {
    f.u2u.emplace(c.u2u->encode_state());
  }
  return f;
}

Result<Contact> contact_of(const ContactForm& f, const Profile& profile) {
  Contact c{f.sign_cert,     f.enc_cert, std::nullopt, f.send_key_timestamp,
            f.send_lifetime, {},         std::nullopt};
  if (f.send) {
    SPMC_TRY(ratchet::SendChain chain, ratchet::SendChain::decode_state(*f.send));
    c.send.emplace(std::move(chain));
  }
  for (const auto& [timestamp, blob] : f.receive) {
    SPMC_TRY(ratchet::ReceiveChain chain,
             ratchet::ReceiveChain::decode_state(blob, profile.limits));
    c.receive.emplace_hint(c.receive.end(), timestamp, std::move(chain));
  }
  if (f.u2u) {
    SPMC_TRY(u2u::U2uSession session, u2u::U2uSession::decode_state(profile, *f.u2u));
    c.u2u.emplace(std::move(session));
  }
  return c;
}

// --- Group membership ----------------------------------------------------------------------

using Share = wire::Nested<keyshare::KeySharePlain, 1, kMaxStoredShare>;
using ChainKey = std::pair<TimeMs, std::uint16_t>;

struct OrganiserForm {
  keyshare::KeySharePlain share;
  std::vector<std::string> active;
  static auto fields(auto& m) {
    using Active = wire::List<std::uint16_t, wire::Id, group::kMaxMembers, "organiser members">;
    return wire::fields<Share, Active>(m.share, m.active);
  }
};

struct GroupForm {
  std::string id;
  std::string organiser;
  keyshare::KeySharePlain share;
  std::vector<std::pair<TimeMs, keyshare::KeySharePlain>> replaced;
  std::uint16_t my_index = 0;
  std::optional<Blob> send;
  std::vector<std::pair<ChainKey, Blob>> receive;
  std::optional<OrganiserForm> organiser_state;

  // The share is a group share of this group, listing my_index.
  static Status check_share(const GroupForm& f) {
    if (!f.share.group || f.share.group->group_id != f.id) {
      return make_error(ErrorCode::kBadValue, "group share of another group or scope");
    }
    if (f.my_index >= f.share.group->members.size()) {
      return make_error(ErrorCode::kBadValue, "group sender index out of the member list");
    }
    return ok_status();
  }
  static Status admit_replaced(const GroupForm& f, std::uint32_t n) {
    return admit<kMaxStoredReplaced, "group replaced share">(f, n);
  }
  static Status add_replaced(const GroupForm&,
                             std::vector<std::pair<TimeMs, keyshare::KeySharePlain>>& out,
                             std::pair<TimeMs, keyshare::KeySharePlain>&& e) {
    SPMC_TRY_STATUS(ascending<"group replaced share">(last_key(out), e.first));
    out.push_back(std::move(e));
    return ok_status();
  }
  static Status admit_receive(const GroupForm& f, std::uint32_t n) {
    return admit<kMaxStoredChains, "group receive chain">(f, n);
  }
  static Status add_receive(const GroupForm& f, std::vector<std::pair<ChainKey, Blob>>& out,
                            std::pair<ChainKey, Blob>&& e) {
    return add_keyed<ChainKey, "group receive chain">(f, out, std::move(e));
  }
  static auto fields(auto& m) {
    using Replaced =
        wire::Seq<std::uint32_t, wire::Pair<wire::U64, Share>, admit_replaced, add_replaced>;
    using Present = wire::PresenceBits<"group fields">;
    using Receive =
        wire::Seq<std::uint32_t, wire::Pair<wire::Pair<wire::U64, wire::U16>, BlobField>,
                  admit_receive, add_receive>;
    return wire::fields<wire::Id, wire::Id, Share, Replaced, wire::U16, wire::Check<check_share>,
                        Present, wire::Optional<BlobField>, Receive,
                        wire::Optional<wire::Struct<OrganiserForm>>>(
        m.id, m.organiser, m.share, wire::with(m, m.replaced), m.my_index, m,
        wire::optionals(m.send, m.organiser_state), m.send, wire::with(m, m.receive),
        m.organiser_state);
  }
};

GroupForm form_of(const std::string& id, const GroupMembership& g) {
  GroupForm f{id,         g.organiser, g.share, {g.replaced.begin(), g.replaced.end()},
              g.my_index, {},          {},      std::nullopt};
  if (g.send) {
    f.send.emplace(g.send->encode_state());
  }
  for (const auto& [key, chain] : g.receive) {
    f.receive.emplace_back(key, chain.encode_state());
  }
  if (g.organiser_state) {
    f.organiser_state.emplace(
        OrganiserForm{g.organiser_state->share(), g.organiser_state->active_members()});
  }
  return f;
}

Result<GroupMembership> group_of(const GroupForm& f, const Profile& profile) {
  GroupMembership g;
  g.organiser = f.organiser;
  g.share = f.share;
  g.replaced.insert(f.replaced.begin(), f.replaced.end());
  g.my_index = f.my_index;
  if (f.send) {
    SPMC_TRY(ratchet::SendChain chain, ratchet::SendChain::decode_state(*f.send));
    g.send.emplace(std::move(chain));
  }
  for (const auto& [key, blob] : f.receive) {
    SPMC_TRY(ratchet::ReceiveChain chain,
             ratchet::ReceiveChain::decode_state(blob, profile.limits));
    g.receive.emplace_hint(g.receive.end(), key, std::move(chain));
  }
  if (f.organiser_state) {
    SPMC_TRY(group::GroupState state, group::GroupState::restore(profile, f.organiser_state->share,
                                                                 f.organiser_state->active));
    g.organiser_state.emplace(std::move(state));
  }
  return g;
}

// --- Queues --------------------------------------------------------------------------------

using Payload = wire::Bytes32<0, proto::kMaxRelayPayload>;

struct OutFields {
  static auto fields(auto& m) {
    using Op = wire::Enum<OutOp, OutOp::kRelay, OutOp::kAcceptContact, "outbox operation">;
    using Kind = wire::Enum<proto::PayloadKind, proto::PayloadKind::kKeyShare,
                            proto::PayloadKind::kEnvelope, "outbox payload kind">;
    // in_flight is volatile (PH-020): not stored, false when read back.
    return wire::fields<Op, wire::Id, Kind, Payload, wire::U64>(m.op, m.to, m.kind, m.payload,
                                                                m.retry_at);
  }
};

struct HeldFields {
  static auto fields(auto& m) {
    return wire::fields<wire::Id, Payload, wire::U64>(m.from, m.payload, m.decide_by);
  }
};

struct HistoryFields {
  static auto fields(auto& m) {
    return wire::fields<wire::Id, wire::Id, wire::Bool<"history outgoing">,
                        wire::Bool<"history group">, wire::U64,
                        wire::Bytes32<0, envelope::kMaxBodySize>>(
        m.conversation, m.from, m.outgoing, m.group, m.sent_ms, m.body);
  }
};

// --- The whole state -----------------------------------------------------------------------

Result<AccountState> account_from_wire(std::uint8_t v) {
  if (v > static_cast<std::uint8_t>(AccountState::kReady)) {
    return make_error(ErrorCode::kBadValue, "account state " + std::to_string(v));
  }
  return static_cast<AccountState>(v);
}

struct StateForm {
  AccountState account = AccountState::kNew;
  std::string email;
  Blob password;
  std::string user_id;
  crypto::Ed25519Public sign_public{};
  Key32 sign_secret{};
  crypto::X25519Public enc_public{};
  Key32 enc_secret{};
  std::optional<cert::Certificate> sign_cert;
  std::optional<cert::Certificate> enc_cert;
  std::set<std::uint64_t> revoked;
  std::vector<ContactForm> contacts;
  std::set<std::string> pending_requests;
  std::optional<Blob> book;
  std::vector<GroupForm> groups;
  std::uint64_t last_message_id = 0;
  std::uint64_t next_group_number = 0;
  std::uint64_t next_out = 0;
  std::vector<std::pair<std::uint64_t, OutItem>> outbox;
  std::deque<HeldEnvelope> held;
  std::uint64_t offset_ms = 0;  // the int64 as its two's complement
  std::deque<HistoryEntry> history;
  std::uint64_t store_generation = 0;  // last, so a write can stamp it in place (STO-012)

  // Each pair is all zero (none generated yet) or the public key is the secret's.
  static Status check_keys(const StateForm& f) {
    const bool sign_none =
        f.sign_public == crypto::Ed25519Public{} &&
        static_cast<const crypto::Ed25519Secret&>(f.sign_secret) == crypto::Ed25519Secret{};
    if (!sign_none && crypto::ed25519_from_secret(f.sign_secret).public_key != f.sign_public) {
      return make_error(ErrorCode::kBadValue, "signing key pair does not match");
    }
    const bool enc_none =
        f.enc_public == crypto::X25519Public{} &&
        static_cast<const crypto::X25519Secret&>(f.enc_secret) == crypto::X25519Secret{};
    if (!enc_none && crypto::x25519_public_from_secret(f.enc_secret) != f.enc_public) {
      return make_error(ErrorCode::kBadValue, "encryption key pair does not match");
    }
    return ok_status();
  }
  static Status admit_contacts(const StateForm& f, std::uint32_t n) {
    return admit<keyshare::kMaxBookEntries, "contact">(f, n);
  }
  static Status add_contact(const StateForm&, std::vector<ContactForm>& out, ContactForm&& c) {
    if (!out.empty() && !(out.back().user < c.user)) {
      return make_error(ErrorCode::kBadValue, "contact order");
    }
    out.push_back(std::move(c));
    return ok_status();
  }
  static Status admit_groups(const StateForm& f, std::uint32_t n) {
    return admit<keyshare::kMaxBookEntries, "group">(f, n);
  }
  static Status add_group(const StateForm&, std::vector<GroupForm>& out, GroupForm&& g) {
    if (!out.empty() && !(out.back().id < g.id)) {
      return make_error(ErrorCode::kBadValue, "group order");
    }
    out.push_back(std::move(g));
    return ok_status();
  }
  static Status admit_queue(const StateForm& f, std::uint32_t n) {
    return admit<kMaxStoredQueue, "queue">(f, n);
  }
  // Outbox keys strictly ascending and below next_out (the next one a phone hands out).
  static Status add_out(const StateForm& f, std::vector<std::pair<std::uint64_t, OutItem>>& out,
                        std::pair<std::uint64_t, OutItem>&& e) {
    SPMC_TRY_STATUS(ascending<"outbox">(last_key(out), e.first));
    if (e.first >= f.next_out) {
      return make_error(ErrorCode::kBadValue, "outbox item at or after next_out");
    }
    out.push_back(std::move(e));
    return ok_status();
  }
  static Status add_held(const StateForm& f, std::deque<HeldEnvelope>& out, HeldEnvelope&& e) {
    return append(f, out, std::move(e));
  }
  static Status add_history(const StateForm& f, std::deque<HistoryEntry>& out, HistoryEntry&& e) {
    return append(f, out, std::move(e));
  }

  static auto fields(auto& m) {
    using Magic = wire::Magic<"SPMCPS01", "phone state magic">;
    using Account = wire::Parsed<std::uint8_t, account_from_wire>;
    using Certs = wire::PresenceBits<"state certificates">;
    using Cert = wire::Optional<wire::Struct<cert::Certificate>>;
    using Revoked = wire::SortedSet<std::uint32_t, wire::U64, kMaxStoredRevoked, "revoked">;
    using Contacts =
        wire::Seq<std::uint32_t, wire::Struct<ContactForm>, admit_contacts, add_contact>;
    using Requests =
        wire::SortedSet<std::uint32_t, wire::Id, keyshare::kMaxBookEntries, "contact requests">;
    using BookTag = wire::Presence<std::uint8_t, 0, 1, "book presence">;
    using Groups = wire::Seq<std::uint32_t, wire::Struct<GroupForm>, admit_groups, add_group>;
    using Outbox =
        wire::Seq<std::uint32_t, wire::Pair<wire::U64, Listed<OutFields>>, admit_queue, add_out>;
    using Held = wire::Seq<std::uint32_t, Listed<HeldFields>, admit_queue, add_held>;
    using History = wire::Seq<std::uint32_t, Listed<HistoryFields>, admit_queue, add_history>;
    return wire::fields<Magic, Account, wire::Str16<0, proto::kMaxEmailLength>,
                        wire::Bytes16<0, proto::kMaxPasswordLength>,
                        wire::Str16<0, wire::kMaxIdLength>, wire::Raw, wire::Raw, wire::Raw,
                        wire::Raw, wire::Check<check_keys>, Certs, Cert, Cert, Revoked, Contacts,
                        Requests, BookTag, wire::Optional<BlobField>, Groups, wire::U64, wire::U64,
                        wire::U64, Outbox, Held, wire::U64, History, wire::U64>(
        wire::fixed, m.account, m.email, m.password, m.user_id, m.sign_public, m.sign_secret,
        m.enc_public, m.enc_secret, m, wire::optionals(m.sign_cert, m.enc_cert), m.sign_cert,
        m.enc_cert, m.revoked, wire::with(m, m.contacts), m.pending_requests, m.book, m.book,
        wire::with(m, m.groups), m.last_message_id, m.next_group_number, m.next_out,
        wire::with(m, m.outbox), wire::with(m, m.held), m.offset_ms, wire::with(m, m.history),
        m.store_generation);
  }
};

}  // namespace

Bytes encode_state(const PersistentState& state) {
  StateForm f;
  f.account = state.account;
  f.email = state.email;
  f.password = state.password;
  f.user_id = state.user_id;
  f.sign_public = state.sign_keys.public_key;
  f.sign_secret = state.sign_keys.secret_key;
  f.enc_public = state.enc_keys.public_key;
  f.enc_secret = state.enc_keys.secret_key;
  f.sign_cert = state.sign_cert;
  f.enc_cert = state.enc_cert;
  f.revoked = state.revoked;
  for (const auto& [user, contact] : state.contacts) {
    f.contacts.push_back(form_of(user, contact));
  }
  f.pending_requests = state.pending_requests;
  if (state.book) {
    f.book.emplace(keyshare::encode(*state.book));
  }
  for (const auto& [id, membership] : state.groups) {
    f.groups.push_back(form_of(id, membership));
  }
  f.last_message_id = state.last_message_id;
  f.next_group_number = state.next_group_number;
  f.next_out = state.next_out;
  for (const auto& [seq, item] : state.outbox) {
    f.outbox.emplace_back(seq, item).second.in_flight = false;
  }
  f.held = state.held;
  f.offset_ms = static_cast<std::uint64_t>(state.offset_ms);
  f.history = state.history;
  f.store_generation = state.store_generation;
  return wire::encode(f);
}

Result<PersistentState> decode_state(ByteView in, const Profile& profile) {
  SPMC_TRY(const StateForm f, wire::decode<StateForm>(in));
  PersistentState s;
  s.account = f.account;
  s.email = f.email;
  s.password = f.password;
  s.user_id = f.user_id;
  s.sign_keys = {f.sign_public, f.sign_secret};
  s.enc_keys = {f.enc_public, f.enc_secret};
  s.sign_cert = f.sign_cert;
  s.enc_cert = f.enc_cert;
  s.revoked = f.revoked;
  for (const ContactForm& c : f.contacts) {
    SPMC_TRY(Contact contact, contact_of(c, profile));
    s.contacts.emplace_hint(s.contacts.end(), c.user, std::move(contact));
  }
  s.pending_requests = f.pending_requests;
  if (f.book) {
    SPMC_TRY(keyshare::KeyShareBook book, keyshare::decode_book(*f.book));
    if (book.own_user_id() != s.user_id) {
      return make_error(ErrorCode::kBadValue, "key share book of another user");
    }
    s.book.emplace(std::move(book));
  }
  for (const GroupForm& g : f.groups) {
    SPMC_TRY(GroupMembership membership, group_of(g, profile));
    s.groups.emplace_hint(s.groups.end(), g.id, std::move(membership));
  }
  s.last_message_id = f.last_message_id;
  s.next_group_number = f.next_group_number;
  s.next_out = f.next_out;
  s.outbox.insert(f.outbox.begin(), f.outbox.end());
  s.held = f.held;
  s.offset_ms = static_cast<std::int64_t>(f.offset_ms);
  s.history = f.history;
  s.store_generation = f.store_generation;
  s.history_bytes = 0;
  for (const HistoryEntry& e : s.history) {
    s.history_bytes += e.body.size();
  }
  return s;
}

}  // namespace spmc::phone
