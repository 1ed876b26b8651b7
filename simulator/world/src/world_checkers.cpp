#include "world_checkers.hpp"

#include "spmc/channel.hpp"
#include "spmc/server_proto.hpp"
#include "spmc/u2u.hpp"

namespace spmc::sim {

void U2uChecker::judge(std::vector<InvariantResult>& out) const {
  if (m_pairs.empty()) {
    return;
  }
  Invariant r(InvariantName::kU2uHonestAuthenticates);
  for (const U2uPair& pair : m_pairs) {
    if (m_attacked && ((pair.a == m_attacked->first && pair.b == m_attacked->second) ||
                       (pair.a == m_attacked->second && pair.b == m_attacked->first))) {
      continue;  // judged by u2u_detects_mitm
    }
    // Named copies, not a structured binding: clang 14 cannot capture a binding in a lambda.
    for (const auto& ends : {std::pair{pair.a, pair.b}, std::pair{pair.b, pair.a}}) {
      const auto me = ends.first;
      const auto other = ends.second;
      const auto& contacts = m_world.phone(me).state().contacts;
      auto c = contacts.find(m_world.user_of(other));
      const bool ok = c != contacts.end() && c->second.u2u && c->second.u2u->auth_status().ok();
      r.check_with(ok, [&] {
        return "phone " + std::to_string(me) + " did not authenticate phone " +
               std::to_string(other) + " (state " +
               (c != contacts.end() && c->second.u2u
                    ? std::string(u2u::state_name(c->second.u2u->state()))
                    : std::string("none")) +
               ")";
      });
    }
  }
  out.push_back(r.result());
}

void StoreChecker::judge(std::vector<InvariantResult>& out) const {
  Invariant store(InvariantName::kOfflineStoreEmptyAtQuiescence);
  const std::size_t depth = m_world.server().store_depth();
  store.check_with(depth == 0, [depth] {
    return std::to_string(depth) +
           " items still in the offline store after every phone acknowledged";
  });
  out.push_back(store.result());
}

void QuiescenceChecker::judge(std::vector<InvariantResult>& out) const {
  Invariant quiet(InvariantName::kQuiescenceReached);
  quiet.check_with(m_calm, [this] {
    return "work still in flight when the liveness phase ended" +
           (m_blocker.empty() ? std::string(" (progress until the end)") : ": " + m_blocker);
  });
  out.push_back(quiet.result());
}

std::optional<std::uint64_t> acked_message_id(ByteView frame) {
  auto f = channel::decode(frame);
  if (!f.ok() || f->kind != channel::FrameKind::kData) {
    return std::nullopt;
  }
  auto m = proto::decode(f->payload);
  if (!m.ok()) {
    return std::nullopt;
  }
  if (const auto* ack = std::get_if<proto::Ack>(&m->body)) {
    return ack->message_id;
  }
  return std::nullopt;
}

void AckChecker::received(const std::string& from, ByteView frame) {
  if (const auto id = acked_message_id(frame); id && m_relayed.contains({from, *id})) {
    m_acked.emplace(from, *id);
  }
}

void AckChecker::judge(std::vector<InvariantResult>& out) const {
  Invariant acked(InvariantName::kAckedItemsDeleted);
  for (const auto& item : m_acked) {
    acked.check_with(m_deleted.contains(item), [&item] {
      return "item " + std::to_string(item.second) + " for " + item.first +
             " was acknowledged to the server and never deleted";
    });
  }
  out.push_back(acked.result());
}

}  // namespace spmc::sim
