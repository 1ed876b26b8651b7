#pragma once
// Where and when one adversary strikes (SCHEMA.md, "Aimed adversaries"). A plain-name entry
// has nothing aimed: target() gives the adversary's own default phones and arm() is never
// called, so the run is exactly the fixed attack (same events, same trace). An aimed entry
// resolves its role at the moment of the strike (the organiser of the first group, its newest
// member, a phone offline right now, the first U2U pair, a random contact pair drawn from the
// adversary's own stream), and its timing (a virtual time, just after the n-th event, or
// every so often through the safety phase); each strike is a trace event `adv_strike` and a
// line of the report.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "../world_api.hpp"
#include "spmc/sim/scenario.hpp"

namespace spmc::sim {

class Aim {
 public:
  Aim(WorldApi& world, AdversarySpec spec, std::size_t entry);

  const AdversarySpec& spec() const { return m_spec; }
  bool targeted() const { return m_spec.target.given(); }
  bool timed() const { return m_spec.when.given(); }
  const std::string& role() const { return m_spec.target.role; }

  // The phones to strike now: `count` 1 (one phone) or 2 (a pair, a sends to b). Not aimed:
  // `fallback`. Nothing when the role names no phone at this moment.
  std::optional<std::vector<std::uint32_t>> target(std::size_t count,
                                                   std::vector<std::uint32_t> fallback) const;
  // Runs `strike` when `when` says (the adversary's own timing is used when not timed). A
  // strike whose role names no phone yet is tried again a second later, in the safety phase.
  void arm(std::function<void()> strike);
  // The world saw an event `when.after` may name.
  void on_event(std::string_view event);

  // The strike hit `phones` (trace event and report line; nothing for a plain entry).
  void struck(const std::vector<std::uint32_t>& phones, const std::string& what);
  // It could not strike (the report says why).
  void missed(const std::string& why);
  void summary(std::vector<std::string>& findings) const;

 private:
  std::optional<std::uint32_t> organiser_now(std::string* group) const;
  std::string describe_when() const;
  void fire();
  void repeat();

  WorldApi& m_world;
  const AdversarySpec m_spec;
  std::optional<ContactEdge> m_random_pair;  // drawn once, from the adversary's own stream
  std::function<void()> m_strike;
  std::uint32_t m_seen = 0;  // events of when.after so far
  std::vector<std::string> m_strikes;
  std::vector<std::string> m_misses;
};

}  // namespace spmc::sim
