#include "spmc/sim/phone_trace.hpp"

#include "spmc/sim/checkers.hpp"
#include "spmc/sim/names.hpp"
#include "spmc/sim/u2u_user.hpp"

namespace spmc::sim {

TraceEvent phone_event_trace(TimeUs at, std::uint32_t phone, const phone::PhoneEvent& ev) {
  auto e = make_trace_event(at, phone_trace_kind(ev.type));
  e["phone"] = phone;
  e["peer"] = ev.peer;
  e["counter"] = ev.counter;
  e["key_ts"] = ev.key_timestamp;
  e["detail"] = ev.detail;
  if (!ev.group.empty()) {
    e["group"] = ev.group;
  }
  return e;
}

TraceEvent app_deliver_trace(TimeUs at, std::uint32_t phone, const phone::Delivered& m) {
  auto e = make_trace_event(at, "app_deliver");
  e["phone"] = phone;
  e["from"] = m.from;
  e["group"] = m.group_id.value_or("");
  e["uid"] = canary_uid(m.body).value_or(0);
  return e;
}

std::optional<U2uReaction> u2u_reaction(std::string_view state, bool requester) {
  using A = phone::Phone::U2uAction;
  if (state == "optin_received") {
    return U2uReaction{A::kAcceptOptin, kUsPerSecond};
  }
  if (state == "exchanging") {
    return U2uReaction{A::kProvideSecret, kUsPerSecond};
  }
  if (state == "established" && requester) {
    return U2uReaction{A::kRequestAuth, 2 * kUsPerSecond};
  }
  if (state == "auth_requested") {
    return U2uReaction{A::kAuthSecret, requester ? 0 : kUsPerSecond};
  }
  return std::nullopt;
}

std::string u2u_secret(std::uint32_t index) { return "keyword-" + std::to_string(index); }

}  // namespace spmc::sim
