#include "spmc/sim/swarm.hpp"

#include <algorithm>
#include <string_view>

#include "spmc/bytes.hpp"
#include "spmc/check.hpp"
#include "spmc/crypto.hpp"
#include "spmc/sim/random.hpp"

namespace spmc::sim {

namespace {

// One stream per field, named after it: the draw of a field depends only on the seed, its
// label and its own range.
class Draw {
 public:
  Draw(std::uint64_t seed, std::uint32_t on_ppm)
      : m_tree(SeedTree(seed).child("swarm")), m_on_ppm(on_ppm) {}

  std::uint64_t in(std::string_view label, SwarmSpan span) const {
    SPMC_CHECK(span.lo <= span.hi);
    Prng rng = m_tree.stream(label);
    return rng.uniform_range(span.lo, span.hi);
  }
  template <typename T>
  void set(std::string_view label, T& out, SwarmSpan span) const {
    out = static_cast<T>(in(label, span));
  }
  // The swarm-testing switch of one feature.
  bool on(std::string_view feature) const {
    Prng rng = m_tree.stream(feature);
    return rng.bernoulli_ppm(m_on_ppm);
  }
  // A value of `span` when `feature` is on, else 0 (the feature's "off" in the schema).
  template <typename T>
  void set_if_on(std::string_view feature, std::string_view label, T& out, SwarmSpan span) const {
    out = on(feature) ? static_cast<T>(in(label, span)) : T{0};
  }

