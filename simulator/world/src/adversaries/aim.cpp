#include "aim.hpp"

#include <algorithm>

namespace spmc::sim {

Aim::Aim(WorldApi& world, AdversarySpec spec, std::size_t entry)
    : m_world(world), m_spec(std::move(spec)) {
  const auto& edges = world.contact_edges();
  if (m_spec.target.role == "random_pair" && !edges.empty()) {
    // Its own stream, named by the entry: no other draw of the world moves.
    Prng rng = world.seeds().stream("adversary.target", entry);
    m_random_pair = edges[rng.uniform(edges.size())];
  }
}

// The organiser of the first group (by organiser index) that has another member.
std::optional<std::uint32_t> Aim::organiser_now(std::string* group) const {
  for (std::uint32_t org = 0; org < m_world.phone_count(); ++org) {
    const auto& held = m_world.phone(org).state().groups;
    for (const std::string& g : m_world.groups_of(org)) {
      auto it = held.find(g);
      if (it != held.end() && it->second.organiser_state &&
          it->second.organiser_state->active_members().size() >= 2) {
        *group = g;
        return org;
      }
    }
  }
  return std::nullopt;
}

std::optional<std::vector<std::uint32_t>> Aim::target(std::size_t count,
                                                      std::vector<std::uint32_t> fallback) const {
  const AdversaryTarget& t = m_spec.target;
  if (!t.given()) {
    return fallback;
  }
  if (!t.phones.empty()) {
    return t.phones;
  }
  // A pair (a, b) or its recipient b alone.
  auto pick = [count](std::uint32_t a, std::uint32_t b) {
    return count == 1 ? std::vector<std::uint32_t>{b} : std::vector<std::uint32_t>{a, b};
  };
  if (t.role == "random_pair") {
    return m_random_pair ? std::optional(pick(m_random_pair->first, m_random_pair->second))
                         : std::nullopt;
  }
  if (t.role == "u2u_pair") {
    auto p = m_world.u2u_pair();
    return p ? std::optional(pick(p->first, p->second)) : std::nullopt;
  }
  if (t.role == "offline_recipient") {
    for (std::uint32_t i = 0; i < m_world.phone_count(); ++i) {
      if (m_world.online(i) || m_world.user_of(i).empty()) {
        continue;
      }
      for (const ContactEdge& e : m_world.contact_edges()) {
        if (e.first == i || e.second == i) {
          return pick(e.first == i ? e.second : e.first, i);
        }
      }
    }
    return std::nullopt;
  }
  std::string group;
  const auto org = organiser_now(&group);
  if (!org) {
    return std::nullopt;
  }
  if (t.role == "organiser") {
    if (count != 1) {
      return std::nullopt;  // no adversary takes the organiser as a pair (the loader refuses)
    }
    return std::vector<std::uint32_t>{*org};
  }
  // newest_member: the member its organiser added last.
  const auto& active =
      m_world.phone(*org).state().groups.at(group).organiser_state->active_members();
  const auto member = m_world.index_of(active.back());
  return member ? std::optional(pick(*org, *member)) : std::nullopt;
}

std::string Aim::describe_when() const {
  const AdversaryWhen& w = m_spec.when;
  if (w.at_ms) {
    return "at " + std::to_string(*w.at_ms) + " ms";
  }
  if (w.every_ms) {
    return "every " + std::to_string(*w.every_ms) + " ms";
  }
  if (!w.after.empty()) {
    return "after " + w.after + " #" + std::to_string(w.n);
  }
  return "at its fixed time";
}

void Aim::arm(std::function<void()> strike) {
  m_strike = std::move(strike);
  const AdversaryWhen& w = m_spec.when;
  if (w.at_ms) {
    m_world.schedule_at(*w.at_ms * kUsPerMs, [this] { fire(); });
  } else if (w.every_ms) {
    // The first strike one period into the safety phase, then every period while it lasts.
    m_world.schedule_at(kSafetyStartsAtUs + *w.every_ms * kUsPerMs, [this] {
      fire();
      repeat();
    });
  }
  // when.after: on_event fires it.
}

void Aim::repeat() {
  m_world.schedule_after(*m_spec.when.every_ms * kUsPerMs, [this] {
    if (m_world.in_safety()) {
      fire();
      repeat();
    }
  });
}

void Aim::fire() {
  if (m_strike) {
    m_strike();
  }
}

void Aim::on_event(std::string_view event) {
  if (!m_strike || m_spec.when.after != event || ++m_seen != m_spec.when.n) {
    return;
  }
  // Just after the event has run its course (the hook is inside the server or a phone).
  m_world.schedule_after(0, [this] { fire(); });
}

void Aim::struck(const std::vector<std::uint32_t>& phones, const std::string& what) {
  if (!m_spec.aimed()) {
    return;
  }
  auto e = make_trace_event(m_world.now(), "adv_strike");
  e["adversary"] = m_spec.name;
  e["phones"] = phones;
  e["target"] = m_spec.target.role.empty() ? std::string(targeted() ? "phones" : "default")
                                           : m_spec.target.role;
  e["when"] = describe_when();
  e["detail"] = what;
  m_world.record(e);
  std::string at = phones.empty() ? "every phone" : "";
  for (std::uint32_t p : phones) {
    at += (at.empty() ? "phone " : " -> ") + std::to_string(p);
  }
  m_strikes.push_back(at + " at " + std::to_string(m_world.now() / kUsPerMs) + " ms: " + what);
}

void Aim::missed(const std::string& why) {
  if (!m_spec.aimed()) {
    return;
  }
  if (m_strike && m_world.in_safety()) {
    // The role names no phone yet (nobody offline, no group, no U2U pair): try again.
    m_world.schedule_after(kUsPerSecond, [this] { fire(); });
    return;
  }
  m_misses.push_back("at " + std::to_string(m_world.now() / kUsPerMs) + " ms: " + why);
}

void Aim::summary(std::vector<std::string>& findings) const {
  if (!m_spec.aimed()) {
    return;
  }
  const std::string aimed_at = !m_spec.target.role.empty() ? m_spec.target.role
                               : targeted()                ? std::string("phones")
                                                           : std::string("its default target");
  const std::string head =
      "aimed " + m_spec.name + " (" + aimed_at + ", " + describe_when() + "): ";
  if (m_strikes.empty()) {
    findings.push_back(
        head + "never struck" +
        (m_misses.empty() ? std::string(" (its moment never came)") : "; " + m_misses.back()));
    return;
  }
  std::string line =
      head + std::to_string(m_strikes.size()) + " strike(s), first " + m_strikes.front();
  if (m_strikes.size() > 1) {
    line += "; last " + m_strikes.back();
  }
  findings.push_back(line);
}

}  // namespace spmc::sim
