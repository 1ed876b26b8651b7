#pragma once
// The malicious server as certificate authority (spec/requirements_evidence.md), shared by
// server_substitutes_keys (one way) and server_mitm (both ways, and it answers the hardened
// U2U challenges itself, A-36).
#include <array>
#include <map>

#include "adversary.hpp"
#include "spmc/u2u.hpp"

namespace spmc::sim {

class KeySubstitution final : public Adversary {
 public:
  KeySubstitution(WorldApi& world, AttackState& state, Aim& aim, bool both_ways);

  TapVerdict on_packet(Packet& packet) override;
  void on_server_transmit(server::Address to, Bytes& frame) override;
  void on_relayed(const std::string& from, const std::string& to, proto::PayloadKind kind,
                  ByteView payload) override;
  void start() override;
  bool server_records() const override { return true; }
  bool judges_reads() const override { return true; }
  std::optional<ContactEdge> u2u_target() const override { return ContactEdge{m_a, m_b}; }
  // Aimed at a pair of its own choosing, the U2U sessions stay the workload's: does U2U
  // protect a pair that never runs it?
  bool forces_u2u() const override { return !m_aim.targeted() || m_aim.role() == "u2u_pair"; }
  void summary(std::vector<std::string>& findings) const override;
  void results(const AttackFindings& f, Report& report) const override;

 private:
  const Bytes& forged_cert(const std::string& user, std::uint8_t usage);
  void strike();
  std::optional<Bytes> reseal_share(const std::string& me, const std::string& peer,
                                    ByteView payload);
  std::optional<Bytes> rewrite_u2u(std::uint32_t from, ByteView payload);
  std::optional<crypto::Digest> mitm_value(int side) const;
  InvariantResult u2u_detects_mitm() const;

  WorldApi& m_world;
  AttackState& m_state;
  Aim& m_aim;
  const bool m_both;
  std::uint32_t m_a = 0;  // the attacked pair: a's key shares to b go through the server
  std::uint32_t m_b = 0;
  std::map<std::pair<std::string, std::uint8_t>, Bytes> m_forged;  // (user, usage) -> cert
  std::map<Bytes, Bytes> m_resealed;  // a payload as sent -> as forwarded
  // What it read of the U2U run (index 0: a, 1: b) and what it rewrote.
  std::array<std::optional<crypto::Digest>, 2> m_u2u_hash{};
  std::array<std::optional<u2u::Nonce>, 2> m_u2u_nonce{};
  int m_u2u_initiator = -1;
  std::uint64_t m_u2u_rewritten = 0;
  std::uint64_t m_certs_replaced = 0;
  // Timed (aim.hpp): certificates are forged only from the strike on, when the server tells
  // both phones their contact has new ones (as after a reinstall, STO-005).
  bool m_active = true;
  bool m_told_a = false;  // a forged certificate reached a / b (trace: adv_cert once each)
  bool m_told_b = false;
};

}  // namespace spmc::sim
