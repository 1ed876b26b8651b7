// The `adversaries` field of a scenario (SCHEMA.md, "Aimed adversaries"): each entry a plain
// name (the adversary's fixed attack, written back as the same plain string so every trace
// header stays byte for byte what it was) or an object naming its target and its timing.
// What each adversary accepts comes from the vocabulary (the world's registry): the engine
// only checks, it never knows an attack.
#include "scenario_adversaries.hpp"

#include <algorithm>
#include <set>

namespace spmc::sim {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr std::uint64_t kMaxEveryMs = 30ULL * 24 * 3600 * 1000;
constexpr std::uint64_t kMinEveryMs = 100;
constexpr std::uint32_t kMaxNth = 1'000'000;

Error fail(const std::string& source, const std::string& path, const std::string& reason) {
  return make_error(ErrorCode::kBadValue, source + ": " + path + ": " + reason);
}

template <typename List>
std::string one_of(const List& names) {
  std::string list;
  for (const auto& n : names) {
    list += (list.empty() ? "" : ", ") + std::string(n);
  }
  return "one of: " + list;
}

// Every key of `object` must be in `known`.
Status only_keys(const Json& object, std::initializer_list<std::string_view> known,
                 const std::string& source, const std::string& path) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return fail(source, path + "." + key, "unknown field");
    }
  }
  return ok_status();
}

