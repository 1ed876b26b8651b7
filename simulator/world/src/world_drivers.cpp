// The world's drivers: bootstrap (sign-up, contacts, groups), the message workload, and
// the fault schedules (churn, partitions, crashes). Every draw comes from a named stream.
#include <algorithm>

#include "spmc/sim/u2u_user.hpp"
#include "world_impl.hpp"

namespace spmc::sim {

namespace {
constexpr std::uint32_t kGroupMessagePercent = 20;  // of a group member's messages
}  // namespace

void World::Impl::bootstrap() {
  for (auto& pp : m_phones) {
    PhoneNode& p = *pp;
    const TimeUs at = m_workload_rng.uniform(kSignUpSpreadUs);
    m_queue.schedule_at(at, [this, &p] {
      p.phone->connect(*p.fx);
      p.phone->sign_up(p.email, bytes_of("pw-" + p.email), p.pin, *p.fx);
      schedule_wakeup(p);
    });
  }
  for (const ContactEdge& e : m_edges) {
    const TimeUs at = kContactsAtUs + m_workload_rng.uniform(kUsPerSecond);
    m_queue.schedule_at(at, [this, e] {
      PhoneNode& a = *m_phones[e.first];
      const std::string target = m_phones[e.second]->phone->state().user_id;
      if (!target.empty() && a.phone->add_contact(target, *a.fx).ok()) {
        schedule_wakeup(a);
      }
    });
  }
  m_queue.schedule_at(kGroupsAtUs, [this] { create_groups(); });
}

void World::Impl::create_groups() {
  const GroupsConfig& g = m_scenario.workload.groups;
  for (std::uint32_t n = 0; n < g.count; ++n) {
    (void)create_group_of(*m_phones[m_workload_rng.uniform(m_phones.size())]);
  }
}

// One group of `organiser` with some of its contacts (those it holds a sending key for).
bool World::Impl::create_group_of(PhoneNode& organiser) {
  const GroupsConfig& g = m_scenario.workload.groups;
  std::vector<std::uint32_t> pool;
  for (std::uint32_t c : organiser.contacts) {
    if (organiser.phone->has_send_key(m_phones[c]->phone->state().user_id)) {
      pool.push_back(c);
    }
  }
  const std::uint64_t want = m_workload_rng.uniform_range(g.size_min, g.size_max) - 1;
  // Partial Fisher-Yates with our own stream: the member choice is portable.
  for (std::size_t i = 0; i < pool.size() && i < want; ++i) {
    std::swap(pool[i], pool[i + m_workload_rng.uniform(pool.size() - i)]);
  }
  pool.resize(std::min<std::size_t>(pool.size(), want));
  if (pool.empty()) {
    return false;
  }
  std::vector<std::string> members;
  members.reserve(pool.size());
  for (std::uint32_t c : pool) {
    members.push_back(m_phones[c]->phone->state().user_id);
  }
  auto id = organiser.phone->create_group(members, *organiser.fx);
  if (!id.ok() || organiser.dying) {
    return false;  // refused, or the phone died before the group was stored
  }
  organiser.groups.push_back(*id);
  for (std::uint32_t c : pool) {
    m_phones[c]->groups.push_back(*id);
  }
  m_group_list.emplace_back(organiser.index, *id);
  schedule_wakeup(organiser);
  return true;
}

void World::Impl::schedule_group_change() {
  const std::uint32_t per_hour = m_scenario.workload.groups.changes_per_hour;
  if (per_hour == 0) {
    return;
  }
  m_queue.schedule_after(m_workload_rng.exponential(3600 * kUsPerSecond / per_hour), [this] {
    if (!m_safety) {
      return;
    }
    change_one_group();
    schedule_group_change();
  });
}

// A user changes a group while others may be offline or crashed: a new group, or an
// organiser adds one of its contacts or removes a member (GRP-003/005; GRP-010 rekeys
// under `hardened`). A removed member's user is told and stops writing to the group.
void World::Impl::change_one_group() {
  const std::uint64_t what = m_workload_rng.uniform(3);
  if (what == 0 || m_group_list.empty()) {
    PhoneNode& organiser = *m_phones[m_workload_rng.uniform(m_phones.size())];
    if (organiser.up && organiser.phone->ready()) {
      (void)create_group_of(organiser);
    }
    return;
  }
  const auto& [org_index, id] = m_group_list[m_workload_rng.uniform(m_group_list.size())];
  PhoneNode& org = *m_phones[org_index];
  if (!org.up || org.phone->state().account != phone::AccountState::kReady) {
    return;  // a crashed phone has no user; an offline one does (the change waits to go out)
  }
  const auto held_it = org.phone->state().groups.find(id);
  if (held_it == org.phone->state().groups.end() || !held_it->second.organiser_state) {
    return;  // gone with a reinstall
  }
  const std::vector<std::string>& active = held_it->second.organiser_state->active_members();
  std::vector<std::uint32_t> pool;
  if (what == 1) {
    for (std::uint32_t c : org.contacts) {
      const std::string& user = m_phones[c]->phone->state().user_id;
      if (org.phone->has_send_key(user) &&
          std::find(active.begin(), active.end(), user) == active.end()) {
        pool.push_back(c);
      }
    }
  } else if (active.size() > 2) {
    for (std::size_t i = 1; i < active.size(); ++i) {
      pool.push_back(m_index_of.at(active[i]));
    }
  }
  if (pool.empty()) {
    return;
  }
  PhoneNode& member = *m_phones[pool[m_workload_rng.uniform(pool.size())]];
  const std::string user = member.phone->state().user_id;
  const std::string group = id;
  const Status st = what == 1 ? org.phone->group_add(group, user, *org.fx)
                              : org.phone->group_remove(group, user, *org.fx);
  if (!st.ok() || org.dying) {
    return;  // refused, or the phone died before the change was stored
  }
  auto& mine = member.groups;
  if (what == 1) {
    mine.push_back(group);
    greet_group(member.index, group);
  } else {
    mine.erase(std::remove(mine.begin(), mine.end(), group), mine.end());
  }
  schedule_wakeup(org);
}

void World::Impl::start_safety() {
  m_safety = true;
  record("phase_safety", 0, "");
  m_network->set_faults_enabled(true);
  for (auto& p : m_phones) {
    schedule_next_message(*p);
    schedule_churn(*p);
  }
  schedule_partitions();
  schedule_crashes();
  schedule_group_change();
  start_lifecycle();
  start_u2u();
  m_adversaries->start();
}

void World::Impl::start_liveness() {
  m_safety = false;
  record("phase_liveness", 0, "");
  m_network->set_faults_enabled(false);
  m_network->heal_all_partitions();
  // Everything that is down comes back up (VOPR's liveness phase): a server crash just
  // before this point must not leave the whole phase without a server.
  if (!m_server_up) {
    m_server_up = true;
    m_network->set_online(kServerNode, true);
    record("server_restart", 0, "");
  }
  for (auto& p : m_phones) {
    if (!p->up) {
      restart_phone(*p);
    }
    if (!p->online) {
      set_phone_online(*p, true);
    } else if (!p->phone->connected()) {
      p->phone->connect(*p->fx);
    }
    schedule_wakeup(*p);
  }
}

void World::Impl::schedule_next_message(PhoneNode& p) {
  const std::uint32_t rate = m_scenario.workload.messages_per_phone_per_minute;
  if (rate == 0) {
    return;
  }
  const TimeUs gap = m_workload_rng.exponential(60 * kUsPerSecond / rate);
  m_queue.schedule_after(gap, [this, &p] {
    if (!m_safety) {
      return;
    }
    send_one_message(p);
    schedule_next_message(p);
  });
}

void World::Impl::send_one_message(PhoneNode& p) {
  if (!p.up || p.phone->state().account != phone::AccountState::kReady) {
    return;  // a crashed phone has no user typing into it
  }
  const WorkloadConfig& w = m_scenario.workload;
  const std::size_t size = m_workload_rng.uniform_range(w.message_size_min, w.message_size_max);
  const std::string* group = nullptr;
  const std::string* to = nullptr;
  if (!p.groups.empty() && m_workload_rng.uniform(100) < kGroupMessagePercent) {
    group = &p.groups[m_workload_rng.uniform(p.groups.size())];
  } else if (!p.contacts.empty()) {
    to = &m_phones[p.contacts[m_workload_rng.uniform(p.contacts.size())]]->phone->state().user_id;
  }
  send_canary(p, size, group, to);
}

// A message the scenario needs (an attack's victims keep chatting): `from` writes to `to`
// (or to `group`) now, or as soon as its phone is up again.
void World::Impl::send_text(std::uint32_t from, std::uint32_t to,
                            std::optional<std::string> group) {
  PhoneNode& p = *m_phones[from];
  if (!p.up || p.phone->state().account != phone::AccountState::kReady) {
    m_queue.schedule_after(kUsPerSecond, [this, from, to, group] { send_text(from, to, group); });
    return;
  }
  send_canary(p, 64, group ? &*group : nullptr, group ? nullptr : &user_of(to));
}

// One application message: a fresh canary id the delivery checker knows before the phone
// seals it (its msg_send event ties the id to the envelope), to a group or a contact.
void World::Impl::send_canary(PhoneNode& p, std::size_t size, const std::string* group,
                              const std::string* to) {
  const std::uint64_t uid = m_next_uid++;
  m_current_uid = uid;
  m_delivery.sent(uid, p.phone->state().user_id, m_queue.now());
  Bytes body = make_canary_body(uid, size);
  Status st = make_error(ErrorCode::kBadState, "no recipient");
  if (group != nullptr) {
    st = p.phone->send_group_text(*group, std::move(body), *p.fx);
  } else if (to != nullptr) {
    st = p.phone->send_text(*to, std::move(body), *p.fx);
  }
  m_current_uid.reset();
  (void)st;  // a refused send is the phone's to report (its events), not the workload's
  schedule_wakeup(p);
}

void World::Impl::schedule_churn(PhoneNode& p) {
  const std::uint32_t per_day = m_scenario.churn.offline_per_phone_per_day;
  if (per_day == 0) {
    return;
  }
  const TimeUs gap = m_fault_rng.exponential(24ULL * 3600 * kUsPerSecond / per_day);
  m_queue.schedule_after(gap, [this, &p] {
    if (!m_safety) {
      return;
    }
    if (p.up && p.online) {
      set_phone_online(p, false);
      const TimeUs away = m_fault_rng.exponential(m_scenario.churn.mean_offline_ms * kUsPerMs);
      m_queue.schedule_after(away, [this, &p] {
        if (m_safety && p.up) {
          set_phone_online(p, true);
        }
      });
    }
    schedule_churn(p);
  });
}

void World::Impl::schedule_partitions() {
  const PartitionFaults& f = m_scenario.faults.partitions;
  if (f.per_hour == 0) {
    return;
  }
  m_queue.schedule_after(m_fault_rng.exponential(3600 * kUsPerSecond / f.per_hour), [this] {
    if (!m_safety) {
      return;
    }
    const PartitionFaults& pf = m_scenario.faults.partitions;
    const std::uint64_t max_side =
        std::max<std::uint64_t>(1, m_phones.size() * pf.side_max_ppm / 1'000'000);
    const std::uint64_t n = m_fault_rng.uniform_range(1, max_side);
    std::vector<NodeId> side;
    for (std::uint64_t i = 0; i < n; ++i) {
      side.push_back(phone_node(static_cast<std::uint32_t>(m_fault_rng.uniform(m_phones.size()))));
    }
    if (m_fault_rng.bernoulli_ppm(pf.server_side_ppm)) {
      side.push_back(kServerNode);
    }
    std::sort(side.begin(), side.end());
    side.erase(std::unique(side.begin(), side.end()), side.end());
    const PartitionId id =
        m_network->add_partition(side, m_fault_rng.bernoulli_ppm(pf.one_way_ppm));
    m_queue.schedule_after(m_fault_rng.exponential(pf.mean_duration_ms * kUsPerMs),
                           [this, id] { m_network->heal_partition(id); });
    schedule_partitions();
  });
}

void World::Impl::schedule_crashes() {
  schedule_phone_crash();
  schedule_server_crash();
}

void World::Impl::schedule_phone_crash() {
  const CrashFaults& c = m_scenario.faults.crashes;
  if (c.phone_per_hour == 0) {
    return;
  }
  m_queue.schedule_after(m_fault_rng.exponential(3600 * kUsPerSecond / c.phone_per_hour), [this] {
    if (!m_safety) {
      return;
    }
    PhoneNode& p = *m_phones[m_fault_rng.uniform(m_phones.size())];
    if (p.up) {
      crash_phone(p);  // world_store.cpp
    }
    schedule_phone_crash();
  });
}

void World::Impl::schedule_server_crash() {
  const CrashFaults& c = m_scenario.faults.crashes;
  if (c.server_per_hour == 0) {
    return;
  }
  m_queue.schedule_after(m_fault_rng.exponential(3600 * kUsPerSecond / c.server_per_hour), [this] {
    if (!m_safety) {
      return;
    }
    if (m_server_up) {
      // SRV-021: connections are lost; the server comes back with what its store kept.
      m_server->recover(m_server_store.state());
      m_server_up = false;
      m_network->set_online(kServerNode, false);
      record("server_crash", 0, "");
      const TimeUs down =
          m_fault_rng.exponential(m_scenario.faults.crashes.mean_downtime_ms * kUsPerMs);
      m_queue.schedule_after(down, [this] {
        if (m_safety && !m_server_up) {
          m_server_up = true;
          m_network->set_online(kServerNode, true);
          record("server_restart", 0, "");
        }
      });
    }
    schedule_server_crash();
  });
}

// A member just added says hello to the group as soon as its phone holds the group's key,
// so every run with an add shows whether the other members hear newcomers.
void World::Impl::greet_group(std::uint32_t member, const std::string& group) {
  ++m_pending_user_actions;
  m_queue.schedule_after(2 * kUsPerSecond, [this, member, group] {
    --m_pending_user_actions;
    PhoneNode& p = *m_phones[member];
    if (std::find(p.groups.begin(), p.groups.end(), group) == p.groups.end()) {
      return;  // removed again before it could write
    }
    if (!p.up || p.phone->state().account != phone::AccountState::kReady ||
        !p.phone->state().groups.contains(group)) {
      if (greeting_hopeless(member, group)) {
        return;  // the share is not coming (world_lifecycle.cpp)
      }
      greet_group(member, group);  // the share is still on the way
      return;
    }
    send_canary(p, 64, &group, nullptr);
  });
}

// U2U sessions (Req5): each chosen pair of contacts opts in and authenticates with
// matching secrets; the users react to what their screens show, after a short delay.
void World::Impl::start_u2u() {
  if (m_edges.empty()) {
    return;
  }
  for (std::uint32_t i = 0; i < m_scenario.workload.u2u_sessions; ++i) {
    // Under key substitution the first session is the attacked pair: does U2U notice?
    const std::optional<ContactEdge> attacked = m_adversaries->u2u_session();
    const ContactEdge e =
        i == 0 && attacked ? *attacked : m_edges[m_workload_rng.uniform(m_edges.size())];
    const bool duplicate =
        std::any_of(m_u2u_pairs.begin(), m_u2u_pairs.end(), [&e](const U2uPair& p) {
          return (p.a == e.first && p.b == e.second) || (p.a == e.second && p.b == e.first);
        });
    if (duplicate) {
      continue;
    }
    m_u2u_pairs.push_back(U2uPair{e.first, e.second, true});
    const TimeUs at =
        m_workload_rng.uniform(std::max<TimeUs>(1, m_scenario.phases.safety_ms * kUsPerMs / 2));
    u2u_action(e.first, e.second, phone::Phone::U2uAction::kRequestOptin, at);
  }
}

void World::Impl::u2u_action(std::uint32_t index, std::uint32_t peer,
                             phone::Phone::U2uAction action, TimeUs delay) {
  ++m_pending_user_actions;
  m_queue.schedule_after(delay, [this, index, peer, action] {
    --m_pending_user_actions;
    PhoneNode& p = *m_phones[index];
    if (!p.up) {
      u2u_action(index, peer, action, 5 * kUsPerSecond);  // the user tries again later
      return;
    }
    const std::string& peer_id = m_phones[peer]->phone->state().user_id;
    const Status st = p.phone->u2u(peer_id, action, u2u_secret(index), *p.fx);
    if (p.dying) {
      // The app died while storing the step (STO-012): the user does it again once it is back.
      u2u_action(index, peer, action, 5 * kUsPerSecond);
      return;
    }
    schedule_wakeup(p);
    if (!st.ok() && st.code() == ErrorCode::kUnknownUser) {
      // The contact exchange has not completed yet (the peer was offline, or its answer
      // is still in an offline store): the app offers U2U only with contacts, so the user
      // tries again later rather than giving up.
      u2u_action(index, peer, action, 5 * kUsPerSecond);
    }
  });
}

void World::Impl::on_u2u_state(std::uint32_t index, const std::string& peer_id,
                               const std::string& state) {
  auto peer_it = m_index_of.find(peer_id);
  if (peer_it == m_index_of.end()) {
    return;
  }
  const std::uint32_t peer = peer_it->second;
  auto pair = std::find_if(m_u2u_pairs.begin(), m_u2u_pairs.end(), [&](const U2uPair& p) {
    return (p.a == index && p.b == peer) || (p.b == index && p.a == peer);
  });
  if (pair == m_u2u_pairs.end()) {
    return;
  }
  if (const auto next = u2u_reaction(state, pair->a == index)) {
    u2u_action(index, peer, next->action, next->delay_us);
  }
}

}  // namespace spmc::sim
