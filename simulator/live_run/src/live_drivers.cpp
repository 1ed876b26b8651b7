// The live run's safety phase on the real clock (live_run_impl.hpp): the scenario's workload,
// churn and server crashes, the fixed faults, U2U sessions, and the rounds of I/O that serve
// every client with one poll(2). Every choice comes from the seed's streams, as in the world's
// drivers (world_drivers.cpp); only the timing is the machine's.
#include <algorithm>
#include <cerrno>

#include "live_run_impl.hpp"
#include "spmc/live/errors.hpp"
#include "spmc/live/topic.hpp"
#include "spmc/sim/u2u_user.hpp"

namespace spmc::live {

// --- the safety phase's drivers -------------------------------------------------------------

void LiveRun::schedule(TimeUs at, std::function<void()> action) {
  m_due.emplace(std::make_pair(at, m_due_seq++), std::move(action));
}

void LiveRun::schedule_message(LivePhone& p) {
  const std::uint32_t rate = m_o.scenario.workload.messages_per_phone_per_minute;
  if (rate == 0) {
    return;
  }
  schedule(now() + m_workload.exponential(60 * kUsPerSecond / rate), [this, &p] {
    if (!m_safety) {
      return;
    }
    send_one(p);
    schedule_message(p);
  });
}

// One canary message to a contact or, one time in five, to one of its groups (the world's
// workload); the checker knows its id before the phone seals it.
void LiveRun::send_one(LivePhone& p) {
  const sim::WorkloadConfig& w = m_o.scenario.workload;
  const std::size_t size = m_workload.uniform_range(w.message_size_min, w.message_size_max);
  const std::string* group = nullptr;
  const std::string* to = nullptr;
  if (!p.groups.empty() && m_workload.uniform(100) < kGroupMessagePercent) {
    group = &p.groups[m_workload.uniform(p.groups.size())];
  } else if (!p.contacts.empty()) {
    to = &m_phones[p.contacts[m_workload.uniform(p.contacts.size())]]->phone().state().user_id;
  } else {
    return;
  }
  const std::uint64_t uid = m_next_uid++;
  m_current_uid = uid;
  m_delivery.sent(uid, p.phone().state().user_id, now());
  Bytes body = sim::make_canary_body(uid, size);
  const Status st = group != nullptr ? p.phone().send_group_text(*group, std::move(body), p)
                                     : p.phone().send_text(*to, std::move(body), p);
  m_current_uid.reset();
  m_last_progress = now();
}

void LiveRun::schedule_churn(LivePhone& p) {
  const std::uint32_t per_day = m_o.scenario.churn.offline_per_phone_per_day;
  if (per_day == 0) {
    return;
  }
  schedule(now() + m_faults.exponential(24ULL * 3600 * kUsPerSecond / per_day), [this, &p] {
    if (!m_safety) {
      return;
    }
    if (p.online) {
      set_online(p, false);
      const TimeUs away = m_faults.exponential(m_o.scenario.churn.mean_offline_ms * kUsPerMs);
      schedule(now() + away, [this, &p] {
        if (m_safety) {
          set_online(p, true);
        }
      });
    }
    schedule_churn(p);
  });
}

// Churn as the paper's phone sees it: the app closes its connection (the broker keeps its
// session and queues its frames, MQT-011) and opens a new one later, with a new channel session.
void LiveRun::set_online(LivePhone& p, bool online) {
  if (p.online == online) {
    return;
  }
  p.online = online;
  m_last_progress = now();
  if (!online) {
    ++m_report.disconnects;
    p.phone().disconnect();
    (void)p.client().disconnect(kConnectMs);  // a lost link is as good as a closed one
    record("phone_offline", p.index());
    return;
  }
  record("phone_online", p.index());
  reconnect(p.client(), phone_topic(p.address()));
  p.phone().connect(p);
}

void LiveRun::schedule_server_crash() {
  const sim::CrashFaults& c = m_o.scenario.faults.crashes;
  if (c.server_per_hour == 0) {
    return;
  }
  schedule(now() + m_faults.exponential(3600 * kUsPerSecond / c.server_per_hour), [this] {
    if (!m_safety) {
      return;
    }
    if (m_server_up) {
      server_crash(m_faults.exponential(m_o.scenario.faults.crashes.mean_downtime_ms * kUsPerMs));
    }
    schedule_server_crash();
  });
}

// kill -9: whatever the server had not committed is gone (SRV-014); what it acknowledged is in
// its database. It comes back after `downtime_us` on the same database.
void LiveRun::server_crash(TimeUs downtime_us) {
  if (!m_server_up) {
    return;
  }
  ServerKill k;
  k.at_ms = now() / kUsPerMs;
  for (const auto& p : m_phones) {
    k.phone_outbox += p->phone().outbox_size();
  }
  k.relayed_undeleted = m_outstanding.size();
  k.owed_undelivered = m_delivery.expected() - m_delivery.owed_delivered();
  m_report.kills.push_back(k);
  kill_server();
  ++m_report.server_kills;
  record("server_crash", 0);
  schedule(now() + downtime_us, [this] {
    if (m_server_up) {
      return;
    }
    const Status up = start_server();
    if (!up.ok()) {
      note(up);
      return;
    }
    record("server_restart", 0);
  });
}

// The run's own broker is stopped (it saves its sessions, MQT-013) and started again on the
// same port: every client loses its connection and makes it again.
void LiveRun::restart_broker() {
  if (!m_broker) {
    return;
  }
  note(m_broker->stop(5000));
  record("broker_stop", 0);
  // What it saved (sessions and frames queued for offline phones, MQT-013) is at rest now.
  m_secrecy.scan("the broker's persistence file", read_file(m_broker->persistence_file()));
  const Status up = m_broker->restart();
  note(up);
  if (up.ok()) {
    ++m_report.broker_restarts;
    record("broker_start", 0);
  }
}

// --- rounds -----------------------------------------------------------------------------

void LiveRun::round(int wait_ms) {
  m_fds.clear();
  for (auto& p : m_phones) {
    m_fds.push_back(
        {.fd = p->client().socket(),
         .events = static_cast<short>(p->client().wants_write() ? POLLIN | POLLOUT : POLLIN),
         .revents = 0});
  }
  m_fds.push_back({.fd = m_observer->socket(), .events = POLLIN, .revents = 0});
  if (::poll(m_fds.data(), m_fds.size(), wait_ms) < 0 && errno != EINTR) {
    note(live_error(Fault::kLibrary, "poll failed"));
  }
  const auto t = Steady::now();
  const bool keepalive = t >= m_next_keepalive;
  if (keepalive) {
    m_next_keepalive = t + std::chrono::seconds(1);
  }
  for (std::size_t i = 0; i < m_fds.size(); ++i) {
    const bool is_observer = i == m_phones.size();
    MqttClient& c = is_observer ? *m_observer : m_phones[i]->client();
    if (!is_observer && !m_phones[i]->online) {
      continue;
    }
    if (!c.connected()) {
      if (keepalive) {  // at most once a second: the broker may be down for a while
        reconnect(c, is_observer ? std::string("spmc/v1/#") : phone_topic(m_phones[i]->address()));
      }
      continue;
    }
    const bool readable = (m_fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
    if (readable || keepalive || c.wants_write()) {
      note(c.service(readable));
    }
  }
  read_server_events();
  if (t >= m_next_mail) {
    m_next_mail = t + std::chrono::milliseconds(50);
    hand_over_mail();
  }
  run_timers();
  run_due();
}

// MQT-011: a connection made again subscribes again when the broker did not keep the session.
void LiveRun::reconnect(MqttClient& client, const std::string& topic) {
  if (client.connected()) {
    return;
  }
  const Status up = client.connect(m_host, m_port, kConnectMs);
  if (!up.ok()) {
    return;  // the broker is down; the next round tries again
  }
  ++m_report.reconnects;
  if (!client.session_present()) {
    note(client.subscribe(topic, kConnectMs));
    if (topic != "spmc/v1/#") {  // a phone: its server's presence too (MQT-026)
      note(client.subscribe(std::string(kServerStatusTopic), kConnectMs));
    }
  }
}

// The server's observation points (srv_relay, srv_delete) join the trace when they are read.
void LiveRun::read_server_events() {
  if (!m_events) {
    return;
  }
  for (const ServerEvent& ev : m_events->read_new()) {
    m_last_progress = now();
    auto e = sim::make_trace_event(
        now(), ev.kind == ServerEvent::Kind::kRelay ? "srv_relay" : "srv_delete");
    e["id"] = ev.id;
    if (ev.kind == ServerEvent::Kind::kDelete) {
      e["to"] = ev.to;
      m_outstanding.erase({ev.to, ev.id});
      m_trace.record(e);
      continue;
    }
    e["from"] = ev.from;
    e["to"] = ev.to;
    e["bytes"] = ev.bytes;
    if (ev.header) {
      envelope::EnvelopeHeader h;
      h.kind = ev.header->group ? envelope::Kind::kGroup : envelope::Kind::kDirect;
      h.recipient_id = ev.header->recipient;
      h.key_timestamp_ms = ev.header->key_ts;
      h.counter = ev.header->counter;
      m_delivery.accepted(ev.from, ev.to, h);
      e["counter"] = h.counter;
      e["key_ts"] = h.key_timestamp_ms;
    }
    m_outstanding.emplace(ev.to, ev.id);
    m_trace.record(e);
  }
}

void LiveRun::hand_over_mail() {
  for (const Mail& mail : take_mail(m_mail)) {
    for (auto& p : m_phones) {
      if (p->email == mail.email) {
        p->phone().receive_email(mail.text, *p);
      }
    }
  }
}

void LiveRun::run_timers() {
  const TimeMs t = m_clock.now_ms();
  for (auto& p : m_phones) {
    const TimeMs due = p->phone().next_deadline();
    if (p->online && due != 0 && due <= t) {
      p->phone().on_timer(*p);
    }
  }
}

void LiveRun::run_due() {
  const TimeUs t = now();
  while (!m_due.empty() && m_due.begin()->first.first <= t) {
    auto action = std::move(m_due.begin()->second);
    m_due.erase(m_due.begin());
    action();
  }
}

bool LiveRun::quiescent() const {
  return m_server_up && m_outstanding.empty() && m_pending_user_actions == 0 &&
         std::all_of(m_phones.begin(), m_phones.end(),
                     [](const auto& p) { return p->online && p->phone().idle(); }) &&
         now() > m_last_progress + kQuietUs;
}

std::string LiveRun::blocker() const {
  if (!m_server_up) {
    return "the server is down";
  }
  for (const auto& p : m_phones) {
    if (!p->phone().idle()) {
      return "phone " + std::to_string(p->index()) + " has " +
             std::to_string(p->phone().outbox_size()) + " item(s) in its outbox or unacknowledged";
    }
  }
  if (m_pending_user_actions != 0) {
    return std::to_string(m_pending_user_actions) + " U2U user action(s) still to come";
  }
  if (!m_outstanding.empty()) {
    return std::to_string(m_outstanding.size()) +
           " relayed item(s) not yet deleted, the first to " + m_outstanding.begin()->first;
  }
  return "nothing";
}

void LiveRun::start_u2u(TimeUs safety_start) {
  if (m_edges.empty()) {
    return;
  }
  for (std::uint32_t i = 0; i < m_o.scenario.workload.u2u_sessions; ++i) {
    const sim::ContactEdge e = m_edges[m_workload.uniform(m_edges.size())];
    const bool duplicate = std::any_of(m_u2u_pairs.begin(), m_u2u_pairs.end(), [&e](const auto& p) {
      return (p.first == e.first && p.second == e.second) ||
             (p.first == e.second && p.second == e.first);
    });
    if (duplicate) {
      continue;
    }
    m_u2u_pairs.emplace_back(e.first, e.second);
    const TimeUs at = safety_start + m_workload.uniform(std::max<TimeUs>(
                                         1, m_o.scenario.phases.safety_ms * kUsPerMs / 2));
    u2u_action(e.first, e.second, phone::Phone::U2uAction::kRequestOptin,
               at > now() ? at - now() : 0);
  }
}

void LiveRun::u2u_action(std::uint32_t index, std::uint32_t peer, phone::Phone::U2uAction action,
                         TimeUs delay) {
  ++m_pending_user_actions;
  schedule(now() + delay, [this, index, peer, action] {
    --m_pending_user_actions;
    LivePhone& p = *m_phones[index];
    const std::string& peer_id = m_phones[peer]->phone().state().user_id;
    const Status st = p.phone().u2u(peer_id, action, sim::u2u_secret(index), p);
    if (!st.ok() && st.code() == ErrorCode::kUnknownUser) {
      u2u_action(index, peer, action, 5 * kUsPerSecond);  // the contact is not complete yet
    }
  });
}

void LiveRun::on_u2u_state(std::uint32_t index, const std::string& peer_id,
                           const std::string& state) {
  const auto peer_it = m_index_of.find(peer_id);
  if (peer_it == m_index_of.end()) {
    return;
  }
  const std::uint32_t peer = peer_it->second;
  const auto pair = std::find_if(m_u2u_pairs.begin(), m_u2u_pairs.end(), [&](const auto& p) {
    return (p.first == index && p.second == peer) || (p.second == index && p.first == peer);
  });
  if (pair == m_u2u_pairs.end()) {
    return;
  }
  if (const auto next = sim::u2u_reaction(state, pair->first == index)) {
    u2u_action(index, peer, next->action, next->delay_us);
  }
}

}  // namespace spmc::live
