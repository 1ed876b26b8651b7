#pragma once
// Invariant checkers, each named after the spec requirement it judges
// (spec/requirements.md). They observe the world through narrow calls and never change it.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "spmc/bytes.hpp"
#include "spmc/envelope.hpp"
#include "spmc/sim/event_queue.hpp"
#include "spmc/sim/invariants.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::sim {

// Application messages carry this prefix and a 16-hex-digit id, so deliveries can be
// matched to sends and any copy of a body outside a phone can be found (Req8).
inline constexpr std::string_view kCanaryPrefix = "SPMC-CANARY-";
Bytes make_canary_body(std::uint64_t uid, std::size_t size);
std::optional<std::uint64_t> canary_uid(ByteView body);

// The per-mille percentile of `sorted` (ascending, not empty), as every latency summary picks it.
inline std::uint64_t percentile(const std::vector<std::uint64_t>& sorted, std::uint64_t per_mille) {
  return sorted[static_cast<std::size_t>((sorted.size() - 1) * per_mille / 1000)];
}

// One invariant's running result, named from the one table (invariants.hpp).
class Invariant {
 public:
  explicit Invariant(InvariantName name) {
    const InvariantInfo& info = invariant_info(name);
    m_result.name = std::string(info.name);
    m_result.requirement = std::string(info.requirement);
  }
  void check(bool ok, const std::string& what_went_wrong) {
    check_with(ok, [&what_went_wrong] { return what_went_wrong; });
  }
  // The same, with the detail made only for the first violation.
  template <class Detail>
  void check_with(bool ok, Detail&& detail) {
    ++m_result.checks;
    if (!ok && m_result.held) {
      m_result.held = false;
      m_result.detail = detail();
      if (m_clock != nullptr) {
        m_result.first_violation_us = m_clock->now();
      }
    }
  }
  // An invariant checked as events happen records when it first failed (the trace's
  // inv_violation event carries it, so a chart can put the failure where it happened).
  void set_clock(const EventQueue& clock) { m_clock = &clock; }
  const InvariantResult& result() const { return m_result; }

 private:
  InvariantResult m_result;
  const EventQueue* m_clock = nullptr;
};

// Every invariant is judged by a checker: the world holds them in one list and appends
// their results to the report in that order.
class Checker {
 public:
  virtual ~Checker() = default;
  virtual void judge(std::vector<InvariantResult>& out) const = 0;
};

// exactly_once_delivery, no_forged_accepted, no_replay_accepted (ENV/RAT/SRV rules):
// every (message, recipient) the server accepted is delivered to that recipient's
// application exactly once by quiescence; nothing else is ever delivered.
class DeliveryChecker final : public Checker {
 public:
  struct Key {
    std::string sender;
    std::string recipient;  // user id, or group id for group messages
    std::uint64_t key_timestamp;
    std::uint64_t counter;
    auto operator<=>(const Key&) const = default;
  };
  void sent(std::uint64_t uid, const std::string& sender, TimeUs at);
  void sealed(const Key& key, std::uint64_t uid);  // the phone's msg_send for that uid
  void accepted(const std::string& from, const std::string& to,
                const envelope::EnvelopeHeader& header);
  void delivered(const std::string& recipient, const std::string& claimed_sender, ByteView body,
                 TimeUs at);
  // The recipient refused the message by a rule the spec documents as a finding: if it
  // is never delivered, group_newcomer_heard fails instead of exactly_once_delivery.
  void refused_by_design(const Key& key, const std::string& recipient);
  // A rule of the spec makes the message unreadable for this recipient: the recipient
  // reinstalled and the message is sealed to a share that went to its old installation
  // (STO-005; reinstall_loses_nothing judges the attempt), or its duration share reached the
  // recipient after its lifetime ended (KS-013). Owed a delivery attempt, not an opening, so
  // it is neither expected nor judged by exactly_once_delivery when it is not delivered.
  void unreadable_by_design(const Key& key, const std::string& recipient);
  void finish();
  void set_clock(const EventQueue& clock);

  std::uint64_t messages_sent() const { return m_sent.size(); }
  std::uint64_t expected() const { return m_expected.size(); }
  std::uint64_t deliveries() const { return m_deliveries; }
  // How many of the expected() deliveries have been made so far.
  std::uint64_t owed_delivered() const;
  LatencySummary latency() const;
  // Every delivery's latency (first delivery of each message to each recipient), in order.
  const std::vector<std::uint64_t>& latencies_us() const { return m_latency_us; }
  std::vector<InvariantResult> results() const;
  void judge(std::vector<InvariantResult>& out) const override;

 private:
  struct Sent {
    std::string sender;
    TimeUs at;
  };
  std::map<std::uint64_t, Sent> m_sent;
  std::map<Key, std::uint64_t> m_by_key;
  std::set<std::pair<std::uint64_t, std::string>> m_expected;
  std::map<std::pair<std::uint64_t, std::string>, std::uint32_t> m_delivered;
  std::set<std::pair<std::uint64_t, std::string>> m_refused_by_design;
  std::set<std::pair<std::uint64_t, std::string>> m_unreadable_by_design;
  std::vector<std::uint64_t> m_latency_us;
  std::uint64_t m_deliveries = 0;
  Invariant m_exactly_once{InvariantName::kExactlyOnceDelivery};
  Invariant m_newcomer{InvariantName::kGroupNewcomerHeard};
  Invariant m_no_forgery{InvariantName::kNoForgedAccepted};
  Invariant m_no_replay{InvariantName::kNoReplayAccepted};
};

// no_plaintext_on_server and no_key_material_exposed (Req8): no canary and no secret a
// phone created appears on the wire, in the server's state or in its log.
class SecrecyChecker final : public Checker {
 public:
  void add_secret(ByteView secret);
  void scan(std::string_view where, ByteView bytes);
  std::vector<InvariantResult> results() const;
  void judge(std::vector<InvariantResult>& out) const override;
  void set_clock(const EventQueue& clock) {
    m_plaintext.set_clock(clock);
    m_keys.set_clock(clock);
  }

 private:
  using Window = std::array<std::uint8_t, 16>;
  struct WindowHash {
    std::size_t operator()(const Window& w) const;
  };
  // Membership only; never iterated, so its order cannot reach any output.
  std::unordered_set<Window, WindowHash> m_secrets;
  // A 24-bit prefix filter: most byte offsets of a packet are rejected with one bit test.
  std::vector<bool> m_prefix = std::vector<bool>(1U << 24);
  Invariant m_plaintext{InvariantName::kNoPlaintextOnServer};
  Invariant m_keys{InvariantName::kNoKeyMaterialExposed};
};

// no_key_reuse (RAT-002, GRP-002): no message key is used for two messages.
class KeyReuseChecker final : public Checker {
 public:
  void used(const std::string& key_id, const std::string& who);
  InvariantResult result() const { return m_invariant.result(); }
  void set_clock(const EventQueue& clock) { m_invariant.set_clock(clock); }
  void judge(std::vector<InvariantResult>& out) const override { out.push_back(result()); }

 private:
  std::map<std::string, std::string> m_seen;
  Invariant m_invariant{InvariantName::kNoKeyReuse};
};

}  // namespace spmc::sim
