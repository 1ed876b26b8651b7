// The persistence seam (SRV-021, SRV-022): applying changes to a DurableState and the codecs
// of the records a store keeps.
#include "spmc/server_durable.hpp"

#include <algorithm>

namespace spmc::server {

namespace {

// Two pushes are equal when the server would push the same bytes for them.
bool same_push(const proto::Body& a, const proto::Body& b) {
  return a.index() == b.index() && encode_push(a) == encode_push(b);
}

struct Applier {
  DurableState& state;

  void operator()(const IdentitySet& c) const { state.identity = c.identity; }
  void operator()(const AccountPut& c) const { state.accounts[c.account.user_id] = c.account; }
  void operator()(const SerialIssued& c) const {
    state.next_serial = std::max(state.next_serial, c.serial + 1);
  }
  void operator()(const SerialRevoked& c) const { state.revoked.insert(c.serial); }
  void operator()(const ItemStored& c) const {
    state.store[c.user_id].push_back(StoredItem{c.message_id, c.push, 0});
    state.next_message_id = std::max(state.next_message_id, c.message_id + 1);
  }
  void operator()(const ItemDeleted& c) const {
    auto it = state.store.find(c.user_id);
    if (it == state.store.end()) {
      return;
    }
    std::erase_if(it->second,
                  [&c](const StoredItem& item) { return item.message_id == c.message_id; });
    if (it->second.empty()) {
      state.store.erase(it);  // a state holds only users with items (DurableState::store)
    }
  }
  void operator()(const SessionOpened& c) const {
    auto& sessions = state.sessions[c.address];
    sessions.push_back(c.session);
    if (sessions.size() > kRetiredSessions) {
      sessions.pop_front();
    }
  }
};

}  // namespace

bool operator==(const StoredItem& a, const StoredItem& b) {
  return a.message_id == b.message_id && a.pushed_session == b.pushed_session &&
         same_push(a.push, b.push);
}

bool operator==(const ItemStored& a, const ItemStored& b) {
  return a.user_id == b.user_id && a.message_id == b.message_id && same_push(a.push, b.push);
}

void apply(DurableState& state, const DurableChange& change) { std::visit(Applier{state}, change); }

std::vector<DurableChange> changes_of(const DurableState& state) {
  std::vector<DurableChange> out;
  out.emplace_back(IdentitySet{state.identity});
  for (const auto& [id, account] : state.accounts) {
    out.emplace_back(AccountPut{account});
  }
  for (std::uint64_t serial : state.revoked) {
    out.emplace_back(SerialRevoked{serial});
  }
  // The counters may be ahead of every stored item (items deleted, serials of revoked
  // certificates): SerialIssued and the last item carry them.
  if (state.next_serial > 1) {
    out.emplace_back(SerialIssued{state.next_serial - 1});
  }
  for (const auto& [user, queue] : state.store) {
    for (const StoredItem& item : queue) {
      out.emplace_back(ItemStored{user, item.message_id, item.push});
    }
  }
  for (const auto& [address, sessions] : state.sessions) {
    for (std::uint32_t session : sessions) {
      out.emplace_back(SessionOpened{address, session});
    }
  }
  return out;
}

Bytes encode_account(const Account& account) { return wire::encode(account); }

Result<Account> decode_account(ByteView bytes) { return wire::decode<Account>(bytes); }

Bytes encode_identity(const DurableIdentity& identity) { return wire::encode(identity); }

Result<DurableIdentity> decode_identity(ByteView bytes) {
  return wire::decode<DurableIdentity>(bytes);
}

Bytes encode_push(const proto::Body& push) { return proto::encode(proto::Message{0, push}); }

Result<proto::Body> decode_push(ByteView bytes) {
  SPMC_TRY(proto::Message m, proto::decode(bytes));
  if (m.request_id != 0) {
    return make_error(ErrorCode::kBadValue, "stored push with request id");
  }
  if (push_message_id(m.body) == 0) {
    return make_error(
        ErrorCode::kBadValue,
        "stored push of a " + std::string(proto::type_name(m.body)) + " message (or message id 0)");
  }
  return std::move(m.body);
}

std::uint64_t push_message_id(const proto::Body& push) {
  if (const auto* d = std::get_if<proto::Deliver>(&push)) {
    return d->message_id;
  }
  if (const auto* r = std::get_if<proto::ContactRequest>(&push)) {
    return r->message_id;
  }
  if (const auto* a = std::get_if<proto::ContactAdded>(&push)) {
    return a->message_id;
  }
  return 0;
}

}  // namespace spmc::server
