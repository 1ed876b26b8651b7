#include "spmc/sim/scenario.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "scenario_adversaries.hpp"
#include "spmc/locality/report.hpp"
#include "spmc/locality/topology.hpp"
#include "spmc/profile.hpp"
#include "spmc/sim/bounded_file.hpp"
#include "spmc/sim/profile_file.hpp"
#include "strict_json.hpp"

// One field list (the visit_* templates) drives both parsing and writing, so the
// defaults, bounds and names cannot drift apart between the two.

namespace spmc::sim {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr std::uint64_t kMaxDurationMs = 30ULL * 24 * 3600 * 1000;  // 30 days
constexpr std::uint64_t kMaxDelayUs = 600ULL * 1'000'000;           // 10 minutes

constexpr std::array<std::pair<std::string_view, ContactGraphKind>, 4> kContactKinds = {{
    {"small_world", ContactGraphKind::kSmallWorld},
    {"erdos_renyi", ContactGraphKind::kErdosRenyi},
    {"preferential", ContactGraphKind::kPreferential},
    {"complete", ContactGraphKind::kComplete},
}};

std::string join_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// Reads fields out of one JSON object, remembering which keys it consumed.
class Reader {
 public:
  Reader(const Json& object, std::string path, const std::string& source)
      : m_object(object), m_path(std::move(path)), m_source(source) {}

  Error error_at(const std::string& path, std::string_view reason) const {
    return make_error(ErrorCode::kBadValue, m_source + ": " + (path.empty() ? "(root)" : path) +
                                                ": " + std::string(reason));
  }
  Error error(std::string_view key, std::string_view reason) const {
    return error_at(join_path(m_path, key), reason);
  }
  const std::string& path() const { return m_path; }

