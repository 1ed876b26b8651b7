// World wiring: phones, server, network, clocks, trace and checkers, and the three phases.
// The workload and fault schedules are in world_drivers.cpp.
#include <algorithm>
#include <utility>

#include "spmc/envelope.hpp"
#include "spmc/sim/abstract_projection.hpp"
#include "spmc/sim/names.hpp"
#include "spmc/sim/phone_trace.hpp"
#include "world_impl.hpp"

namespace spmc::sim {

class World::Impl::PhoneFx final : public phone::PhoneEffects {
 public:
  PhoneFx(World::Impl& world, std::uint32_t index) : m_world(world), m_index(index) {}
  // A phone that died during a store write does nothing more (STO-012).
  void transmit(Bytes frame) override {
    if (!dying()) {
      m_world.m_network->send(phone_node(m_index), kServerNode, std::move(frame));
    }
  }
  void deliver(const phone::Delivered& m) override {
    if (!dying()) {
      m_world.on_deliver(m_index, m);
    }
  }
  void event(const phone::PhoneEvent& e) override {
    if (!dying()) {
      m_world.on_phone_event(m_index, e);
    }
  }
  void secret(ByteView s) override { m_world.m_secrecy.add_secret(s); }
  void persist(ByteView file) override { m_world.on_persist(m_index, file); }

 private:
  bool dying() const { return m_world.m_phones[m_index]->dying; }
  World::Impl& m_world;
  std::uint32_t m_index;
};

class World::Impl::ServerFx final : public server::ServerEffects {
 public:
  explicit ServerFx(World::Impl& world) : m_world(world) {}
  void transmit(server::Address to, Bytes frame) override {
    m_world.observe_store();
    m_world.m_adversaries->on_server_transmit(to, frame);
    m_world.m_network->send(kServerNode, to, std::move(frame), m_world.m_server_requester);
  }
  void send_email(const std::string& email, const std::string& text) override {
    m_world.m_adversaries->on_email();
    m_world.on_email(email, text);
  }
  void log(const std::string& line) override {
    m_world.m_secrecy.scan("the server log", bytes_of(line));
  }
  // A memory store commits at once, so every change is in before the frames of its call.
  void persist(const server::DurableChange& change) override {
    m_world.m_server_store.apply(change);
  }
  void relayed(const std::string& from, const std::string& to, std::uint64_t id,
               proto::PayloadKind kind, ByteView payload) override {
    m_world.on_relayed(from, to, id, kind, payload);
  }
  void deleted(const std::string& to, std::uint64_t id) override {
    m_world.observe_store();
    ++m_world.m_app_progress;
    if (m_world.m_acks) {
      m_world.m_acks->deleted(to, id);
    }
    auto e = make_trace_event(m_world.now(), "srv_delete");
    e["id"] = id;
    e["to"] = to;
    m_world.record(e);
  }

 private:
  World::Impl& m_world;
};

namespace {

// The passive observer every run has: it scans each packet for plaintext and keys (Req8).
class WireScanner final : public NetworkTap {
 public:
  explicit WireScanner(SecrecyChecker& secrecy) : m_secrecy(secrecy) {}
  TapVerdict on_send(Packet& packet) override {
    m_secrecy.scan(
        packet.from == kServerNode ? "a packet from the server" : "a packet to the server",
        packet.bytes);
    return TapVerdict::kForward;
  }

