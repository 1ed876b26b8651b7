// The ratchet-pair projection (models/README.md, "Trace conformance with the simulator").
#include "spmc/sim/abstract_projection.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "spmc/sim/abstract_event.hpp"
#include "spmc/sim/names.hpp"

namespace spmc::sim {

namespace {

struct PairState {
  std::map<std::uint32_t, std::string> user_of;    // phone index -> user id
  std::optional<std::string> a;                    // sender
  std::optional<std::string> b;                    // recipient
  std::uint64_t key_ts = 0;                        // the key share's timestamp
  std::map<std::uint64_t, std::uint32_t> handled;  // counter -> copies B accepted or refused

  bool is_user(const std::string& id) const {
    for (const auto& [index, user] : user_of) {
      if (user == id) {
        return true;
      }
    }
    return false;
  }
  std::string user(const TraceEvent& e) const {
    auto it = user_of.find(e["phone"].get<std::uint32_t>());
    return it == user_of.end() ? std::string() : it->second;
  }
};

using phone::PhoneEventKind;

// Whether a full-trace event is the trace line of phone event `kind`.
bool is(const std::string& trace_kind, PhoneEventKind kind) {
  return trace_kind == phone_trace_kind(kind);
}

void emit(Trace& trace, const TraceEvent& full, AbstractEvent kind, const char* a, const char* b,
          std::uint64_t x) {
  auto e = make_trace_event(full["t"].get<TimeUs>(), name(kind));
  e["a"] = a;
  e["b"] = b;
  e["x"] = x;
  trace.record_abstract(e);
}

void on_send(PairState& s, const TraceEvent& full, Trace& trace) {
  const std::string me = s.user(full);
  const std::string peer = full["peer"].get<std::string>();
  // Group sends name the group as peer; only direct messages between users count.
  if (me.empty() || !s.is_user(peer)) {
    return;
  }
  const auto key_ts = full["key_ts"].get<std::uint64_t>();
  if (!s.a) {
    s.a = me;
    s.b = peer;
    s.key_ts = key_ts;
  }
  if (me == *s.a && peer == *s.b && key_ts == s.key_ts) {
    emit(trace, full, AbstractEvent::kMsgSend, "A", "B", full["counter"].get<std::uint64_t>());
  }
}

void on_receive(PairState& s, const TraceEvent& full, Trace& trace, bool accepted) {
  if (!s.a || s.user(full) != *s.b || full["peer"].get<std::string>() != *s.a) {
    return;
  }
  if (full["key_ts"].get<std::uint64_t>() != s.key_ts) {
    return;
  }
  const auto counter = full["counter"].get<std::uint64_t>();
  // Every copy after the first that B handles is an extra one (a duplicate, a sender's
  // retried relay, a replay by the server or the network): the model's msg_dup, which
  // hands B that copy at once.
  if (s.handled[counter]++ != 0) {
    emit(trace, full, AbstractEvent::kMsgDup, "net", "B", counter);
  }
  emit(trace, full, accepted ? AbstractEvent::kMsgDeliver : AbstractEvent::kMsgReject, "B", "A",
       counter);
}

}  // namespace

Trace::Projection make_ratchet_pair_projection() {
  auto state = std::make_shared<PairState>();
  return [state](const TraceEvent& full, Trace& trace) {
    PairState& s = *state;
    const std::string& kind = full["ev"].get_ref<const std::string&>();
    if (!kind.starts_with(kPhoneTracePrefix)) {
      return;
    }
    if (is(kind, PhoneEventKind::kSignedUp)) {
      s.user_of[full["phone"].get<std::uint32_t>()] = full["peer"].get<std::string>();
    } else if (is(kind, PhoneEventKind::kMsgSend)) {
      on_send(s, full, trace);
    } else if (is(kind, PhoneEventKind::kMsgAccept) || is(kind, PhoneEventKind::kMsgReject)) {
      on_receive(s, full, trace, is(kind, PhoneEventKind::kMsgAccept));
    }
  };
}

namespace {

struct SubstitutionState {
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  std::map<std::uint32_t, std::string> user_of;
  std::set<std::string> emitted;         // each model event once: one share, one message
  std::optional<std::uint64_t> counter;  // a's first envelope to b
  std::uint64_t key_ts = 0;

