// World wiring: phones, server, network, clocks, trace and checkers, and the three phases.
// The workload and fault schedules are in world_drivers.cpp.
#include <algorithm>

#include "spmc/envelope.hpp"
#include "spmc/sim/abstract_projection.hpp"
#include "spmc/sim/names.hpp"
#include "spmc/sim/world_impl.hpp"

namespace spmc::sim {

namespace {

class PhoneFx final : public phone::PhoneEffects {
 public:
  PhoneFx(World::Impl& world, std::uint32_t index) : m_world(world), m_index(index) {}
  void transmit(Bytes frame) override {
    m_world.network->send(phone_node(m_index), kServerNode, std::move(frame));
  }
  void deliver(const phone::Delivered& m) override { m_world.on_deliver(m_index, m); }
  void event(const phone::PhoneEvent& e) override { m_world.on_phone_event(m_index, e); }
  void secret(ByteView s) override { m_world.secrecy.add_secret(s); }

 private:
  World::Impl& m_world;
  std::uint32_t m_index;
};

class ServerFx final : public server::ServerEffects {
 public:
  explicit ServerFx(World::Impl& world) : m_world(world) {}
  void transmit(server::Address to, Bytes frame) override {
    if (m_world.adversary->substituting()) {
      m_world.substitute_outbound(to, frame);
    }
    m_world.network->send(kServerNode, to, std::move(frame));
  }
  void send_email(const std::string& email, const std::string& text) override {
    ++m_world.adversary->emails_seen;
    m_world.on_email(email, text);
  }
  void log(const std::string& line) override {
    m_world.secrecy.scan("the server log", bytes_of(line));
  }
  void relayed(const std::string& from, const std::string& to, std::uint64_t id,
               proto::PayloadKind kind, ByteView payload) override {
    ++m_world.app_progress;
    if (m_world.adversary->server_records()) {
      m_world.adversary->knowledge.record(from, to, kind, payload, m_world.queue.now());
    }
    if (m_world.adversary->substituting() && kind == proto::PayloadKind::kEnvelope) {
      m_world.substitution_reads(from, to, payload);
    }
    auto e = make_trace_event(m_world.queue.now(), "srv_relay");
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
        if (m_world.delivery_owed(to, env->header)) {
          m_world.delivery.accepted(from, to, env->header);
        }
        e["counter"] = env->header.counter;
        e["key_ts"] = env->header.key_timestamp_ms;
      }
    }
    m_world.trace.record(e);
  }
  void deleted(const std::string& to, std::uint64_t id) override {
    ++m_world.app_progress;
    auto e = make_trace_event(m_world.queue.now(), "srv_delete");
    e["id"] = id;
    e["to"] = to;
    m_world.trace.record(e);
  }

 private:
  World::Impl& m_world;
};

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
    : scenario(s),
      seed(world_seed),
      options(o),
      seeds(world_seed),
      profile(*profile_by_name(s.profile).value()),
      workload_rng(seeds.stream("workload")),
      fault_rng(seeds.stream("faults")) {
  Prng topo_rng = seeds.stream("topology");
  topology = std::make_unique<Topology>(generate_topology(s.topology, s.phones, topo_rng));
  Prng contact_rng = seeds.stream("contacts");
  edges = generate_contacts(s.phones, s.contacts, contact_rng);
  trace.full().set_sink(o.trace_sink);
  trace.full().set_capture(o.capture_trace);
  // Trace conformance (DESIGN.md section 4): the abstract stream checked by
  // models/check_trace.py against models/ratchet/ratchet.pml.
  trace.abstract().set_sink(o.abstract_sink);
  // Projecting costs a pass over every event (about 2 % of a 10k-phone run): only when
  // someone reads the abstract trace.
  if (o.abstract_sink != nullptr) {
    trace.set_projection(make_ratchet_pair_projection());
  }
  // The first trace line names everything needed to replay the run (spmc replay).
  auto header = make_trace_event(0, "world");
  header["seed"] = world_seed;
  header["bug"] = static_cast<int>(o.server_bug);
  header["scenario"] = scenario_to_json(s);
  trace.record(header);
  network = std::make_unique<Network>(queue, *topology, seeds.stream("network"), &trace);
  network->set_fault_config(s.faults.network);
  network->set_faults_enabled(false);
  network->set_deliver([this](NodeId to, NodeId from, ByteView bytes) {
    if (to == kServerNode) {
      server->on_packet(from, bytes, *server_fx);
      schedule_server_wakeup();
    } else {
      PhoneNode& p = *phones.at(phone_index(to));
      p.phone->on_packet(bytes, *p.fx);
      schedule_wakeup(p);
    }
  });
  scanner = std::make_unique<WireScanner>(secrecy);
  network->add_tap(scanner.get());

  server_clock = std::make_unique<PhoneClock>(queue, ClockModel{});
  server_rng = std::make_unique<DeterministicRng>(seeds.seed("server"), "server");
  server::ServerConfig config;
  config.password_kdf_cost_n = 16;  // stated in simulator/README.md: sign-up stays cheap
  config.bug = o.server_bug;
  server = std::make_unique<server::ChatServer>(profile, *server_rng, *server_clock, config);
  server_fx = std::make_unique<ServerFx>(*this);

  Prng clock_rng = seeds.stream("clocks");
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
    p->clock = std::make_unique<PhoneClock>(queue, model);
    p->rng = std::make_unique<DeterministicRng>(seeds.seed("phone", i), "phone");
    phone::PhoneConfig pc;
    p->phone = std::make_unique<phone::Phone>(profile, *p->rng, *p->clock, server->ca_public(), pc);
    p->fx = std::make_unique<PhoneFx>(*this, i);
    phone_by_email.emplace(p->email, i);
    phones.push_back(std::move(p));
  }
  for (const ContactEdge& e : edges) {
    phones[e.first]->contacts.push_back(e.second);
    phones[e.second]->contacts.push_back(e.first);
  }
  setup_adversaries();
  if (o.abstract_sink != nullptr && adversary->has("server_substitutes_keys")) {
    // The attack's own model (models/key_share/key_substitution.pml) replaces the ratchet
    // projection: its SPIN counterexample is what this run reproduces.
    trace.set_projection(make_key_substitution_projection(adversary->a, adversary->b));
  } else if (o.abstract_sink != nullptr && adversary->has("server_mitm")) {
    // Likewise the U2U attack and models/u2u/u2u.pml (its counterexample round-trips).
    trace.set_projection(make_u2u_projection(adversary->a, adversary->b));
  }
}

