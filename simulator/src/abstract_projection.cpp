// The ratchet-pair projection (models/README.md, "Trace conformance with the simulator").
#include "spmc/sim/abstract_projection.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace spmc::sim {

namespace {

struct PairState {
  std::map<std::uint32_t, std::string> user_of;  // phone index -> user id
  std::optional<std::string> a;                  // sender
  std::optional<std::string> b;                  // recipient
  std::uint64_t key_ts = 0;                      // the key share's timestamp

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

void emit(Trace& trace, const TraceEvent& full, const char* kind, const char* a, const char* b,
          std::uint64_t x) {
  auto e = make_trace_event(full["t"].get<TimeUs>(), kind);
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
    emit(trace, full, "msg_send", "A", "B", full["counter"].get<std::uint64_t>());
  }
}

void on_receive(PairState& s, const TraceEvent& full, Trace& trace, bool accepted) {
  if (!s.a || s.user(full) != *s.b || full["peer"].get<std::string>() != *s.a) {
    return;
  }
  if (!accepted) {
    return;  // no counter in the reject event: projected away, see the header
  }
  if (full["key_ts"].get<std::uint64_t>() == s.key_ts) {
    emit(trace, full, "msg_deliver", "B", "A", full["counter"].get<std::uint64_t>());
  }
}

}  // namespace

Trace::Projection make_ratchet_pair_projection() {
  auto state = std::make_shared<PairState>();
  return [state](const TraceEvent& full, Trace& trace) {
    PairState& s = *state;
    const std::string& kind = full["ev"].get_ref<const std::string&>();
    if (kind.rfind("ph_", 0) != 0) {
      return;
    }
    if (kind == "ph_signed_up") {
      s.user_of[full["phone"].get<std::uint32_t>()] = full["peer"].get<std::string>();
    } else if (kind == "ph_msg_send") {
      on_send(s, full, trace);
    } else if (kind == "ph_msg_accept" || kind == "ph_msg_reject") {
      on_receive(s, full, trace, kind == "ph_msg_accept");
    }
  };
}

}  // namespace spmc::sim
