#pragma once
// What an adversary or a world-level checker may see and do in the world: time and
// scheduling, the trace, read-only views of the phones and the server, the powers of a
// malicious server (certify, push, wake), the network's inject, and the few user actions an
// attack scenario scripts. The world implements it; nothing here exposes how the world is
// built, so an attack or an invariant is written against this file alone.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spmc/phone.hpp"
#include "spmc/profile.hpp"
#include "spmc/server.hpp"
#include "spmc/sim/contact_graph.hpp"
#include "spmc/sim/event_queue.hpp"
#include "spmc/sim/network.hpp"
#include "spmc/sim/random.hpp"
#include "spmc/sim/trace.hpp"

namespace spmc::sim {

// When the safety phase starts, in virtual time (the bootstrap before it: sign-ups, contacts,
// groups); an aimed adversary's `when.at_ms` lies in the safety phase.
inline constexpr TimeUs kSafetyStartsAtUs = 30 * kUsPerSecond;

class WorldApi {
 public:
  // Time and scheduling (virtual time).
  virtual TimeUs now() const = 0;
  virtual void schedule_at(TimeUs at, EventQueue::Action action) = 0;
  virtual void schedule_after(TimeUs delay, EventQueue::Action action) = 0;
  virtual TimeUs safety_length() const = 0;  // of the safety phase
  virtual bool in_safety() const = 0;        // workload and faults are on

  // Recording.
  virtual void record(const TraceEvent& event) = 0;
  virtual void record(std::string_view kind, std::uint32_t phone, const std::string& detail) = 0;
  // Replaces the abstract-trace projection when someone reads the abstract trace.
  virtual void set_abstract_projection(Trace::Projection projection) = 0;

  // Read-only views.
  virtual const Profile& profile() const = 0;
  virtual const SeedTree& seeds() const = 0;
  virtual const std::vector<ContactEdge>& contact_edges() const = 0;
  virtual std::uint32_t phone_count() const = 0;
  virtual const phone::Phone& phone(std::uint32_t index) const = 0;
  virtual const std::string& user_of(std::uint32_t index) const = 0;  // empty before sign-up
  virtual std::optional<std::uint32_t> index_of(const std::string& user) const = 0;
  virtual const std::vector<std::string>& groups_of(std::uint32_t index) const = 0;
  virtual bool online(std::uint32_t index) const = 0;       // up and connected to the network
  virtual std::optional<ContactEdge> u2u_pair() const = 0;  // the first U2U session's pair
  virtual const server::ChatServer& server() const = 0;
  virtual TimeMs server_now_ms() const = 0;

  // The malicious server's powers (spec/requirements.md, MAL): certify its own key under a
  // user's id, store and push a Deliver it made up, and run its timers after doing so.
  virtual Bytes forge_certificate(const std::string& user, std::uint8_t usage,
                                  ByteView public_key) = 0;
  virtual void server_push(const std::string& to, const std::string& from, proto::PayloadKind kind,
                           Bytes payload) = 0;
  virtual void server_wake() = 0;
  // ... and tell `to` its contact `user` has new certificates (as after a reinstall).
  virtual void server_push_contact(const std::string& to, const std::string& user) = 0;

  // The network attacker's power: a packet on the wire, claimed to come from `from`.
  virtual void inject_packet(NodeId from, NodeId to, Bytes bytes, TimeUs delay) = 0;

  // Users an attack scenario scripts: `from` writes to `to` (or to `group`) as soon as its
  // phone is up; an organiser removes a member from a group.
  virtual void send_text(std::uint32_t from, std::uint32_t to,
                         std::optional<std::string> group = std::nullopt) = 0;
  virtual Status remove_from_group(std::uint32_t organiser, const std::string& group,
                                   const std::string& member) = 0;

 protected:
  ~WorldApi() = default;
};

}  // namespace spmc::sim