World::Impl::~Impl() = default;

void World::Impl::record(std::string_view kind, std::uint32_t index, const std::string& detail) {
  auto e = make_trace_event(queue.now(), kind);
  e["phone"] = index;
  if (!detail.empty()) {
    e["detail"] = detail;
  }
  trace.record(e);
}

void World::Impl::on_phone_event(std::uint32_t index, const phone::PhoneEvent& ev) {
  using phone::PhoneEventKind;
  if (ev.type != PhoneEventKind::kLoggedIn && ev.type != PhoneEventKind::kReconnect) {
    ++app_progress;
  }
  auto e = make_trace_event(queue.now(), phone_trace_kind(ev.type));
  e["phone"] = index;
  e["peer"] = ev.peer;
  e["counter"] = ev.counter;
  e["key_ts"] = ev.key_timestamp;
  e["detail"] = ev.detail;
  if (!ev.group.empty()) {
    e["group"] = ev.group;
  }
  trace.record(e);
  if (phone::is_rejection(ev.type)) {
    ++rejects[std::string(phone::name(ev.type)) + ":" + ev.detail];
  }
  if (ev.type == PhoneEventKind::kMsgReject && ev.detail == "not_member" && !ev.group.empty() &&
      newcomer_refused(index, ev.peer, ev.group)) {
    delivery.refused_by_design({ev.peer, ev.group, ev.key_timestamp, ev.counter},
                               phones[index]->phone->state().user_id);
  }
  if (ev.type == PhoneEventKind::kGroupJoin && adversary->new_key_ts &&
      ev.peer == adversary->group && ev.key_timestamp == *adversary->new_key_ts) {
    adversary->new_key_at.emplace(phones[index]->phone->state().user_id,
                                  phones[index]->phone->app_now());
  }
  if (ev.type == PhoneEventKind::kSignedUp) {
    index_of[ev.peer] = index;
  }
  if (ev.type == PhoneEventKind::kU2uState) {
    on_u2u_state(index, ev.peer, ev.detail);
  }
  if (ev.type == PhoneEventKind::kMsgSend) {
    key_reuse.used(ev.detail, phones[index]->phone->state().user_id);
    if (current_uid) {
      delivery.sealed(
          {phones[index]->phone->state().user_id, ev.peer, ev.key_timestamp, ev.counter},
          *current_uid);
    }
  }
}

void World::Impl::on_deliver(std::uint32_t index, const phone::Delivered& m) {
  ++app_progress;
  const std::string& me = phones[index]->phone->state().user_id;
  delivery.delivered(me, m.from, m.body, queue.now());
  auto e = make_trace_event(queue.now(), "app_deliver");
  e["phone"] = index;
  e["from"] = m.from;
  e["group"] = m.group_id.value_or("");
  e["uid"] = canary_uid(m.body).value_or(0);
  trace.record(e);
}

