// MAL: a group member is removed; it keeps the share it holds and the server goes
// on handing it the group's ciphertexts. Judged by removed_member_reads_nothing, except for
// what was written in the rekey window (GRP-010, A-39).
#include <algorithm>
#include <map>

#include "adversary.hpp"

namespace spmc::sim {

namespace {

class RemovedMember final : public Adversary {
 public:
  RemovedMember(WorldApi& world, AttackState& state, Aim& aim)
      : m_world(world), m_state(state), m_aim(aim) {
    if (aim.timed()) {
      aim.arm([this] { strike(); });
    }
  }

  void start() override {
    if (m_aim.timed()) {
      return;  // armed when built: `when.after` counts from the run's start
    }
    m_strike_at = m_world.now() + m_world.safety_length() / 3;
    m_world.schedule_at(m_strike_at, [this] { strike(); });
  }
  bool server_records() const override { return true; }

  // Under a rekey, when (in each member's application time) it held the new share.
  void on_phone_event(std::uint32_t index, const phone::PhoneEvent& ev) override {
    if (ev.type == phone::PhoneEventKind::kGroupJoin && m_new_key_ts && ev.peer == m_group &&
        ev.key_timestamp == *m_new_key_ts) {
      m_new_key_at.emplace(m_world.user_of(index), m_world.phone(index).app_now());
    }
    // Added back by its organiser (group churn): from then on it may read the group again.
    if (ev.type == phone::PhoneEventKind::kGroupAdd && m_struck && ev.peer == m_group &&
        ev.detail == m_removed && !m_readded_at) {
      m_readded_at = m_world.now();
    }
    // A share of the group that reaches the removed member after its removal (sent to it
    // before, still in flight: it was removed right after being added) is kept as well.
    if (ev.type == phone::PhoneEventKind::kGroupJoin && m_struck && ev.peer == m_group &&
        m_world.user_of(index) == m_removed) {
      const auto& mine = m_world.phone(index).state().groups;
      if (auto m = mine.find(m_group); m != mine.end()) {
        m_state.knowledge.learn_share("", m_group, m->second.share);
      }
    }
  }

  void results(const AttackFindings& f, Report& r) const override;

 private:
  void strike();

  WorldApi& m_world;
  AttackState& m_state;
  Aim& m_aim;
  TimeUs m_strike_at = 0;
  bool m_struck = false;
  std::string m_removed;  // who was removed, from which group
  std::string m_group;
  // Under a rekey (GRP-010): the new share's timestamp, and when (in each member's
  // application time) it held it; a member that had not yet received it when it wrote sent
  // under the old key, which the removed member can still read (the window).
  std::optional<std::uint64_t> m_new_key_ts;
  std::map<std::string, std::uint64_t> m_new_key_at;
  std::optional<TimeUs> m_readded_at;  // when the organiser added it back, if it did
};

// The first group (by organiser index) with another member: its last member is removed,
// keeps the share it holds, and the server goes on handing it the group's ciphertexts.
// Aimed at a phone: the first such group that phone is a member (not the organiser) of.
void RemovedMember::strike() {
  if (m_struck) {
    return;
  }
  std::optional<std::string> aimed;
  if (m_aim.targeted()) {
    const auto target = m_aim.target(1, {});
    if (!target || m_world.user_of(target->front()).empty()) {
      m_aim.missed("no member to remove");
      return;
    }
    aimed = m_world.user_of(target->front());
  }
  for (std::uint32_t org = 0; org < m_world.phone_count(); ++org) {
    for (const std::string& g : m_world.groups_of(org)) {
      const phone::Phone& organiser = m_world.phone(org);
      const auto& groups = organiser.state().groups;
      auto it = groups.find(g);
      if (it == groups.end() || !it->second.organiser_state || !it->second.share.group ||
          it->second.share.group->members.size() < 2) {
        continue;
      }
      const auto& members = it->second.share.group->members;
      if (aimed && std::find(members.begin(), members.end(), *aimed) == members.end()) {
        continue;
      }
      const std::string victim = aimed ? *aimed : members.back();
      const Bytes old_key = it->second.share.master_key;
      const auto idx = m_world.index_of(victim);
      if (!idx || victim == organiser.state().user_id) {
        continue;
      }
      const auto& mine = m_world.phone(*idx).state().groups;
      if (auto m = mine.find(g); m != mine.end()) {
        m_state.knowledge.learn_share("", g, m->second.share);
      }
      // `g` dangles once remove_from_group changes the list it lives in: copy the name first.
      // NOLINTNEXTLINE(performance-unnecessary-copy-initialization): the copy is the point
      const std::string group = g;
      if (!m_world.remove_from_group(org, group, victim).ok()) {
        continue;
      }
      m_removed = victim;
      m_group = group;
      const auto& now_share = organiser.state().groups.at(group).share;
      if (now_share.master_key != old_key) {
        m_new_key_ts = now_share.timestamp_ms;
        m_new_key_at[organiser.state().user_id] = organiser.app_now();
      }
      m_struck = true;
      m_strike_at = m_world.now();
      m_aim.struck({*idx}, victim + " removed from " + group);
      m_world.record("adv_remove", *idx, victim + " removed from " + group);
      // The group goes on talking after the removal.
      m_world.schedule_after(5 * kUsPerSecond,
                             [this, org, group] { m_world.send_text(org, 0, group); });
      return;
    }
  }
  m_aim.missed(aimed ? *aimed + " is no member of a group it can be removed from"
                     : "no group had a member to remove");
}

void RemovedMember::results(const AttackFindings& f, Report& r) const {
  InvariantResult i = make_invariant(InvariantName::kRemovedMemberReadsNothing);
  i.checks = f.envelopes_recorded;
  // Read after the removal: a failure of the protocol unless it was written in the rekey
  // window, by a member that did not hold the new key yet (nothing can protect those).
  std::vector<ReadMessage> after;
  std::uint64_t window = 0;
  for (const ReadMessage& m : f.read) {
    if (m.to != m_group || m.recorded_at <= m_strike_at ||
        (m_readded_at && m.recorded_at >= *m_readded_at)) {
      continue;
    }
    auto had = m_new_key_at.find(m.from);
    if (m_new_key_ts && (had == m_new_key_at.end() || m.sent_ms < had->second)) {
      ++window;
    } else {
      after.push_back(m);
    }
  }
  r.findings.push_back("removed member: " + std::to_string(window) +
                       " group messages read that were written before their sender held the "
                       "new key (rekey window), " +
                       std::to_string(after.size()) + " after");
  if (!m_struck) {
    violate(i, "no group had a member to remove");
  } else if (!after.empty()) {
    violate(i, m_removed + ", removed from " + m_group + " at " +
                   std::to_string(m_strike_at / kUsPerMs) + " ms, read " +
                   std::to_string(after.size()) + " group messages sent later, first " +
                   describe(after.front()));
  }
  r.invariants.push_back(i);
}

}  // namespace

AdversaryEntry removed_member_adversary() {
  return {"removed_member", "MAL",
          "a group member is removed; it keeps its share and the server gives it the ciphertexts",
          [](WorldApi& w, AttackState& s, Aim& aim) -> std::unique_ptr<Adversary> {
            return std::make_unique<RemovedMember>(w, s, aim);
          },
          // Not the organiser: it cannot be removed from its own group.
          AimRules{1, {"newest_member", "offline_recipient", "random_pair"}, true, true, false}};
}

}  // namespace spmc::sim