  std::string user(std::uint32_t index) const {
    auto it = user_of.find(index);
    return it == user_of.end() ? std::string() : it->second;
  }
  // Emits once; later occurrences are outside the model's bounds.
  void once(Trace& trace, const TraceEvent& full, AbstractEvent kind, const char* who,
            const char* other, std::uint64_t x) {
    const std::string key = std::string(name(kind)) + who + other + std::to_string(x);
    if (emitted.insert(key).second) {
      emit(trace, full, kind, who, other, x);
    }
  }
};

constexpr std::uint64_t kServerPrincipal = 4;  // models/common/events.pml SRV

void on_substitution_event(SubstitutionState& s, const TraceEvent& full, Trace& trace) {
  const std::string& kind = full["ev"].get_ref<const std::string&>();
  const auto phone = full.contains("phone") ? full["phone"].get<std::uint32_t>() : 0U;
  const auto peer = [&full] { return full["peer"].get<std::string>(); };
  if (is(kind, PhoneEventKind::kSignedUp)) {
    s.user_of[phone] = peer();
  } else if (kind == "adv_cert") {
    s.once(trace, full, AbstractEvent::kCertIssue, "S", phone == s.a ? "B" : "A", kServerPrincipal);
  } else if (is(kind, PhoneEventKind::kKeyshareSend) && phone == s.a && peer() == s.user(s.b)) {
    s.key_ts = full["key_ts"].get<std::uint64_t>();
    s.once(trace, full, AbstractEvent::kKeyshareSend, "A", "B", 1);
  } else if (kind == "adv_share_read") {
    s.once(trace, full, AbstractEvent::kServerRead, "S", "A", 0);
  } else if (is(kind, PhoneEventKind::kKeyshareAccept) && phone == s.b && peer() == s.user(s.a)) {
    s.once(trace, full, AbstractEvent::kKeyshareAccept, "B", "A", 1);
  } else if (is(kind, PhoneEventKind::kMsgSend) && phone == s.a && peer() == s.user(s.b) &&
             !s.counter && full["key_ts"].get<std::uint64_t>() == s.key_ts) {
    s.counter = full["counter"].get<std::uint64_t>();
    s.once(trace, full, AbstractEvent::kMsgSend, "A", "B", 0);
  } else if (kind == "adv_msg_read" && s.counter &&
             full["counter"].get<std::uint64_t>() == *s.counter) {
    s.once(trace, full, AbstractEvent::kServerRead, "S", "A", 1);
  } else if (is(kind, PhoneEventKind::kMsgAccept) && phone == s.b && peer() == s.user(s.a) &&
             s.counter && full["counter"].get<std::uint64_t>() == *s.counter &&
             full["key_ts"].get<std::uint64_t>() == s.key_ts) {
    s.once(trace, full, AbstractEvent::kMsgDeliver, "B", "A", 0);
  }
}

}  // namespace

Trace::Projection make_key_substitution_projection(std::uint32_t a_index, std::uint32_t b_index) {
  auto state = std::make_shared<SubstitutionState>();
  state->a = a_index;
  state->b = b_index;
  return
      [state](const TraceEvent& full, Trace& trace) { on_substitution_event(*state, full, trace); };
}

}  // namespace spmc::sim

namespace spmc::sim {

namespace {

struct U2uState {
  std::array<std::uint32_t, 2> phones{};
  std::array<bool, 2> forged{};  // a forged certificate reached phones[i]
  std::optional<int> a;          // index into phones of the opt-in requester
  std::set<std::string> emitted;

  const char* principal(int side) const { return side == *a ? "A" : "B"; }
  std::uint64_t code(int side) const { return side == *a ? 1 : 2; }  // events.pml PA / PB
  void once(Trace& trace, const TraceEvent& full, AbstractEvent kind, int who, int other,
            std::uint64_t x) {
    const std::string key = std::string(name(kind)) + principal(who) + std::to_string(x);
    if (emitted.insert(key).second) {
      emit(trace, full, kind, principal(who), principal(other), x);
    }
  }
};

void on_u2u_event(U2uState& s, const TraceEvent& full, Trace& trace) {
  const std::string& kind = full["ev"].get_ref<const std::string&>();
  if (!full.contains("phone")) {
    return;
  }
  const auto phone = full["phone"].get<std::uint32_t>();
  const int side = phone == s.phones[0] ? 0 : phone == s.phones[1] ? 1 : -1;
  if (side < 0) {
    return;
  }
  const int other = 1 - side;
  if (kind == "adv_cert") {
    s.forged[side] = true;
    return;
  }
  if (!is(kind, PhoneEventKind::kU2uState)) {
    return;
  }
  const std::string& state = full["detail"].get_ref<const std::string&>();
  if (!s.a && state == "optin_requested") {
    s.a = side;
    // The certificates were forged at the contact exchange, before any U2U step: the one
    // phone i holds binds the server's key to its peer's name.
    for (int i : {*s.a, 1 - *s.a}) {
      if (s.forged[i]) {
        emit(trace, full, AbstractEvent::kCertIssue, "S", s.principal(1 - i), kServerPrincipal);
      }
    }
    return;
  }
  if (!s.a) {
    return;
  }
  if (state == "exchanging" && side != *s.a) {
    s.once(trace, full, AbstractEvent::kU2uOptin, *s.a, 1 - *s.a, 0);
  } else if (state == "established") {
    s.once(trace, full, AbstractEvent::kU2uHashSend, *s.a, 1 - *s.a, s.code(*s.a));
    s.once(trace, full, AbstractEvent::kU2uHashSend, 1 - *s.a, *s.a, s.code(1 - *s.a));
    s.once(trace, full, AbstractEvent::kU2uHashRecv, side, other, s.code(other));
  } else if (state == "authenticated" || state == "failed") {
    s.once(trace, full, AbstractEvent::kU2uAuthSend, other, side, s.code(other));
    s.once(trace, full,
           state == "authenticated" ? AbstractEvent::kU2uAuthOk : AbstractEvent::kU2uAuthFail, side,
           other, 0);
  }
}

}  // namespace

Trace::Projection make_u2u_projection(std::uint32_t a_index, std::uint32_t b_index) {
  auto state = std::make_shared<U2uState>();
  state->phones = {a_index, b_index};
  return [state](const TraceEvent& full, Trace& trace) { on_u2u_event(*state, full, trace); };
}

}  // namespace spmc::sim
