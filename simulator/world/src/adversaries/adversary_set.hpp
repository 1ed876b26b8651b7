#pragma once
// The adversaries of one run, as the world sees them: built from the scenario's names
// through the registry, called at the world's hook points in registry order, and judged
// together at the end (the common findings and adversary_reads_nothing, then each attack's
// own results). The world knows this class and the registry's names, never an attack.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "adversary.hpp"

namespace spmc::sim {

class AdversarySet {
 public:
  AdversarySet(WorldApi& world, const std::vector<AdversarySpec>& specs);
  ~AdversarySet();
  AdversarySet(const AdversarySet&) = delete;
  AdversarySet& operator=(const AdversarySet&) = delete;

  // Sits on the wire when any adversary is present (null otherwise).
  NetworkTap* tap() { return m_tap.get(); }

  void start();
  void on_server_transmit(server::Address to, Bytes& frame);
  void on_relayed(const std::string& from, const std::string& to, proto::PayloadKind kind,
                  ByteView payload);
  void on_email() { ++m_state.emails_seen; }
  void on_phone_event(std::uint32_t index, const phone::PhoneEvent& event);
  // The pair whose U2U run an attack sits between: the world's first U2U session, and not
  // judged by u2u_honest_authenticates.
  std::optional<ContactEdge> u2u_target() const;
  // The pair the world's first U2U session must be, if an attack needs it.
  std::optional<ContactEdge> u2u_session() const;
  void results(Report& r) const;

 private:
  class Tap;

  WorldApi& m_world;
  std::set<std::string> m_names;
  AttackState m_state;
  std::vector<std::unique_ptr<Aim>> m_aims;           // one per attack, same order
  std::vector<std::unique_ptr<Adversary>> m_attacks;  // registry order
  std::unique_ptr<NetworkTap> m_tap;
  bool m_server_records = false;
};

}  // namespace spmc::sim