 private:
  SeedTree m_tree;
  std::uint32_t m_on_ppm;
};

SwarmSpan clamp_hi(SwarmSpan span, std::uint64_t hi) {
  span.hi = std::min(span.hi, hi);
  span.lo = std::min(span.lo, span.hi);
  return span;
}

void draw_topology(const Draw& d, const SwarmRanges& r, Scenario& s) {
  TopologyConfig& t = s.topology;
  d.set("topology.regions", t.regions, r.regions);
  d.set("topology.access_per_region", t.access_per_region, r.access_per_region);
  d.set("topology.server_region", t.server_region, {0, t.regions - 1});
  const auto link = [&](std::string_view name, LinkParams& out) {
    const std::string label = "topology." + std::string(name);
    d.set(label + ".latency_us", out.latency_us, r.link_latency_us);
    d.set(label + ".jitter_us", out.jitter_us, {0, out.latency_us});
  };
  link("core_link", t.core_link);
  link("region_link", t.region_link);
  link("access_link", t.access_link);
  LinkParams& access = t.access_link;
  if (d.on("topology.access_link.faults")) {
    d.set("topology.access_link.loss_ppm", access.loss_ppm, r.access_link_fault_ppm);
    d.set("topology.access_link.duplication_ppm", access.duplication_ppm, r.access_link_fault_ppm);
    d.set("topology.access_link.reorder_ppm", access.reorder_ppm, r.access_link_fault_ppm);
    d.set("topology.access_link.reorder_delay_max_us", access.reorder_delay_max_us,
          r.reorder_delay_max_us);
  }
}

void draw_workload(const Draw& d, const SwarmRanges& r, const SwarmProfile& profile, Scenario& s) {
  constexpr ContactGraphKind kKinds[] = {
      ContactGraphKind::kSmallWorld, ContactGraphKind::kErdosRenyi, ContactGraphKind::kPreferential,
      ContactGraphKind::kComplete};
  s.contacts.kind = kKinds[d.in("contacts.kind", {0, std::size(kKinds) - 1})];
  d.set("contacts.degree", s.contacts.degree, clamp_hi(r.contact_degree, s.phones - 1));
  d.set("contacts.rewire_ppm", s.contacts.rewire_ppm, r.rewire_ppm);

  WorkloadConfig& w = s.workload;
  d.set("workload.messages_per_phone_per_minute", w.messages_per_phone_per_minute,
        r.messages_per_phone_per_minute);
  d.set("workload.message_size_min", w.message_size_min, r.message_size);
  d.set("workload.message_size_max", w.message_size_max,
        {w.message_size_min, std::max<std::uint64_t>(w.message_size_min, r.message_size.hi)});
  GroupsConfig& g = w.groups;
  d.set_if_on("workload.groups", "workload.groups.count", g.count, r.groups);
  if (g.count > 0) {  // the loader wants size_max <= phones only when groups exist
    d.set("workload.groups.size_min", g.size_min, {2, s.phones});
    d.set("workload.groups.size_max", g.size_max, {g.size_min, s.phones});
    d.set_if_on("workload.groups.changes", "workload.groups.changes_per_hour", g.changes_per_hour,
                r.group_changes_per_hour);
    if (!profile.group_changes) {
      g.changes_per_hour = 0;
    }
  }
  d.set_if_on("workload.u2u", "workload.u2u_sessions", w.u2u_sessions, r.u2u_sessions);

  if (d.on("churn")) {
    d.set("churn.offline_per_phone_per_day", s.churn.offline_per_phone_per_day,
          r.offline_per_phone_per_day);
    d.set("churn.mean_offline_ms", s.churn.mean_offline_ms, r.mean_offline_ms);
  }
}

void draw_faults(const Draw& d, const SwarmRanges& r, Scenario& s) {
  FaultConfig& n = s.faults.network;
  d.set_if_on("faults.loss", "faults.loss_ppm", n.loss_ppm, r.loss_ppm);
  d.set_if_on("faults.duplication", "faults.duplication_ppm", n.duplication_ppm, r.duplication_ppm);
  if (d.on("faults.reorder")) {
    d.set("faults.reorder_ppm", n.reorder_ppm, r.reorder_ppm);
    d.set("faults.reorder_delay_max_us", n.reorder_delay_max_us, r.reorder_delay_max_us);
  }
  if (d.on("faults.spike")) {
    d.set("faults.spike_ppm", n.spike_ppm, r.spike_ppm);
    d.set("faults.spike_delay_min_us", n.spike_delay_min_us, r.spike_delay_us);
    d.set(
        "faults.spike_delay_max_us", n.spike_delay_max_us,
        {n.spike_delay_min_us, std::max<std::uint64_t>(n.spike_delay_min_us, r.spike_delay_us.hi)});
  }
  PartitionFaults& p = s.faults.partitions;
  if (d.on("faults.partitions")) {
    d.set("faults.partitions.per_hour", p.per_hour, r.partitions_per_hour);
    d.set("faults.partitions.mean_duration_ms", p.mean_duration_ms, r.partition_duration_ms);
    d.set("faults.partitions.one_way_ppm", p.one_way_ppm, {0, kPpmOne});
    d.set("faults.partitions.side_max_ppm", p.side_max_ppm, {0, kPpmOne});
    d.set("faults.partitions.server_side_ppm", p.server_side_ppm, {0, kPpmOne});
  }
  CrashFaults& c = s.faults.crashes;
  d.set_if_on("faults.crashes.phone", "faults.crashes.phone_per_hour", c.phone_per_hour,
              r.phone_crashes_per_hour);
  d.set_if_on("faults.crashes.server", "faults.crashes.server_per_hour", c.server_per_hour,
              r.server_crashes_per_hour);
  if (c.phone_per_hour > 0 || c.server_per_hour > 0) {
    d.set("faults.crashes.mean_downtime_ms", c.mean_downtime_ms, r.crash_downtime_ms);
  }
  if (d.on("faults.clock")) {
    d.set("faults.clock.max_skew_ms", s.faults.clock.max_skew_ms, r.clock_skew_ms);
    d.set("faults.clock.max_drift_ppm", s.faults.clock.max_drift_ppm, r.clock_drift_ppm);
  }
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

void draw_adversaries(const Draw& d, const SwarmProfile& profile, Scenario& s) {
  std::vector<const SwarmAdversary*> added;
  for (const SwarmAdversary& a : profile.adversaries) {
    // The switch is drawn first, whatever the world, so the draws never depend on each other.
    const bool on = d.on("adversaries." + a.name);
    const bool fits = (!a.needs_groups || s.workload.groups.count > 0) &&
                      (!a.no_server_crashes || s.faults.crashes.server_per_hour == 0);
    const bool clash = std::any_of(added.begin(), added.end(), [&](const SwarmAdversary* b) {
      return contains(a.excludes, b->name) || contains(b->excludes, a.name);
    });
    if (on && fits && !clash) {
      added.push_back(&a);
      s.adversaries.push_back(a.name);
    }
  }
}

}  // namespace

void set_swarm_profile(Scenario& scenario, const Profile& profile) { scenario.profile = profile; }

Scenario swarm_scenario(std::uint64_t seed, const SwarmRanges& ranges) {
  const Draw d(seed, ranges.feature_on_ppm);
  Scenario s;
  s.name = "swarm-" + std::to_string(seed);
  std::vector<SwarmProfile> every;
  if (ranges.profiles.empty()) {
    for (const Profile* p : all_profiles()) {
      every.push_back({p, true, {}});
    }
  }
  const std::vector<SwarmProfile>& profiles = ranges.profiles.empty() ? every : ranges.profiles;
  const SwarmProfile& chosen = profiles[d.in("profile", {0, profiles.size() - 1})];
  SPMC_CHECK(chosen.profile != nullptr);
  set_swarm_profile(s, *chosen.profile);
  SPMC_CHECK(ranges.phones.lo >= 2);  // a contact graph and a group need two phones
  d.set("phones", s.phones, ranges.phones);
  draw_topology(d, ranges, s);
  draw_workload(d, ranges, chosen, s);
  draw_faults(d, ranges, s);
  d.set("phases.safety_ms", s.phases.safety_ms, ranges.safety_ms);
  draw_adversaries(d, chosen, s);
  return s;
}

std::string swarm_configuration_key(const Scenario& scenario) {
  nlohmann::ordered_json j = scenario_to_json(scenario);
  j.erase("name");
  const std::string text = j.dump();
  return to_hex(
      crypto::sha256(ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size())));
}

}  // namespace spmc::sim