void World::Impl::on_email(const std::string& email, const std::string& text) {
  // Mail takes its time (SU-002): the phone sees it well after the sign-up reply.
  const TimeUs delay = workload_rng.uniform_range(50 * kUsPerMs, 500 * kUsPerMs);
  queue.schedule_after(delay, [this, email, text] {
    const auto it = phone_by_email.find(email);
    if (it == phone_by_email.end()) {
      return;
    }
    PhoneNode& p = *phones[it->second];
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
  const std::uint64_t scale = static_cast<std::uint64_t>(1'000'000 + drift);
  const TimeUs at = queue.now() + (wait_ms * kUsPerMs * 1'000'000 + scale - 1) / scale + kUsPerMs;
  if (p.wakeup && p.wakeup_at <= at) {
    return;
  }
  if (p.wakeup) {
    queue.cancel(*p.wakeup);
  }
  p.wakeup_at = at;
  p.wakeup = queue.schedule_at(at, [this, &p] {
    p.wakeup.reset();
    if (p.up) {
      p.phone->on_timer(*p.fx);
      schedule_wakeup(p);
    }
  });
}

void World::Impl::schedule_server_wakeup() {
  const TimeMs deadline = server->next_deadline();
  if (deadline == 0 || !server_up) {
    return;
  }
  const TimeMs now = server_clock->now_ms();
  const TimeUs at = queue.now() + (deadline > now ? deadline - now : 0) * kUsPerMs + kUsPerMs;
  if (server_wakeup && server_wakeup_at <= at) {
    return;
  }
  if (server_wakeup) {
    queue.cancel(*server_wakeup);
  }
  server_wakeup_at = at;
  server_wakeup = queue.schedule_at(at, [this] {
    server_wakeup.reset();
    if (server_up) {
      server->on_timer(*server_fx);
      schedule_server_wakeup();
    }
  });
}

void World::Impl::set_phone_online(PhoneNode& p, bool online) {
  if (p.online == online) {
    return;
  }
  p.online = online;
  network->set_online(phone_node(p.index), online);
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
  if (server->has_unpushed()) {
    return "the server holds items not yet pushed to their recipient's connection";
  }
  if (pending_user_actions != 0) {
    return std::to_string(pending_user_actions) + " user action(s) still scheduled";
  }
  for (const auto& p : phones) {
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
  auto organiser = cut == std::string::npos ? index_of.end() : index_of.find(group.substr(0, cut));
  if (organiser == index_of.end()) {
    return nullptr;
  }
  const auto& groups = phones[organiser->second]->phone->state().groups;
  auto g = groups.find(group);
  return g == groups.end() || !g->second.organiser_state ? nullptr : &g->second;
}

// A-30 (`paper`, GRP-005): a member added after this phone joined writes to the group; this
// phone's copy of the share does not list it (only the newcomer got the grown list), so it
// refuses the message although the organiser's share lists the sender (the organiser's share
// lists everyone ever added in the epoch: GRP-003 keeps removed members in it).
bool World::Impl::newcomer_refused(std::uint32_t index, const std::string& sender,
                                   const std::string& group) const {
  const auto& mine = phones[index]->phone->state().groups;
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
  server->visit_held_bytes(
      [this](std::string_view what, ByteView bytes) { secrecy.scan(what, bytes); });
}

Report World::Impl::run() {
  bootstrap();
  queue.run_until(kBootstrapUs);
  start_safety();
  queue.run_until(kBootstrapUs + scenario.phases.safety_ms * kUsPerMs);
  scan_server_state();
  start_liveness();
  const TimeUs end = queue.now() + scenario.phases.liveness_ms * kUsPerMs;
  std::uint64_t events = 0;
  bool calm = false;
  // Judged once a second of virtual time (periodic timers keep the queue from draining on
  // its own); quiet must last kQuietSeconds with no application progress at all, so items
  // already pushed but not yet processed are not mistaken for done.
  std::uint64_t seen_progress = app_progress;
  std::uint32_t quiet_seconds = 0;
  while (queue.now() < end && events < scenario.phases.liveness_max_events) {
    const RunResult r = queue.run_until(std::min(end, queue.now() + kUsPerSecond));
    events += r.events;
    quiet_seconds = quiescent() && app_progress == seen_progress ? quiet_seconds + 1 : 0;
    seen_progress = app_progress;
    if (quiet_seconds >= kQuietSeconds) {
      calm = true;
      break;
    }
  }
  scan_server_state();
  delivery.finish();
  return report(calm);
}

World::World(const Scenario& scenario, std::uint64_t seed, WorldOptions options)
    : m_impl(std::make_unique<Impl>(scenario, seed, options)) {}
World::~World() = default;
Report World::run() { return m_impl->run(); }
const std::string& World::captured_trace() const { return m_impl->trace.full().captured(); }

}  // namespace spmc::sim