Result<std::uint64_t> number(const Json& value, const std::string& source, const std::string& path,
                             std::uint64_t lo, std::uint64_t hi) {
  if (!value.is_number_unsigned() || value.get<std::uint64_t>() < lo ||
      value.get<std::uint64_t>() > hi) {
    return fail(source, path,
                "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  return value.get<std::uint64_t>();
}

Status read_target(const Json& t, const std::string& source, const std::string& path,
                   AdversaryTarget& out) {
  if (!t.is_object()) {
    return fail(source, path, "must be an object");
  }
  SPMC_TRY_STATUS(only_keys(t, {"phones", "role"}, source, path));
  if (t.contains("phones") == t.contains("role")) {
    return fail(source, path, "give exactly one of phones, role");
  }
  if (t.contains("role")) {
    const Json& r = t.at("role");
    const auto known = std::find(std::begin(kAdversaryRoles), std::end(kAdversaryRoles),
                                 r.is_string() ? r.get<std::string>() : std::string());
    if (!r.is_string() || known == std::end(kAdversaryRoles)) {
      return fail(source, path + ".role",
                  (r.is_string() ? "unknown role '" + r.get<std::string>() + "' ("
                                 : std::string("must be a string (")) +
                      one_of(kAdversaryRoles) + ")");
    }
    out.role = r.get<std::string>();
    return ok_status();
  }
  const Json& p = t.at("phones");
  if (!p.is_array() || p.empty() || p.size() > 2) {
    return fail(source, path + ".phones", "must be an array of one or two phone indices");
  }
  for (std::size_t i = 0; i < p.size(); ++i) {
    SPMC_TRY(const std::uint64_t index,
             number(p[i], source, path + ".phones[" + std::to_string(i) + "]", 0, 999'999));
    out.phones.push_back(static_cast<std::uint32_t>(index));
  }
  return ok_status();
}

Status read_when(const Json& w, const std::string& source, const std::string& path,
                 AdversaryWhen& out) {
  if (!w.is_object()) {
    return fail(source, path, "must be an object");
  }
  SPMC_TRY_STATUS(only_keys(w, {"at_ms", "after", "n", "every_ms"}, source, path));
  const int kinds = static_cast<int>(w.contains("at_ms")) + static_cast<int>(w.contains("after")) +
                    static_cast<int>(w.contains("every_ms"));
  if (kinds != 1) {
    return fail(source, path, "give exactly one of at_ms, after, every_ms");
  }
  if (w.contains("n") && !w.contains("after")) {
    return fail(source, path + ".n", "only with after");
  }
  if (w.contains("at_ms")) {
    SPMC_TRY(out.at_ms, number(w.at("at_ms"), source, path + ".at_ms", 0, kMaxEveryMs * 2));
  }
  if (w.contains("every_ms")) {
    SPMC_TRY(out.every_ms,
             number(w.at("every_ms"), source, path + ".every_ms", kMinEveryMs, kMaxEveryMs));
  }
  if (w.contains("after")) {
    const Json& e = w.at("after");
    const auto known = std::find(std::begin(kAdversaryEvents), std::end(kAdversaryEvents),
                                 e.is_string() ? e.get<std::string>() : std::string());
    if (!e.is_string() || known == std::end(kAdversaryEvents)) {
      return fail(source, path + ".after",
                  (e.is_string() ? "unknown event '" + e.get<std::string>() + "' ("
                                 : std::string("must be a string (")) +
                      one_of(kAdversaryEvents) + ")");
    }
    out.after = e.get<std::string>();
    if (w.contains("n")) {
      SPMC_TRY(const std::uint64_t n, number(w.at("n"), source, path + ".n", 1, kMaxNth));
      out.n = static_cast<std::uint32_t>(n);
    }
  }
  return ok_status();
}

Status read_entry(const Json& e, const std::string& source, const std::string& path,
                  AdversarySpec& out) {
  if (e.is_string()) {
    out.name = e.get<std::string>();
    return ok_status();
  }
  if (!e.is_object()) {
    return fail(source, path, "must be a string (an adversary name) or an object");
  }
  SPMC_TRY_STATUS(only_keys(e, {"name", "target", "when"}, source, path));
  if (!e.contains("name") || !e.at("name").is_string()) {
    return fail(source, path + ".name", "must be a string (an adversary name)");
  }
  out.name = e.at("name").get<std::string>();
  if (e.contains("target")) {
    SPMC_TRY_STATUS(read_target(e.at("target"), source, path + ".target", out.target));
  }
  if (e.contains("when")) {
    SPMC_TRY_STATUS(read_when(e.at("when"), source, path + ".when", out.when));
  }
  if (!out.aimed()) {
    return fail(source, path, "an object needs target or when (else write the plain name)");
  }
  return ok_status();
}

// One aimed entry against what its adversary accepts.
Status check_aim(const AdversarySpec& a, const std::string& at, const Scenario& s,
                 const ScenarioVocabulary& v, const std::string& source) {
  const auto rules = std::find_if(v.aims.begin(), v.aims.end(),
                                  [&a](const AdversaryAimRules& r) { return r.name == a.name; });
  const std::string who = "'" + a.name + "'";
  if (a.target.given()) {
    const std::string path = at + ".target";
    if (rules == v.aims.end() || rules->target_phones == 0) {
      return fail(source, path, who + " takes no target (it acts on every phone or the server)");
    }
    if (!a.target.phones.empty()) {
      if (a.target.phones.size() != rules->target_phones) {
        return fail(source, path + ".phones",
                    who + " takes " +
                        (rules->target_phones == 1 ? std::string("one phone")
                                                   : std::string("a pair [a, b] (a sends to b)")));
      }
      for (std::size_t i = 0; i < a.target.phones.size(); ++i) {
        if (a.target.phones[i] >= s.phones) {
          return fail(source, path + ".phones[" + std::to_string(i) + "]",
                      "must be < phones (" + std::to_string(s.phones) + ")");
        }
      }
      if (a.target.phones.size() == 2 && a.target.phones[0] == a.target.phones[1]) {
        return fail(source, path + ".phones", "the two phones must differ");
      }
    } else if (std::find(rules->roles.begin(), rules->roles.end(), a.target.role) ==
               rules->roles.end()) {
      return fail(
          source, path + ".role",
          who + " cannot be aimed at role '" + a.target.role + "' (" +
              (rules->roles.empty() ? std::string("it takes phones only") : one_of(rules->roles)) +
              ")");
    }
  }
  if (a.when.given()) {
    const std::string path = at + ".when";
    const bool ok = rules != v.aims.end() && (a.when.at_ms      ? rules->at
                                              : a.when.every_ms ? rules->every
                                                                : rules->after);
    if (!ok) {
      const std::string kind = a.when.at_ms ? "at_ms" : a.when.every_ms ? "every_ms" : "after";
      return fail(source, path + "." + kind, who + " cannot take " + kind);
    }
    const std::uint64_t start = v.safety_starts_at_ms;
    const std::uint64_t end = start + s.phases.safety_ms;
    if (a.when.at_ms && (*a.when.at_ms < start || *a.when.at_ms >= end)) {
      return fail(source, path + ".at_ms",
                  "must be in the safety phase, [" + std::to_string(start) + ", " +
                      std::to_string(end) + ") ms of virtual time");
    }
    if (a.when.every_ms && *a.when.every_ms >= s.phases.safety_ms) {
      return fail(source, path + ".every_ms",
                  "must be < phases.safety_ms (" + std::to_string(s.phases.safety_ms) +
                      "): it would never strike");
    }
  }
  return ok_status();
}

}  // namespace

Status read_adversaries(const Json& value, const std::string& source, const std::string& path,
                        std::vector<AdversarySpec>& out) {
  if (!value.is_array()) {
    return fail(source, path, "must be an array of adversary names or objects");
  }
  std::vector<AdversarySpec> items(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    SPMC_TRY_STATUS(read_entry(value[i], source, path + "[" + std::to_string(i) + "]", items[i]));
  }
  out = std::move(items);
  return ok_status();
}

OrderedJson write_adversaries(const std::vector<AdversarySpec>& list) {
  OrderedJson out = OrderedJson::array();
  for (const AdversarySpec& a : list) {
    if (!a.aimed()) {
      out.push_back(a.name);  // a plain name stays a plain string: trace headers unchanged
      continue;
    }
    OrderedJson e = OrderedJson::object();
    e["name"] = a.name;
    if (!a.target.phones.empty()) {
      e["target"]["phones"] = a.target.phones;
    } else if (!a.target.role.empty()) {
      e["target"]["role"] = a.target.role;
    }
    if (a.when.at_ms) {
      e["when"]["at_ms"] = *a.when.at_ms;
    } else if (a.when.every_ms) {
      e["when"]["every_ms"] = *a.when.every_ms;
    } else if (!a.when.after.empty()) {
      e["when"]["after"] = a.when.after;
      e["when"]["n"] = a.when.n;
    }
    out.push_back(std::move(e));
  }
  return out;
}

Status check_adversaries(const Scenario& s, const std::string& source,
                         const ScenarioVocabulary& v) {
  std::set<std::string> aimed;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < s.adversaries.size(); ++i) {
    const AdversarySpec& a = s.adversaries[i];
    const std::string at = "adversaries[" + std::to_string(i) + "]";
    if (std::find(v.adversaries.begin(), v.adversaries.end(), a.name) == v.adversaries.end()) {
      return fail(source, at, "unknown adversary '" + a.name + "' (" + one_of(v.adversaries) + ")");
    }
    // One adversary of a name per run: an aimed one cannot share its name with another.
    if ((a.aimed() || aimed.contains(a.name)) && seen.contains(a.name)) {
      return fail(source, at, "'" + a.name + "' is listed twice (an aimed adversary appears once)");
    }
    seen.insert(a.name);
    if (a.aimed()) {
      aimed.insert(a.name);
      SPMC_TRY_STATUS(check_aim(a, at, s, v, source));
    }
  }
  return ok_status();
}

}  // namespace spmc::sim