  template <typename T>
  Status integer(std::string_view key, T& out, std::uint64_t lo, std::uint64_t hi) {
    const Json* value = find(key);
    if (value == nullptr) {
      return ok_status();
    }
    const bool fits = value->is_number_unsigned() && value->get<std::uint64_t>() >= lo &&
                      value->get<std::uint64_t>() <= hi;
    if (!fits) {
      return error(
          key, "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
    out = static_cast<T>(value->get<std::uint64_t>());
    return ok_status();
  }

  Status text(std::string_view key, std::string& out, std::size_t max_length) {
    const Json* value = find(key);
    if (value == nullptr) {
      return ok_status();
    }
    if (!value->is_string() || value->get_ref<const std::string&>().size() > max_length) {
      return error(key,
                   "must be a string of at most " + std::to_string(max_length) + " characters");
    }
    out = value->get<std::string>();
    return ok_status();
  }

  // `options`: pairs of (name, value), an array or a vector.
  template <typename T, typename Options>
  Status choice(std::string_view key, T& out, const Options& options) {
    const Json* value = find(key);
    if (value == nullptr) {
      return ok_status();
    }
    for (const auto& [name, option] : options) {
      if (value->is_string() && value->get_ref<const std::string&>() == name) {
        out = option;
        return ok_status();
      }
    }
    std::string reason = "must be one of";
    for (std::size_t i = 0; i < options.size(); ++i) {
      reason += (i == 0 ? " \"" : ", \"") + std::string(options[i].first) + "\"";
    }
    return error(key, reason);
  }

  // A built-in profile's name, or a whole profile object (profile_file.hpp).
  Status profile(std::string_view key, Profile& out) {
    const Json* value = find(key);
    if (value == nullptr) {
      return ok_status();
    }
    if (value->is_string()) {
      const Profile* builtin = builtin_profile(value->get_ref<const std::string&>());
      if (builtin == nullptr) {
        std::string list;
        for (const Profile& p : builtin_profiles()) {
          list += (list.empty() ? "\"" : ", \"") + p.name + "\"";
        }
        return error(key, "must be one of " + list + " or a profile object");
      }
      out = *builtin;
      return ok_status();
    }
    SPMC_TRY(out, profile_from_json(*value, m_source, join_path(m_path, key)));
    return ok_status();
  }

  Status string_list(std::string_view key, std::vector<std::string>& out) {
    const Json* value = find(key);
    if (value == nullptr) {
      return ok_status();
    }
    if (!value->is_array()) {
      return error(key, "must be an array of strings");
    }
    std::vector<std::string> items;
    for (std::size_t i = 0; i < value->size(); ++i) {
      if (!(*value)[i].is_string()) {
        return error_at(join_path(m_path, key) + "[" + std::to_string(i) + "]", "must be a string");
      }
      items.push_back((*value)[i].get<std::string>());
    }
    out = std::move(items);
    return ok_status();
  }

  Status string_list_if_any(std::string_view key, std::vector<std::string>& out) {
    return string_list(key, out);
  }

  Status adversary_list(std::string_view key, std::vector<AdversarySpec>& out) {
    const Json* value = find(key);
    return value == nullptr ? ok_status()
                            : read_adversaries(*value, m_source, join_path(m_path, key), out);
  }

  template <typename Visit>
  Status object(std::string_view key, Visit&& visit) {
    const Json* value = find(key);
    if (value == nullptr) {
      return ok_status();
    }
    if (!value->is_object()) {
      return error(key, "must be an object");
    }
    Reader child(*value, join_path(m_path, key), m_source);
    SPMC_TRY_STATUS(visit(child));
    return child.finish();
  }

  // An object added after traces existed: read as any object (the writer leaves it out
  // while it holds T's defaults).
  template <typename T, typename Visit>
  Status object_unless_default(std::string_view key, T&, Visit&& visit) {
    return object(key, std::forward<Visit>(visit));
  }

  // An object that may be absent altogether: present, it is read over T's defaults.
  template <typename T, typename Visit>
  Status optional_object(std::string_view key, std::optional<T>& out, Visit&& visit) {
    const Json* value = find(key);
    if (value == nullptr) {
      return ok_status();
    }
    if (!value->is_object()) {
      return error(key, "must be an object");
    }
    T read = out.value_or(T{});
    Reader child(*value, join_path(m_path, key), m_source);
    SPMC_TRY_STATUS(visit(child, read));
    SPMC_TRY_STATUS(child.finish());
    out = std::move(read);
    return ok_status();
  }

  // Unknown keys are errors (a typo must not silently become a default). The object is a
  // std::map, so the first unknown key reported is the same on every run.
  Status finish() const {
    for (const auto& [key, value] : m_object.items()) {
      if (m_seen.count(key) == 0) {
        return error(key, "unknown field");
      }
    }
    return ok_status();
  }

 private:
  const Json* find(std::string_view key) {
    m_seen.emplace(key);
    const auto it = m_object.find(std::string(key));
    return it == m_object.end() ? nullptr : &*it;
  }

  const Json& m_object;
  std::string m_path;
  const std::string& m_source;
  std::set<std::string, std::less<>> m_seen;
};

// Writes every field into an ordered object, in visiting order.
class Writer {
 public:
  // `full`: objects added after traces existed are written at their defaults too.
  explicit Writer(OrderedJson& object, bool full = false) : m_object(object), m_full(full) {}

  template <typename T>
  Status integer(std::string_view key, const T& value, std::uint64_t, std::uint64_t) {
    m_object[std::string(key)] = static_cast<std::uint64_t>(value);
    return ok_status();
  }
  Status text(std::string_view key, const std::string& value, std::size_t) {
    m_object[std::string(key)] = value;
    return ok_status();
  }
  template <typename T, typename Options>
  Status choice(std::string_view key, const T& value, const Options& options) {
    for (const auto& [name, option] : options) {
      if (option == value) {
        m_object[std::string(key)] = name;
      }
    }
    return ok_status();
  }
  // A built-in by name (so every scenario written before profiles were data keeps its trace
  // header byte for byte), any other profile in full.
  Status profile(std::string_view key, const Profile& value) {
    const Profile* builtin = builtin_profile(value.name);
    if (builtin != nullptr && *builtin == value) {
      m_object[std::string(key)] = value.name;
    } else {
      m_object[std::string(key)] = profile_to_json(value);
    }
    return ok_status();
  }
  Status string_list(std::string_view key, const std::vector<std::string>& value) {
    m_object[std::string(key)] = value;
    return ok_status();
  }
  // Written only when not empty: a field added after traces existed, so every scenario
  // without it keeps the exact trace header (and trace_hash) it had before.
  Status string_list_if_any(std::string_view key, const std::vector<std::string>& value) {
    if (!value.empty()) {
      m_object[std::string(key)] = value;
    }
    return ok_status();
  }
  Status adversary_list(std::string_view key, const std::vector<AdversarySpec>& value) {
    m_object[std::string(key)] = write_adversaries(value);
    return ok_status();
  }
  template <typename Visit>
  Status object(std::string_view key, Visit&& visit) {
    OrderedJson child = OrderedJson::object();
    Writer writer(child, m_full);
    SPMC_TRY_STATUS(visit(writer));
    m_object[std::string(key)] = std::move(child);
    return ok_status();
  }
  // Written only when it differs from T's defaults (as string_list_if_any), or when full.
  template <typename T, typename Visit>
  Status object_unless_default(std::string_view key, const T& value, Visit&& visit) {
    if (!m_full && value == T{}) {
      return ok_status();
    }
    return object(key, std::forward<Visit>(visit));
  }
  // Written only when present: a field added after traces existed (as string_list_if_any).
  template <typename T, typename Visit>
  Status optional_object(std::string_view key, std::optional<T>& value, Visit&& visit) {
    if (!value) {
      return ok_status();
    }
    OrderedJson child = OrderedJson::object();
    Writer writer(child, m_full);
    SPMC_TRY_STATUS(visit(writer, *value));
    m_object[std::string(key)] = std::move(child);
    return ok_status();
  }

 private:
  OrderedJson& m_object;
  bool m_full = false;
};

constexpr std::uint64_t kPpm = kPpmOne;

template <typename V>
Status visit_link(V& v, LinkParams& link) {
  SPMC_TRY_STATUS(v.integer("latency_us", link.latency_us, 0, kMaxDelayUs));
  SPMC_TRY_STATUS(v.integer("jitter_us", link.jitter_us, 0, kMaxDelayUs));
  SPMC_TRY_STATUS(v.integer("loss_ppm", link.loss_ppm, 0, kPpm));
  SPMC_TRY_STATUS(v.integer("duplication_ppm", link.duplication_ppm, 0, kPpm));
  SPMC_TRY_STATUS(v.integer("reorder_ppm", link.reorder_ppm, 0, kPpm));
  return v.integer("reorder_delay_max_us", link.reorder_delay_max_us, 0, kMaxDelayUs);
}

template <typename V>
Status visit_topology(V& v, TopologyConfig& t) {
  SPMC_TRY_STATUS(v.integer("regions", t.regions, 1, 64));
  SPMC_TRY_STATUS(v.integer("access_per_region", t.access_per_region, 1, 1024));
  SPMC_TRY_STATUS(v.integer("server_region", t.server_region, 0, 63));
  SPMC_TRY_STATUS(v.object("core_link", [&](V& c) { return visit_link(c, t.core_link); }));
  SPMC_TRY_STATUS(v.object("region_link", [&](V& c) { return visit_link(c, t.region_link); }));
  return v.object("access_link", [&](V& c) { return visit_link(c, t.access_link); });
}

template <typename V>
Status visit_contacts(V& v, ContactGraphConfig& c) {
  SPMC_TRY_STATUS(v.choice("kind", c.kind, kContactKinds));
  SPMC_TRY_STATUS(v.integer("degree", c.degree, 0, 1000));
  return v.integer("rewire_ppm", c.rewire_ppm, 0, kPpm);
}

template <typename V>
Status visit_groups(V& v, GroupsConfig& g) {
  SPMC_TRY_STATUS(v.integer("count", g.count, 0, 100'000));
  SPMC_TRY_STATUS(v.integer("size_min", g.size_min, 2, 10'000));
  SPMC_TRY_STATUS(v.integer("size_max", g.size_max, 2, 10'000));
  return v.integer("changes_per_hour", g.changes_per_hour, 0, 1'000'000);
}

template <typename V>
Status visit_workload(V& v, WorkloadConfig& w) {
  SPMC_TRY_STATUS(
      v.integer("messages_per_phone_per_minute", w.messages_per_phone_per_minute, 0, 6000));
  SPMC_TRY_STATUS(v.integer("message_size_min", w.message_size_min, 0, 65536));
  SPMC_TRY_STATUS(v.integer("message_size_max", w.message_size_max, 0, 65536));
  SPMC_TRY_STATUS(v.object("groups", [&](V& g) { return visit_groups(g, w.groups); }));
  return v.integer("u2u_sessions", w.u2u_sessions, 0, 1'000'000);
}

template <typename V>
Status visit_churn(V& v, ChurnConfig& c) {
  SPMC_TRY_STATUS(v.integer("offline_per_phone_per_day", c.offline_per_phone_per_day, 0, 86'400));
  return v.integer("mean_offline_ms", c.mean_offline_ms, 1, kMaxDurationMs);
}

// The lifecycle (SCHEMA.md `lifecycle`): key lifetimes, reinstalls and clock jumps.
template <typename V>
Status visit_lifecycle(V& v, LifecycleConfig& l) {
  SPMC_TRY_STATUS(v.integer("key_lifetime_ms", l.key_lifetime_ms, 0, kMaxDurationMs));
  SPMC_TRY_STATUS(v.integer("reinstalls_per_hour", l.reinstalls_per_hour, 0, 3600));
  SPMC_TRY_STATUS(v.integer("clock_jumps_per_hour", l.clock_jumps_per_hour, 0, 1'000'000));
  SPMC_TRY_STATUS(v.integer("clock_jump_max_ms", l.clock_jump_max_ms, 0, kMaxDurationMs));
  SPMC_TRY_STATUS(v.integer("pin_mistype_ppm", l.pin_mistype_ppm, 0, kPpm));
  return v.integer("pin_lockouts_per_hour", l.pin_lockouts_per_hour, 0, 3600);
}

Status check_lifecycle(const LifecycleConfig& l, const Reader& root) {
  if (l.clock_jumps_per_hour > 0 && l.clock_jump_max_ms == 0) {
    return root.error_at("lifecycle.clock_jump_max_ms",
                         "must be >= 1 when lifecycle.clock_jumps_per_hour > 0");
  }
  return ok_status();
}

template <typename V>
Status visit_partitions(V& v, PartitionFaults& p) {
  SPMC_TRY_STATUS(v.integer("per_hour", p.per_hour, 0, 3600));
  SPMC_TRY_STATUS(v.integer("mean_duration_ms", p.mean_duration_ms, 1, kMaxDurationMs));
  SPMC_TRY_STATUS(v.integer("one_way_ppm", p.one_way_ppm, 0, kPpm));
  SPMC_TRY_STATUS(v.integer("side_max_ppm", p.side_max_ppm, 0, kPpm));
  return v.integer("server_side_ppm", p.server_side_ppm, 0, kPpm);
}

template <typename V>
Status visit_crashes(V& v, CrashFaults& c) {
  SPMC_TRY_STATUS(v.integer("phone_per_hour", c.phone_per_hour, 0, 1'000'000));
  SPMC_TRY_STATUS(v.integer("server_per_hour", c.server_per_hour, 0, 3600));
  return v.integer("mean_downtime_ms", c.mean_downtime_ms, 1, kMaxDurationMs);
}

template <typename V>
Status visit_clock(V& v, ClockFaults& c) {
  SPMC_TRY_STATUS(v.integer("max_skew_ms", c.max_skew_ms, 0, kMaxDurationMs));
  return v.integer("max_drift_ppm", c.max_drift_ppm, 0, 100'000);
}

template <typename V>
Status visit_storage(V& v, StorageFaults& s) {
  SPMC_TRY_STATUS(v.integer("lost_write_ppm", s.lost_write_ppm, 0, kPpm));
  SPMC_TRY_STATUS(v.integer("torn_write_ppm", s.torn_write_ppm, 0, kPpm));
  return v.integer("corrupt_read_ppm", s.corrupt_read_ppm, 0, kPpm);
}

template <typename V>
Status visit_faults(V& v, FaultsConfig& f) {
  FaultConfig& n = f.network;
  SPMC_TRY_STATUS(v.integer("loss_ppm", n.loss_ppm, 0, kPpm));
  SPMC_TRY_STATUS(v.integer("duplication_ppm", n.duplication_ppm, 0, kPpm));
  SPMC_TRY_STATUS(v.integer("reorder_ppm", n.reorder_ppm, 0, kPpm));
  SPMC_TRY_STATUS(v.integer("reorder_delay_max_us", n.reorder_delay_max_us, 0, kMaxDelayUs));
  SPMC_TRY_STATUS(v.integer("spike_ppm", n.spike_ppm, 0, kPpm));
  SPMC_TRY_STATUS(v.integer("spike_delay_min_us", n.spike_delay_min_us, 0, kMaxDelayUs));
  SPMC_TRY_STATUS(v.integer("spike_delay_max_us", n.spike_delay_max_us, 0, kMaxDelayUs));
  SPMC_TRY_STATUS(v.object("partitions", [&](V& c) { return visit_partitions(c, f.partitions); }));
  SPMC_TRY_STATUS(v.object("crashes", [&](V& c) { return visit_crashes(c, f.crashes); }));
  SPMC_TRY_STATUS(v.object("clock", [&](V& c) { return visit_clock(c, f.clock); }));
  return v.optional_object("storage", f.storage,
                           [](V& c, StorageFaults& st) { return visit_storage(c, st); });
}

template <typename V>
Status visit_phases(V& v, PhasesConfig& p) {
  SPMC_TRY_STATUS(v.integer("safety_ms", p.safety_ms, 0, kMaxDurationMs));
  SPMC_TRY_STATUS(v.integer("liveness_ms", p.liveness_ms, 0, kMaxDurationMs));
  return v.integer("liveness_max_events", p.liveness_max_events, 1, 1'000'000'000'000ULL);
}

template <typename V>
Status visit_locality(V& v, LocalityConfig& l) {
  SPMC_TRY_STATUS(v.text("deployment", l.deployment, 64));
  return v.string_list("countries", l.countries);
}

template <typename V>
Status visit_scenario(V& v, Scenario& s) {
  SPMC_TRY_STATUS(v.text("name", s.name, kScenarioNameMaxBytes));
  SPMC_TRY_STATUS(v.profile("profile", s.profile));
  SPMC_TRY_STATUS(v.integer("phones", s.phones, 1, 1'000'000));
  SPMC_TRY_STATUS(v.object("topology", [&](V& c) { return visit_topology(c, s.topology); }));
  SPMC_TRY_STATUS(v.object("contacts", [&](V& c) { return visit_contacts(c, s.contacts); }));
  SPMC_TRY_STATUS(v.object("workload", [&](V& c) { return visit_workload(c, s.workload); }));
  SPMC_TRY_STATUS(v.object("churn", [&](V& c) { return visit_churn(c, s.churn); }));
  SPMC_TRY_STATUS(v.object_unless_default("lifecycle", s.lifecycle,
                                          [&](V& c) { return visit_lifecycle(c, s.lifecycle); }));
  SPMC_TRY_STATUS(v.object("faults", [&](V& c) { return visit_faults(c, s.faults); }));
  SPMC_TRY_STATUS(v.object("phases", [&](V& c) { return visit_phases(c, s.phases); }));
  SPMC_TRY_STATUS(v.adversary_list("adversaries", s.adversaries));
  SPMC_TRY_STATUS(v.string_list("expected_violations", s.expected_violations));
  SPMC_TRY_STATUS(v.string_list_if_any("require_exercised", s.require_exercised));
  return v.optional_object("locality", s.locality,
                           [](V& c, LocalityConfig& l) { return visit_locality(c, l); });
}

// LOC-012: the deployment is one of LOC-005's and every country is one of the built-in
// topology's.
Result<CountryPlacement> resolve_locality(const LocalityConfig& l, const Reader& root) {
  const locality::Topology& topology = locality::builtin_topology();
  auto deployment = locality::parse_deployment(l.deployment, topology, "");
  if (!deployment) {
    // parse_deployment's reason after its empty source's ": ".
    return root.error_at("locality.deployment", deployment.error().detail.substr(2));
  }
  CountryPlacement placement{std::move(deployment.value()), {}};
  if (l.countries.empty()) {
    placement.phone_countries = topology.study();
  }
  for (std::size_t i = 0; i < l.countries.size(); ++i) {
    const auto country = topology.find(l.countries[i]);
    if (!country) {
      return root.error_at("locality.countries[" + std::to_string(i) + "]",
                           "unknown country '" + l.countries[i] + "' (spmc locality --json " +
                               "lists the topology's)");
    }
    placement.phone_countries.push_back(*country);
  }
  return placement;
}

// Each of `names` (the list at `field`) must be one of `known`.
Status check_names(const Reader& root, std::string_view field, std::string_view noun,
                   const std::vector<std::string>& names, const std::vector<std::string>& known) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (std::find(known.begin(), known.end(), names[i]) == known.end()) {
      std::string list;
      for (const std::string& name : known) {
        list += (list.empty() ? "" : ", ") + name;
      }
      return root.error_at(
          std::string(field) + "[" + std::to_string(i) + "]",
          "unknown " + std::string(noun) + " '" + names[i] + "' (one of: " + list + ")");
    }
  }
  return ok_status();
}

// Constraints between fields, checked after every field parsed on its own.
Status check_relations(const Scenario& s, const Reader& root, const std::string& source,
                       const ScenarioVocabulary& vocabulary) {
  const auto fail = [&](std::string_view path, const std::string& reason) {
    return root.error_at(std::string(path), reason);
  };
  if (s.topology.server_region >= s.topology.regions) {
    return fail("topology.server_region",
                "must be < topology.regions (" + std::to_string(s.topology.regions) + ")");
  }
  if (s.workload.message_size_max < s.workload.message_size_min) {
    return fail("workload.message_size_max", "must be >= workload.message_size_min (" +
                                                 std::to_string(s.workload.message_size_min) + ")");
  }
  if (s.workload.groups.size_max < s.workload.groups.size_min) {
    return fail("workload.groups.size_max", "must be >= workload.groups.size_min (" +
                                                std::to_string(s.workload.groups.size_min) + ")");
  }
  if (s.workload.groups.count > 0 && s.workload.groups.size_max > s.phones) {
    return fail("workload.groups.size_max",
                "must be <= phones (" + std::to_string(s.phones) + ") when groups exist");
  }
  SPMC_TRY_STATUS(check_lifecycle(s.lifecycle, root));
  SPMC_TRY_STATUS(check_adversaries(s, source, vocabulary));
  // An unknown name here could never be violated, so the run would FAIL for a typo.
  SPMC_TRY_STATUS(check_names(root, "expected_violations", "invariant", s.expected_violations,
                              vocabulary.invariants));
  SPMC_TRY_STATUS(check_names(root, "require_exercised", "invariant", s.require_exercised,
                              vocabulary.invariants));
  if (s.locality) {
    const auto placement = resolve_locality(*s.locality, root);
    if (!placement) {
      return placement.error();
    }
  }
  if (s.faults.network.spike_delay_max_us < s.faults.network.spike_delay_min_us) {
    return fail("faults.spike_delay_max_us",
                "must be >= faults.spike_delay_min_us (" +
                    std::to_string(s.faults.network.spike_delay_min_us) + ")");
  }
  return ok_status();
}

}  // namespace

Result<Scenario> parse_scenario(std::string_view json_text, std::string_view source,
                                const ScenarioVocabulary& vocabulary) {
  const std::string source_name(source);
  SPMC_TRY(const Json document, parse_strict_json(json_text, source_name));
  Reader root(document, "", source_name);
  if (!document.is_object()) {
    return root.error_at("", "must be an object");
  }
  Scenario scenario;
  SPMC_TRY_STATUS(visit_scenario(root, scenario));
  SPMC_TRY_STATUS(root.finish());
  SPMC_TRY_STATUS(check_relations(scenario, root, source_name, vocabulary));
  return scenario;
}

Result<Scenario> load_scenario(const std::string& path, const ScenarioVocabulary& vocabulary) {
  SPMC_TRY(const std::string text, read_bounded_file(path, kMaxScenarioBytes));
  return parse_scenario(text, path, vocabulary);
}

std::optional<CountryPlacement> country_placement(const Scenario& scenario) {
  if (!scenario.locality) {
    return std::nullopt;
  }
  const Json empty = Json::object();
  const std::string source = "scenario";
  const Reader root(empty, "", source);
  auto placement = resolve_locality(*scenario.locality, root);
  SPMC_CHECK(placement.ok());  // the loader checked it (check_relations)
  return std::move(placement.value());
}

namespace {
OrderedJson write_scenario(const Scenario& scenario, bool full) {
  OrderedJson out = OrderedJson::object();
  Writer writer(out, full);
  Scenario copy = scenario;  // the visitors take non-const references
  const Status status = visit_scenario(writer, copy);
  SPMC_CHECK(status.ok());
  return out;
}
}  // namespace

nlohmann::ordered_json scenario_to_json(const Scenario& scenario) {
  return write_scenario(scenario, false);
}

nlohmann::ordered_json scenario_to_json_full(const Scenario& scenario) {
  return write_scenario(scenario, true);
}

}  // namespace spmc::sim
