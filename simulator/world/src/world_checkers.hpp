#pragma once
// The invariants judged on the world's state at the end of a run, through WorldApi: U2U
// between honest pairs, the offline store at quiescence, quiescence itself, and the
// opt-in acked_items_deleted. The event-driven checkers are in checkers.hpp.
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "spmc/sim/checkers.hpp"
#include "world_api.hpp"

namespace spmc::sim {

// A pair of contacts that run U2U opt-in and authentication with matching secrets.
struct U2uPair {
  std::uint32_t a = 0;  // the requester
  std::uint32_t b = 0;
  bool started = false;
};

// u2u_honest_authenticates (Req5, U2U-003): both phones of every pair authenticate each
// other, except the pair an adversary sits between (judged by u2u_detects_mitm).
class U2uChecker final : public Checker {
 public:
  U2uChecker(const WorldApi& world, const std::vector<U2uPair>& pairs)
      : m_world(world), m_pairs(pairs) {}
  void attacked(std::optional<ContactEdge> pair) { m_attacked = pair; }
  void judge(std::vector<InvariantResult>& out) const override;

 private:
  const WorldApi& m_world;
  const std::vector<U2uPair>& m_pairs;
  std::optional<ContactEdge> m_attacked;
};

// offline_store_empty_at_quiescence (Req6, SRV-011).
class StoreChecker final : public Checker {
 public:
  explicit StoreChecker(const WorldApi& world) : m_world(world) {}
  void judge(std::vector<InvariantResult>& out) const override;

 private:
  const WorldApi& m_world;
};

// The phones' stores, judged at every restart (STO-009, STO-012, PH-023):
// store_restores_state: after a crash between two calls, the loaded state is the state the
//   phone held in memory (nothing it relied on was left unwritten);
// store_never_torn: the copy a restarted phone accepts is the last write that completed;
// history_keeps_delivered: the last text delivered to the application before a crash is in
//   the restarted phone's history (what was shown was also kept).
class PhoneStoreChecker final : public Checker {
 public:
  Invariant restores_state{InvariantName::kStoreRestoresState};
  Invariant never_torn{InvariantName::kStoreNeverTorn};
  Invariant history_keeps_delivered{InvariantName::kHistoryKeepsDelivered};
  void set_clock(const EventQueue& clock) {
    restores_state.set_clock(clock);
    never_torn.set_clock(clock);
    history_keeps_delivered.set_clock(clock);
  }
  // Judged in worlds whose phones can restart (crashes, storage faults, PIN lockouts).
  void enable() { m_enabled = true; }
  void judge(std::vector<InvariantResult>& out) const override {
    if (!m_enabled) {
      return;
    }
    out.push_back(restores_state.result());
    out.push_back(never_torn.result());
    out.push_back(history_keeps_delivered.result());
  }

 private:
  bool m_enabled = false;
};

// quiescence_reached: the liveness phase ended with no work in flight.
class QuiescenceChecker final : public Checker {
 public:
  void reached(bool calm, std::string blocker) {
    m_calm = calm;
    m_blocker = std::move(blocker);
  }
  void judge(std::vector<InvariantResult>& out) const override;

 private:
  bool m_calm = false;
  std::string m_blocker;
};

// The message id a frame the server received acknowledges, if it is an Ack (SRV-012).
std::optional<std::uint64_t> acked_message_id(ByteView frame);

// acked_items_deleted (Req6, SRV-011, REQ-6.deleted_on_ack), opt-in: every relayed item
// whose recipient's Ack reached the server is deleted from the store by the end of the run.
// Acks are read off the frames the server receives, after every tap (what the server got).
class AckChecker final : public Checker {
 public:
  void relayed(const std::string& to, std::uint64_t id) { m_relayed.emplace(to, id); }
  void deleted(const std::string& to, std::uint64_t id) { m_deleted.emplace(to, id); }
  void received(const std::string& from, ByteView frame);
  void judge(std::vector<InvariantResult>& out) const override;

 private:
  std::set<std::pair<std::string, std::uint64_t>> m_relayed;
  std::set<std::pair<std::string, std::uint64_t>> m_acked;
  std::set<std::pair<std::string, std::uint64_t>> m_deleted;
};

}  // namespace spmc::sim