 private:
  SecrecyChecker& m_secrecy;
};

}  // namespace

World::Impl::Impl(const Scenario& s, std::uint64_t world_seed, WorldOptions o)
    : m_scenario(s),
      m_seed(world_seed),
      m_options(o),
      m_seeds(world_seed),
      m_profile(m_scenario.profile),
      m_workload_rng(m_seeds.stream("workload")),
      m_fault_rng(m_seeds.stream("faults")),
      m_storage_rng(m_seeds.stream("storage")),
      m_u2u(*this, m_u2u_pairs),
      m_store(*this),
      m_lifecycle_rng(m_seeds.stream("lifecycle")),
      m_lifecycle(*this) {
  Prng topo_rng = m_seeds.stream("topology");
  // A world in countries (LOC-012) draws nothing from the topology stream; every other world
  // draws exactly as before, so its trace is unchanged.
  if (const auto placement = country_placement(s)) {
    m_topology =
        std::make_unique<Topology>(generate_country_topology(s.topology, *placement, s.phones));
  } else {
    m_topology = std::make_unique<Topology>(generate_topology(s.topology, s.phones, topo_rng));
  }
  Prng contact_rng = m_seeds.stream("contacts");
  m_edges = generate_contacts(s.phones, s.contacts, contact_rng);
  m_trace.full().set_sink(o.trace_sink);
  m_trace.full().set_capture(o.capture_trace);
  // Trace conformance (DESIGN.md section 4): the abstract stream checked by
  // models/check_trace.py against models/ratchet/ratchet.pml.
  m_trace.abstract().set_sink(o.abstract_sink);
  // Projecting costs a pass over every event (about 2 % of a 10k-phone run): only when
  // someone reads the abstract trace.
  if (o.abstract_sink != nullptr) {
    m_trace.set_projection(make_ratchet_pair_projection());
  }
  // The first trace line names everything needed to replay the run (spmc replay).
  auto header = make_trace_event(0, "world");
  header["seed"] = world_seed;
  header["bug"] = static_cast<int>(o.server_bug);
  if (!o.invariants.empty()) {
    // Opt-in invariants change the verdict, not the run; named only when asked for, so
    // every trace written without them stays byte-identical.
    nlohmann::json names = nlohmann::json::array();
    for (InvariantName id : o.invariants) {
      names.push_back(invariant_info(id).name);
    }
    header["invariants"] = names;
  }
  header["scenario"] = scenario_to_json(s);
  m_trace.record(header);
  m_network = std::make_unique<Network>(m_queue, *m_topology, m_seeds.stream("network"), &m_trace);
  m_network->set_fault_config(s.faults.network);
  m_network->set_faults_enabled(false);
  m_network->set_deliver([this](NodeId to, NodeId from, ByteView bytes) {
    if (to == kServerNode) {
      if (m_acks && from != kServerNode) {
        m_acks->received(user_of(phone_index(from)), bytes);
      }
      if (m_lifecycle.enabled() && from != kServerNode) {
        m_lifecycle.received(user_of(phone_index(from)), bytes);
      }
      // What the server sends while it handles this packet leaves from the sender's home
      // site (a multi-server deployment relays it to the recipient's: LOC-012).
      m_server_requester = from;
      m_server->on_packet(from, bytes, *m_server_fx);
      m_server_requester.reset();
      observe_store();
      schedule_server_wakeup();
    } else {
      PhoneNode& p = *m_phones.at(phone_index(to));
      p.phone->on_packet(bytes, *p.fx);
      schedule_wakeup(p);
    }
  });
  m_scanner = std::make_unique<WireScanner>(m_secrecy);
  m_network->add_tap(m_scanner.get());

  m_server_clock = std::make_unique<PhoneClock>(m_queue, ClockModel{});
  m_server_rng = std::make_unique<DeterministicRng>(m_seeds.seed("server"), "server");
  server::ServerConfig config;
  config.password_kdf_cost_n = 16;  // stated in simulator/README.md: sign-up stays cheap
  config.bug = o.server_bug;
  m_server =
      std::make_unique<server::ChatServer>(m_profile, *m_server_rng, *m_server_clock, config);
  m_server_store.commit(server::changes_of(m_server->durable_state()));
  m_server_fx = std::make_unique<ServerFx>(*this);

  Prng clock_rng = m_seeds.stream("clocks");
  for (std::uint32_t i = 0; i < s.phones; ++i) {
    auto p = std::make_unique<PhoneNode>();
    p->index = i;
    p->email = "user" + std::to_string(i) + "@sim.example";
    ClockModel model;
    const auto skew_us = static_cast<std::int64_t>(s.faults.clock.max_skew_ms * kUsPerMs);
    const auto drift = static_cast<std::int64_t>(s.faults.clock.max_drift_ppm);
    model.offset_us = skew_us == 0 ? 0
                                   : static_cast<std::int64_t>(clock_rng.uniform_range(
                                         0, static_cast<std::uint64_t>(2 * skew_us))) -
                                         skew_us;
    model.drift_ppm = drift == 0 ? 0
                                 : static_cast<std::int64_t>(clock_rng.uniform_range(
                                       0, static_cast<std::uint64_t>(2 * drift))) -
                                       drift;
    p->clock = std::make_unique<PhoneClock>(m_queue, model);
    p->rng = std::make_unique<DeterministicRng>(m_seeds.seed("phone", i), "phone");
    p->store_rng = std::make_unique<DeterministicRng>(m_seeds.seed("store", i), "store");
    Prng pin_rng = m_seeds.stream("pin", i);
    p->pin = std::to_string(10000 + pin_rng.uniform(10000)).substr(1);  // four digits
    p->phone = make_phone(*p);
    p->fx = std::make_unique<PhoneFx>(*this, i);
    m_phone_by_email.emplace(p->email, i);
    m_phones.push_back(std::move(p));
  }
  for (const ContactEdge& e : m_edges) {
    m_phones[e.first]->contacts.push_back(e.second);
    m_phones[e.second]->contacts.push_back(e.first);
  }
  m_adversaries = std::make_unique<AdversarySet>(*this, s.adversaries);
  if (NetworkTap* tap = m_adversaries->tap()) {
    m_network->add_tap(tap);
  }
  if (o.series) {
    // Added last, after any adversary's tap: it counts the bytes the network really carries.
    m_series = std::make_unique<SeriesRecorder>(s.phones);
    m_network->add_tap(m_series.get());
  }
  if (std::find(o.invariants.begin(), o.invariants.end(), InvariantName::kAckedItemsDeleted) !=
      o.invariants.end()) {
    m_acks = std::make_unique<AckChecker>();
  }
  m_u2u.attacked(m_adversaries->u2u_target());
  m_checkers = {&m_delivery, &m_secrecy, &m_key_reuse, &m_u2u, &m_store, &m_quiet, &m_phone_store};
  m_phone_store.set_clock(m_queue);
  if (s.faults.crashes.phone_per_hour > 0 || s.faults.storage ||
      s.lifecycle.pin_lockouts_per_hour > 0) {
    m_phone_store.enable();
  }
  m_checkers.push_back(&m_lifecycle);
  // Worlds that can lose a phone's store: a drawn reinstall, a PIN lockout, or storage faults
  // (a copy that never opens ends in a reinstall too).
  if (s.lifecycle.reinstalls_per_hour > 0 || s.lifecycle.pin_lockouts_per_hour > 0 ||
      s.lifecycle.pin_mistype_ppm > 0 || s.faults.storage) {
    m_lifecycle.enable();
  }
  m_delivery.set_clock(m_queue);
  m_secrecy.set_clock(m_queue);
  m_key_reuse.set_clock(m_queue);
  m_lifecycle.set_clock(m_queue);
  if (m_acks) {
    m_checkers.push_back(m_acks.get());
  }
}

World::Impl::~Impl() = default;

void World::Impl::record(std::string_view kind, std::uint32_t index, const std::string& detail) {
  auto e = make_trace_event(m_queue.now(), kind);
  e["phone"] = index;
  if (!detail.empty()) {
    e["detail"] = detail;
  }
  m_trace.record(e);
}

void World::Impl::on_phone_event(std::uint32_t index, const phone::PhoneEvent& ev) {
  using phone::PhoneEventKind;
  if (ev.type != PhoneEventKind::kLoggedIn && ev.type != PhoneEventKind::kReconnect) {
    ++m_app_progress;
  }
  m_trace.record(phone_event_trace(m_queue.now(), index, ev));
  if (phone::is_rejection(ev.type)) {
    ++m_rejects[std::string(phone::name(ev.type)) + ":" + ev.detail];
  }
  if (ev.type == PhoneEventKind::kMsgReject && ev.detail == "not_member" && !ev.group.empty() &&
      newcomer_refused(index, ev.peer, ev.group)) {
    m_delivery.refused_by_design({ev.peer, ev.group, ev.key_timestamp, ev.counter},
                                 m_phones[index]->phone->state().user_id);
  }
  m_adversaries->on_phone_event(index, ev);
  lifecycle_phone_event(index, ev);
  if (ev.type == PhoneEventKind::kSignedUp) {
    m_index_of[ev.peer] = index;
    m_phones[index]->user_id = ev.peer;
  }
  if (ev.type == PhoneEventKind::kU2uState) {
    on_u2u_state(index, ev.peer, ev.detail);
  }
  if (ev.type == PhoneEventKind::kMsgSend) {
    m_key_reuse.used(ev.detail, m_phones[index]->phone->state().user_id);
    if (m_current_uid) {
      m_delivery.sealed(
          {m_phones[index]->phone->state().user_id, ev.peer, ev.key_timestamp, ev.counter},
          *m_current_uid);
    }
  }
}

void World::Impl::on_relayed(const std::string& from, const std::string& to, std::uint64_t id,
                             proto::PayloadKind kind, ByteView payload) {
  ++m_app_progress;
  if (kind == proto::PayloadKind::kKeyShare) {
    ++m_key_shares_relayed;
    m_key_share_bytes += payload.size();
  } else {
    ++m_envelopes_relayed;
    m_envelope_bytes += payload.size();
  }
  m_adversaries->on_relayed(from, to, kind, payload);
  m_lifecycle.relayed(from, to, id, kind, payload);
  lifecycle_relayed(from, to, kind, payload);
  if (m_acks) {
    m_acks->relayed(to, id);
  }
  auto e = make_trace_event(m_queue.now(), "srv_relay");
  e["id"] = id;
  e["from"] = from;
  e["to"] = to;
  e["bytes"] = payload.size();
  if (kind == proto::PayloadKind::kEnvelope) {
    // Observation only, decoded once: the delivery checker's expectation, and which
    // message this relay carries, so a second relay of the same envelope (a sender's retry
    // after a lost Accepted, PH-010) is visible to the checks. An envelope that does not
    // decode is not ours to judge: the recipient's phone will reject it.
    if (auto env = envelope::decode_envelope(payload); env.ok()) {
      if (delivery_owed(to, env->header)) {
        m_delivery.accepted(from, to, env->header);
      }
      e["counter"] = env->header.counter;
      e["key_ts"] = env->header.key_timestamp_ms;
    }
  }
  m_trace.record(e);
}

void World::Impl::on_deliver(std::uint32_t index, const phone::Delivered& m) {
  ++m_app_progress;
  const std::string& me = m_phones[index]->phone->state().user_id;
  m_delivery.delivered(me, m.from, m.body, m_queue.now());
  m_phones[index]->last_delivered = phone::HistoryEntry{
      m.group_id.value_or(m.from), m.from, false, m.group_id.has_value(), m.sent_ms, m.body};
  m_trace.record(app_deliver_trace(m_queue.now(), index, m));
}

void World::Impl::on_email(const std::string& email, const std::string& text) {
  // Mail takes its time (SU-002): the phone sees it well after the sign-up reply.
  const TimeUs delay = m_workload_rng.uniform_range(50 * kUsPerMs, 500 * kUsPerMs);
  m_queue.schedule_after(delay, [this, email, text] {
    const auto it = m_phone_by_email.find(email);
    if (it == m_phone_by_email.end()) {
      return;
    }
    PhoneNode& p = *m_phones[it->second];
    if (p.up) {
      p.phone->receive_email(text, *p.fx);
      schedule_wakeup(p);
    }
  });
}

// Local deadlines become virtual times: the inverse of the phone's clock model, rounded
// up, plus a millisecond so the deadline has surely passed when the wakeup runs.
void World::Impl::schedule_wakeup(PhoneNode& p) {
  if (!p.up) {
    return;
  }
  const TimeMs deadline = p.phone->next_deadline();
  if (deadline == 0) {
    return;
  }
  const TimeMs local_now = p.clock->now_ms();
  const std::uint64_t wait_ms = deadline > local_now ? deadline - local_now : 0;
  const auto drift = p.clock->model().drift_ppm;
  const std::uint64_t scale = static_cast<std::uint64_t>(std::int64_t{1'000'000} + drift);
  const TimeUs at = m_queue.now() + (wait_ms * kUsPerMs * 1'000'000 + scale - 1) / scale + kUsPerMs;
  if (p.wakeup && p.wakeup_at <= at) {
    return;
  }
  if (p.wakeup) {
    m_queue.cancel(*p.wakeup);
  }
  p.wakeup_at = at;
  p.wakeup = m_queue.schedule_at(at, [this, &p] {
    p.wakeup.reset();
    if (p.up) {
      p.phone->on_timer(*p.fx);
      schedule_wakeup(p);
    }
  });
}

void World::Impl::schedule_server_wakeup() {
  const TimeMs deadline = m_server->next_deadline();
  if (deadline == 0 || !m_server_up) {
    return;
  }
  const TimeMs now = m_server_clock->now_ms();
  const TimeUs at = m_queue.now() + (deadline > now ? deadline - now : 0) * kUsPerMs + kUsPerMs;
  if (m_server_wakeup && m_server_wakeup_at <= at) {
    return;
  }
  if (m_server_wakeup) {
    m_queue.cancel(*m_server_wakeup);
  }
  m_server_wakeup_at = at;
  m_server_wakeup = m_queue.schedule_at(at, [this] {
    m_server_wakeup.reset();
    if (m_server_up) {
      m_server->on_timer(*m_server_fx);
      observe_store();
      schedule_server_wakeup();
    }
  });
}

void World::Impl::set_phone_online(PhoneNode& p, bool online) {
  if (p.online == online) {
    return;
  }
  p.online = online;
  m_network->set_online(phone_node(p.index), online);
  if (online && p.up) {
    p.phone->connect(*p.fx);
    schedule_wakeup(p);
  } else if (!online) {
    p.phone->disconnect();
  }
  record(online ? "phone_online" : "phone_offline", p.index, "");
}

// Quiet means no application-level work is left: nothing waits in the server's store for a
// connection, no phone holds an unsent relay, no user action is scheduled, and no message,
// relay or deletion happened for a while. Connection-level traffic (keepalives, time
// resyncs) never stops, so it is not looked at: with 10k phones some are always mid-probe.
// Envelopes a phone holds for their key (PH-014) do not count: once nothing is in flight
// their key is not coming, and only their deadline (a refusal) is left.
std::string World::Impl::quiet_blocker() const {
  if (m_server->has_unpushed()) {
    return "the server holds items not yet pushed to their recipient's connection";
  }
  if (m_pending_user_actions != 0) {
    return std::to_string(m_pending_user_actions) + " user action(s) still scheduled";
  }
  for (const auto& p : m_phones) {
    if (!p->phone->ready()) {
      return "phone " + std::to_string(p->index) + " is not signed in";
    }
    if (p->phone->outbox_size() != 0) {
      return "phone " + std::to_string(p->index) + " still has " +
             std::to_string(p->phone->outbox_size()) + " unsent relay(s)";
    }
  }
  return "";
}

bool World::Impl::quiescent() const { return quiet_blocker().empty(); }

// The organiser's own view of a group (the ground truth of its membership): the group id
// is "<organiser user id>-g<n>" (GRP-004). Null when the organiser is unknown or no longer
// organises it.
const phone::GroupMembership* World::Impl::organiser_view(const std::string& group) const {
  const auto cut = group.rfind("-g");
  auto organiser =
      cut == std::string::npos ? m_index_of.end() : m_index_of.find(group.substr(0, cut));
  if (organiser == m_index_of.end()) {
    return nullptr;
  }
  const auto& groups = m_phones[organiser->second]->phone->state().groups;
  auto g = groups.find(group);
  return g == groups.end() || !g->second.organiser_state ? nullptr : &g->second;
}

// A-30 (`paper`, GRP-005): a member added after this phone joined writes to the group; this
// phone's copy of the share does not list it (only the newcomer got the grown list), so it
// refuses the message although the organiser's share lists the sender (the organiser's share
// lists everyone ever added in the epoch: GRP-003 keeps removed members in it).
bool World::Impl::newcomer_refused(std::uint32_t index, const std::string& sender,
                                   const std::string& group) const {
  const auto& mine = m_phones[index]->phone->state().groups;
  auto held = mine.find(group);
  if (held == mine.end() || group::sender_index(*held->second.share.group, sender)) {
    return false;
  }
  const phone::GroupMembership* g = organiser_view(group);
  return g != nullptr && group::sender_index(*g->share.group, sender).has_value();
}

// A group message relayed to someone the organiser no longer counts as a member (a sender
// that had not yet received the rekey still writes to the old list) is owed to nobody:
// refusing it is the point of removal (GRP-010), reading it is the rekey window that
// REQ-8.removed_member judges. Every other accepted envelope is owed to its recipient.
bool World::Impl::delivery_owed(const std::string& to, const envelope::EnvelopeHeader& h) const {
  if (sent_after_key_end(h)) {
    return false;
  }
  if (h.kind != envelope::Kind::kGroup) {
    return true;
  }
  const phone::GroupMembership* g = organiser_view(h.recipient_id);
  if (g == nullptr) {
    return true;
  }
  const auto& active = g->organiser_state->active_members();
  return std::find(active.begin(), active.end(), to) != active.end();
}

void World::Impl::scan_server_state() {
  m_server->visit_held_bytes(
      [this](std::string_view what, ByteView bytes) { m_secrecy.scan(what, bytes); });
}

void World::Impl::report_progress(std::string_view phase, TimeUs phase_end) const {
  if (m_options.progress) {
    m_options.progress(
        {phase, m_queue.now() / kUsPerMs, phase_end / kUsPerMs, m_queue.stats().executed});
  }
}

void World::Impl::observe_store() {
  if (m_series) {
    m_series->observe_store(m_server->store_depth(), m_server->stats().peak_store_depth);
  }
}

void World::Impl::end_slice(std::string_view phase, TimeUs phase_end) {
  report_progress(phase, phase_end);
  if (m_series) {
    observe_store();
    m_series->sample(m_queue.now(), m_network->stats(), m_queue.stats().executed,
                     m_delivery.expected(), m_delivery.deliveries());
  }
}

Report World::Impl::with_series(Report r) const {
  if (m_series) {
    r.series = m_series->finish(m_delivery.latencies_us());
  }
  return r;
}

bool World::Impl::run_phase_until(TimeUs end, std::string_view phase) {
  if (!m_options.progress && !m_series) {
    return m_queue.run_until(end).stopped;
  }
  // At least one slice: events at exactly `end` run even when the phase is empty.
  do {
    if (m_queue.run_until(std::min(end, m_queue.now() + kUsPerSecond)).stopped) {
      return true;
    }
    end_slice(phase, end);
  } while (m_queue.now() < end);
  return false;
}

Report World::Impl::run() {
  m_queue.set_stop_condition(m_options.stop);
  bootstrap();
  if (run_phase_until(kBootstrapUs, "bootstrap")) {
    return with_series(stopped_report());
  }
  start_safety();
  if (run_phase_until(kBootstrapUs + m_scenario.phases.safety_ms * kUsPerMs, "safety")) {
    return with_series(stopped_report());
  }
  scan_server_state();
  start_liveness();
  const TimeUs end = m_queue.now() + m_scenario.phases.liveness_ms * kUsPerMs;
  std::uint64_t events = 0;
  bool calm = false;
  // Judged once a second of virtual time (periodic timers keep the queue from draining on
  // its own); quiet must last kQuietSeconds with no application progress at all, so items
  // already pushed but not yet processed are not mistaken for done.
  std::uint64_t seen_progress = m_app_progress;
  std::uint32_t quiet_seconds = 0;
  while (m_queue.now() < end && events < m_scenario.phases.liveness_max_events) {
    const RunResult r = m_queue.run_until(std::min(end, m_queue.now() + kUsPerSecond));
    if (r.stopped) {
      return with_series(stopped_report());
    }
    events += r.events;
    end_slice("liveness", end);
    quiet_seconds = quiescent() && m_app_progress == seen_progress ? quiet_seconds + 1 : 0;
    seen_progress = m_app_progress;
    if (quiet_seconds >= kQuietSeconds) {
      calm = true;
      break;
    }
  }
  scan_server_state();
  excuse_unreadable();
  m_delivery.finish();
  if (m_series) {
    m_series->settle_owed(m_delivery.expected(), m_delivery.deliveries());
  }
  m_quiet.reached(calm, calm ? std::string() : quiet_blocker());
  Report r = with_series(report(calm));
  record_violations(r);
  return r;
}

// One trace event per violated invariant, after judging (so only failing runs' traces gain
// lines): a chart or a reader of the trace sees what failed and, for invariants checked as
// events happen, when ("first_at"). The report's trace hash then covers these lines too.
void World::Impl::record_violations(Report& r) {
  bool any = false;
  for (const InvariantResult& i : r.invariants) {
    if (i.held) {
      continue;
    }
    auto e = make_trace_event(m_queue.now(), "inv_violation");
    e["invariant"] = i.name;
    e["requirement"] = i.requirement;
    e["expected"] = i.expected_violation;
    if (i.first_violation_us) {
      e["first_at"] = *i.first_violation_us;
    }
    e["detail"] = i.detail;
    m_trace.record(e);
    any = true;
  }
  if (any) {
    r.trace_hash = m_trace.trace_hash();
  }
}

void World::Impl::schedule_at(TimeUs at, EventQueue::Action action) {
  m_queue.schedule_at(at, std::move(action));
}

void World::Impl::schedule_after(TimeUs delay, EventQueue::Action action) {
  m_queue.schedule_after(delay, std::move(action));
}

TimeUs World::Impl::safety_length() const { return m_scenario.phases.safety_ms * kUsPerMs; }

void World::Impl::set_abstract_projection(Trace::Projection projection) {
  if (m_options.abstract_sink != nullptr) {
    m_trace.set_projection(std::move(projection));
  }
}

std::uint32_t World::Impl::phone_count() const {
  return static_cast<std::uint32_t>(m_phones.size());
}

const phone::Phone& World::Impl::phone(std::uint32_t index) const {
  return *m_phones.at(index)->phone;
}

const std::string& World::Impl::user_of(std::uint32_t index) const {
  return m_phones.at(index)->phone->state().user_id;
}

std::optional<std::uint32_t> World::Impl::index_of(const std::string& user) const {
  const auto it = m_index_of.find(user);
  return it == m_index_of.end() ? std::nullopt : std::optional(it->second);
}

const std::vector<std::string>& World::Impl::groups_of(std::uint32_t index) const {
  return m_phones.at(index)->groups;
}

bool World::Impl::online(std::uint32_t index) const {
  const PhoneNode& p = *m_phones.at(index);
  return p.up && p.online;
}

std::optional<ContactEdge> World::Impl::u2u_pair() const {
  if (m_u2u_pairs.empty()) {
    return std::nullopt;
  }
  return ContactEdge{m_u2u_pairs.front().a, m_u2u_pairs.front().b};
}

Bytes World::Impl::forge_certificate(const std::string& user, std::uint8_t usage,
                                     ByteView public_key) {
  return m_server->forge_certificate(user, usage, public_key, *m_server_fx);
}

void World::Impl::server_push(const std::string& to, const std::string& from,
                              proto::PayloadKind kind, Bytes payload) {
  m_server->inject_deliver(to, from, kind, std::move(payload), *m_server_fx);
  observe_store();
}

void World::Impl::inject_packet(NodeId from, NodeId to, Bytes bytes, TimeUs delay) {
  m_network->inject(from, to, std::move(bytes), delay);
}

Status World::Impl::remove_from_group(std::uint32_t organiser, const std::string& group,
                                      const std::string& member) {
  PhoneNode& org = *m_phones.at(organiser);
  SPMC_TRY_STATUS(org.phone->group_remove(group, member, *org.fx));
  schedule_wakeup(org);
  if (auto idx = index_of(member)) {
    auto& mine = m_phones[*idx]->groups;
    mine.erase(std::remove(mine.begin(), mine.end(), group), mine.end());
  }
  return ok_status();
}

World::World(const Scenario& scenario, std::uint64_t seed, WorldOptions options)
    : m_impl(std::make_unique<Impl>(scenario, seed, std::move(options))) {}
World::~World() = default;
Report World::run() { return m_impl->run(); }
const std::string& World::captured_trace() const { return m_impl->captured_trace(); }

}  // namespace spmc::sim
