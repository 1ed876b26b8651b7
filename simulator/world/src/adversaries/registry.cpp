// The one list of adversaries: an attack is a file in this folder that defines
// `AdversaryEntry <name>_adversary()`, plus its line here. The catalogue (names a scenario
// may list, with their spec ids) is this list; its order is the order hooks run in.
#include <algorithm>

#include "adversary.hpp"
#include "spmc/sim/adversary.hpp"
#include "spmc/sim/names.hpp"

namespace spmc::sim {

#define SPMC_ADVERSARIES(X)  \
  X(observer)                \
  X(curious_server)          \
  X(server_substitutes_keys) \
  X(server_mitm)             \
  X(server_forges_key_share) \
  X(server_replays)          \
  X(network_attacker)        \
  X(device_compromise)       \
  X(removed_member)          \
  X(server_drops_acks)

#define SPMC_DECLARE(name) AdversaryEntry name##_adversary();
SPMC_ADVERSARIES(SPMC_DECLARE)
#undef SPMC_DECLARE

const std::vector<AdversaryEntry>& adversary_registry() {
#define SPMC_ENTRY(name) name##_adversary(),
  static const std::vector<AdversaryEntry> kAll = {SPMC_ADVERSARIES(SPMC_ENTRY)};
#undef SPMC_ENTRY
  return kAll;
}

const std::vector<AdversaryInfo>& adversary_catalogue() {
  static const std::vector<AdversaryInfo> kAll = [] {
    std::vector<AdversaryInfo> all;
    for (const AdversaryEntry& e : adversary_registry()) {
      all.push_back({e.name, e.id, e.what});
    }
    return all;
  }();
  return kAll;
}

const ScenarioVocabulary& scenario_vocabulary() {
  static const ScenarioVocabulary kVocabulary = [] {
    ScenarioVocabulary v;
    for (const AdversaryEntry& e : adversary_registry()) {
      v.adversaries.emplace_back(e.name);
      if (e.aim.target_phones != 0 || e.aim.at || e.aim.after || e.aim.every) {
        AdversaryAimRules r{std::string(e.name), e.aim.target_phones, {}, e.aim.at,
                            e.aim.after,         e.aim.every};
        r.roles.assign(e.aim.roles.begin(), e.aim.roles.end());
        v.aims.push_back(std::move(r));
      }
    }
    v.safety_starts_at_ms = kSafetyStartsAtUs / kUsPerMs;
    v.invariants = known_invariant_names();
    return v;
  }();
  return kVocabulary;
}

Result<Scenario> parse_scenario(std::string_view json_text, std::string_view source) {
  return parse_scenario(json_text, source, scenario_vocabulary());
}

Result<Scenario> load_scenario(const std::string& path) {
  return load_scenario(path, scenario_vocabulary());
}

// The victims keep chatting: a writes to b after the attack is in place, so its outcome
// never depends on whether the random workload happened to pick that pair. Once per run,
// whichever attacks need it.
void keep_victims_chatting(WorldApi& world, AttackState& state, std::uint32_t a, std::uint32_t b) {
  if (!state.victims_chatting.emplace(a, b).second) {
    return;
  }
  world.schedule_after(world.safety_length() / 2 + 5 * kUsPerSecond,
                       [&world, a, b] { world.send_text(a, b); });
}

InvariantResult make_invariant(InvariantName name) {
  const InvariantInfo& info = invariant_info(name);
  InvariantResult r;
  r.name = std::string(info.name);
  r.requirement = std::string(info.requirement);
  return r;
}

void violate(InvariantResult& r, const std::string& detail) {
  if (r.held) {
    r.held = false;
    r.detail = detail;
  }
}

std::string describe(const ReadMessage& m) {
  return "message " + std::to_string(m.uid) + " from " + m.from + " to " + m.to + " (recorded at " +
         std::to_string(m.recorded_at / kUsPerMs) + " ms)";
}

}  // namespace spmc::sim
