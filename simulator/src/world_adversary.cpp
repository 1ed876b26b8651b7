// The adversaries of spec/requirements.md inside the world (adversary.hpp): where they sit,
// what they change, when they strike, and the invariants that judge what they achieved.
#include <algorithm>

#include "adversary_util.hpp"
#include "spmc/certificate.hpp"
#include "spmc/channel.hpp"
#include "spmc/envelope.hpp"
#include "spmc/sim/world_impl.hpp"

namespace spmc::sim {

const std::vector<AdversaryInfo>& adversary_catalogue() {
  static const std::vector<AdversaryInfo> kAll = {
      {"observer", "PNO", "records every payload on the wire (as if TLS gave no secrecy)"},
      {"curious_server", "HBC", "follows the protocol and records everything it relays"},
      {"server_substitutes_keys", "MAL",
       "certifies its own keys as b's encryption key (to a) and a's signature key (to b), "
       "opens a's key shares to b and forwards them re-sealed"},
      {"server_mitm", "MAL",
       "substitutes keys both ways between a and b and answers the hardened U2U challenges "
       "itself (A-36)"},
      {"server_forges_key_share", "MAL", "pushes b a key share and messages it made up, as a's"},
      {"server_replays", "MAL", "pushes again items it relayed before, to their recipients"},
      {"network_attacker", "ANA", "drops, replays and corrupts frames during the safety phase"},
      {"device_compromise", "DEV",
       "takes b's keys at the end of the safety phase and opens what it recorded"},
      {"removed_member", "MAL",
       "a group member is removed; it keeps its share and the server gives it the ciphertexts"},
  };
  return kAll;
}

Status check_adversary_names(const std::vector<std::string>& names) {
  for (const std::string& n : names) {
    const auto& all = adversary_catalogue();
    if (std::none_of(all.begin(), all.end(),
                     [&n](const AdversaryInfo& i) { return i.name == n; })) {
      return make_error(ErrorCode::kBadValue, "unknown adversary '" + n + "'");
    }
  }
  return ok_status();
}

bool AdversaryRun::server_records() const {
  return has("curious_server") || substituting() || has("server_replays") ||
         has("device_compromise") || has("removed_member");
}

namespace {}  // namespace

// Sits on the wire: the observer's recorder, the malicious server's inbound rewriter (it
// is where TLS ends at the server) and the active network attacker.
class AdversaryTap final : public NetworkTap {
 public:
  AdversaryTap(World::Impl& world, Prng rng) : m_world(world), m_rng(std::move(rng)) {}

  TapVerdict on_send(Packet& packet) override {
    AdversaryRun& adv = *m_world.adversary;
    if (adv.substituting() && packet.to == kServerNode) {
      m_world.substitute_inbound(packet);
    }
    if (adv.has("observer")) {
      observe(packet);
    }
    if (adv.has("network_attacker") && m_world.safety) {
      return attack(packet);
    }
    return TapVerdict::kForward;
  }

 private:
  void observe(const Packet& packet) {
    auto f = channel::decode(packet.bytes);
    if (!f.ok() || f->kind != channel::FrameKind::kData) {
      return;
    }
    auto m = proto::decode(f->payload);
    if (!m.ok()) {
      return;
    }
    const NodeId phone = packet.to == kServerNode ? packet.from : packet.to;
    const std::string& user = m_world.phones[phone_index(phone)]->phone->state().user_id;
    if (const auto* s = std::get_if<proto::Send>(&m->body)) {
      m_world.adversary->knowledge.record(user, s->to, s->kind, s->payload, m_world.queue.now());
    } else if (const auto* d = std::get_if<proto::Deliver>(&m->body)) {
      m_world.adversary->knowledge.record(d->from, user, d->kind, d->payload, m_world.queue.now());
    }
  }

  // ANA (spec/requirements.md): it cannot read or forge inside the channel, so what it
  // injects are recorded frames (replays, stale sessions) and corrupted copies.
  TapVerdict attack(const Packet& packet) {
    AdversaryRun& adv = *m_world.adversary;
    const std::uint64_t roll = m_rng.uniform(1000);
    if (roll < 20) {
      ++adv.network_drops;
      return TapVerdict::kDrop;
    }
    if (roll < 60) {
      ++adv.network_replays;
      const TimeUs later = m_rng.uniform_range(kUsPerSecond, 20 * kUsPerSecond);
      m_world.network->inject(packet.from, packet.to, packet.bytes, later);
    } else if (roll < 70 && packet.bytes.size() >= kKindAndSession) {
      // TLS would reject any modified record. Our channel has no MAC, so the attacker
      // modifies only what TLS's own checks stand for here: the frame kind and session
      // (CH-001, CH-003). A changed payload or sequence number would be a forgery inside
      // the channel, which this adversary cannot make (spec/requirements.md, ANA).
      Bytes corrupt = packet.bytes;
      corrupt[m_rng.uniform(kKindAndSession)] ^= static_cast<std::uint8_t>(1 + m_rng.uniform(255));
      ++adv.network_replays;
      m_world.network->inject(packet.from, packet.to, std::move(corrupt), kUsPerMs);
    }
    return TapVerdict::kForward;
  }

  static constexpr std::size_t kKindAndSession = 5;
  World::Impl& m_world;
  Prng m_rng;
};

void World::Impl::setup_adversaries() {
  adversary = std::make_unique<AdversaryRun>(profile);
  AdversaryRun& adv = *adversary;
  adv.names.insert(scenario.adversaries.begin(), scenario.adversaries.end());
  adv.rng = std::make_unique<DeterministicRng>(seeds.seed("adversary"), "adversary");
  if (!edges.empty()) {
    adv.a = edges.front().first;
    adv.b = edges.front().second;
  }
  if (!adv.names.empty()) {
    // The malicious server's own keys (its own stream: no other draw changes).
    adv.fake_enc = crypto::x25519_generate(*adv.rng);
    adv.fake_sign = crypto::ed25519_generate(*adv.rng);
    adv.tap = std::make_unique<AdversaryTap>(*this, seeds.stream("adversary"));
    network->add_tap(adv.tap.get());
  }
}

const std::string& World::Impl::user_of(std::uint32_t index) const {
  return phones[index]->phone->state().user_id;
}

// The substituting server reads each message of a to b as it relays it (server_read of
// models/key_share/key_substitution.pml), with the share it opened in flight.
void World::Impl::substitution_reads(const std::string& from, const std::string& to,
                                     ByteView envelope_bytes) {
  AdversaryRun& adv = *adversary;
  if (from != user_of(adv.a) || to != user_of(adv.b)) {
    return;
  }
  auto env = envelope::decode_envelope(envelope_bytes);
  if (!env.ok()) {
    return;
  }
  if (auto payload = adv.knowledge.open_now(*env)) {
    auto e = make_trace_event(queue.now(), "adv_msg_read");
    e["from"] = from;
    e["to"] = to;
    e["counter"] = env->header.counter;
    e["type"] = static_cast<int>(payload->type);
    trace.record(e);
  }
}

void World::Impl::start_adversaries() {
  AdversaryRun& adv = *adversary;
  const TimeUs safety_us = scenario.phases.safety_ms * kUsPerMs;
  if (adv.has("device_compromise")) {
    adv.strike_at = queue.now() + safety_us - kUsPerMs;
    queue.schedule_at(adv.strike_at, [this] { compromise_device(); });
  }
  if (adv.has("removed_member")) {
    adv.strike_at = queue.now() + safety_us / 3;
    queue.schedule_at(adv.strike_at, [this] { remove_member(); });
  }
  if (adv.has("server_forges_key_share")) {
    queue.schedule_after(safety_us / 2, [this] { forge_key_share(); });
  }
  if (adv.has("server_forges_key_share") || adv.substituting()) {
    // The victims keep chatting: a writes to b after the attack is in place, so its
    // outcome never depends on whether the random workload happened to pick that pair.
    queue.schedule_after(safety_us / 2 + 5 * kUsPerSecond,
                         [this] { send_scripted_text(adversary->a, adversary->b); });
  }
  if (adv.has("server_replays")) {
    for (TimeUs at : {safety_us / 3, 2 * safety_us / 3}) {
      queue.schedule_after(at, [this] { replay_relayed(); });
    }
  }
}

// DEV: every secret of phone b at one instant; what matters for forward secrecy is its
// long-term encryption key, which opens every key share ever sealed to b.
void World::Impl::compromise_device() {
  AdversaryRun& adv = *adversary;
  const phone::PersistentState& s = phones[adv.b]->phone->state();
  adv.victim = s.user_id;
  adv.struck = true;
  adv.knowledge.learn_enc_secret(s.user_id, s.enc_keys.secret_key);
  record("adv_compromise", adv.b, "encryption key of " + s.user_id + " taken");
}

// The first group (by organiser index) with another member: its last member is removed,
// keeps the share it holds, and the server goes on handing it the group's ciphertexts.
void World::Impl::remove_member() {
  AdversaryRun& adv = *adversary;
  for (auto& org : phones) {
    for (const std::string& g : org->groups) {
      const auto& groups = org->phone->state().groups;
      auto it = groups.find(g);
      if (it == groups.end() || !it->second.organiser_state || !it->second.share.group ||
          it->second.share.group->members.size() < 2) {
        continue;
      }
      const std::string victim = it->second.share.group->members.back();
      const Bytes old_key = it->second.share.master_key;
      const auto idx = index_of.find(victim);
      if (idx == index_of.end() || victim == org->phone->state().user_id) {
        continue;
      }
      const auto& mine = phones[idx->second]->phone->state().groups;
      if (auto m = mine.find(g); m != mine.end()) {
        adv.knowledge.learn_share("", g, m->second.share);
      }
      if (!org->phone->group_remove(g, victim, *org->fx).ok()) {
        continue;
      }
      schedule_wakeup(*org);
      auto& vg = phones[idx->second]->groups;
      vg.erase(std::remove(vg.begin(), vg.end(), g), vg.end());
      adv.removed = victim;
      adv.group = g;
      const auto& now_share = org->phone->state().groups.at(g).share;
      if (now_share.master_key != old_key) {
        adv.new_key_ts = now_share.timestamp_ms;
        adv.new_key_at[org->phone->state().user_id] = org->phone->app_now();
      }
      adv.struck = true;
      adv.strike_at = queue.now();
      record("adv_remove", idx->second, victim + " removed from " + g);
      // The group goes on talking after the removal.
      const std::uint32_t organiser = org->index;
      queue.schedule_after(5 * kUsPerSecond,
                           [this, organiser, g] { send_scripted_text(organiser, 0, g); });
      return;
    }
  }
}

// MAL: a key share "from a" that the server drew, sealed to b's certified key,
// then messages under it. Hardened shares must carry a's signature, which it cannot make.
void World::Impl::forge_key_share() {
  AdversaryRun& adv = *adversary;
  const std::string& a = user_of(adv.a);
  const std::string& b = user_of(adv.b);
  const auto b_enc = certified_key(server->account(b), true);
  if (a.empty() || !b_enc) {
    return;
  }
  const TimeMs now = server_clock->now_ms();
  const keyshare::KeySharePlain share =
      keyshare::make_pairwise(*adv.rng, profile.default_suite, now, keyshare::Lifetime::session());
  Bytes sealed = keyshare::seal(*adv.rng, profile, share, a, b, *b_enc, &adv.fake_sign.secret_key);
  server->inject_deliver(b, a, proto::PayloadKind::kKeyShare, std::move(sealed), *server_fx);
  ++adv.injected;
  ratchet::SendChain chain(share.suite, share.master_key, ratchet::SeedFile{share.seed});
  for (std::uint32_t k = 0; k < 3; ++k) {
    auto mk = chain.next();
    SPMC_CHECK(mk.ok());
    envelope::EnvelopeHeader h{envelope::Kind::kDirect, a, b, now, 0, 0, mk->counter, now};
    const envelope::AppPayload body{envelope::ContentType::kText,
                                    make_canary_body(kForgedUidBase + k, 64)};
    server->inject_deliver(b, a, proto::PayloadKind::kEnvelope, envelope::seal(h, mk->key, body),
                           *server_fx);
    ++adv.injected;
  }
  record("adv_forge", adv.b, "key share and 3 messages pushed as " + a);
  schedule_server_wakeup();
}

// MAL replay (KS-010, RAT-006): items already relayed, pushed again to their recipients.
void World::Impl::replay_relayed() {
  AdversaryRun& adv = *adversary;
  std::uint64_t n = 0;
  for (const auto& r : adv.knowledge.recorded()) {
    if (n++ == 64) {
      break;
    }
    server->inject_deliver(r.to, r.from, r.kind, r.payload, *server_fx);
    ++adv.injected;
    if (r.kind != proto::PayloadKind::kEnvelope) {
      continue;
    }
    if (auto env = envelope::decode_envelope(r.payload); env.ok()) {
      // An extra copy of a relayed envelope in flight (the ratchet model's msg_dup).
      auto e = make_trace_event(queue.now(), "adv_inject");
      e["from"] = r.from;
      e["to"] = r.to;
      e["counter"] = env->header.counter;
      e["key_ts"] = env->header.key_timestamp_ms;
      trace.record(e);
    }
  }
  record("adv_replay", 0, std::to_string(n) + " relayed items pushed again");
  schedule_server_wakeup();
}

namespace {

InvariantResult invariant(std::string name, std::string requirement) {
  InvariantResult r;
  r.name = std::move(name);
  r.requirement = std::move(requirement);
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

}  // namespace

void World::Impl::adversary_results(Report& r) const {
  const AdversaryRun& adv = *adversary;
  if (adv.names.empty()) {
    return;
  }
  const AttackFindings f = adv.knowledge.analyse(
      [this](const std::string& user) { return certified_key(server->account(user), false); });
  r.findings.push_back("adversaries: " + [&adv] {
    std::string s;
    for (const std::string& n : adv.names) {
      s += (s.empty() ? "" : ", ") + n;
    }
    return s;
  }());
  r.findings.push_back("recorded " + std::to_string(f.shares_recorded) + " key shares and " +
                       std::to_string(f.envelopes_recorded) + " envelopes; opened " +
                       std::to_string(f.shares_opened) + " shares (" +
                       std::to_string(adv.shares_intercepted) + " intercepted in flight); read " +
                       std::to_string(f.read.size()) + " messages and " +
                       std::to_string(f.u2u_hashes_seen) + " U2U payloads after " +
                       std::to_string(f.attempts) + " decryption attempts");
  if (adv.substituting()) {
    r.findings.push_back("certificates replaced in " + std::to_string(adv.certs_replaced) +
                         " pushes; key shares intercepted " +
                         std::to_string(adv.shares_intercepted) + "; U2U responses rewritten " +
                         std::to_string(adv.u2u_rewritten));
  }
  if (adv.injected != 0 || adv.network_replays != 0 || adv.network_drops != 0) {
    r.findings.push_back(
        "pushed " + std::to_string(adv.injected) +
        " forged or replayed items; network: " + std::to_string(adv.network_replays) +
        " frames replayed or corrupted, " + std::to_string(adv.network_drops) + " dropped");
  }
  if (adv.has("observer") || adv.has("curious_server") || adv.substituting()) {
    InvariantResult i = invariant("adversary_reads_nothing", "Req8 Req2 REQ-8.malicious");
    i.checks = f.envelopes_recorded;
    if (!f.read.empty()) {
      violate(i, "the adversary read " + std::to_string(f.read.size()) + " messages, first " +
                     describe(f.read.front()));
    } else if (f.u2u_hashes_seen != 0) {
      violate(i, "the adversary read " + std::to_string(f.u2u_hashes_seen) +
                     " U2U payloads (secret hashes: input to a dictionary attack, A-11)");
    }
    r.invariants.push_back(i);
  }
  if (adv.substituting()) {
    r.invariants.push_back(u2u_mitm_result());
  }
  if (adv.has("curious_server")) {
    r.invariants.push_back(pii_at_rest_result());
    std::set<std::pair<std::string, std::string>> pairs;
    for (const RecordedPayload& p : adv.knowledge.recorded()) {
      pairs.emplace(p.from, p.to);
    }
    r.findings.push_back("metadata: the server handled " + std::to_string(adv.emails_seen) +
                         " email addresses at sign-up and saw " + std::to_string(pairs.size()) +
                         " distinct sender->recipient pairs over " +
                         std::to_string(adv.knowledge.recorded().size()) +
                         " relayed items, with sizes and times");
  }
  if (adv.has("device_compromise")) {
    InvariantResult i = invariant("forward_secrecy", "Req2 REQ-2.forward_secrecy");
    i.checks = f.envelopes_recorded;
    const auto past = std::count_if(f.read.begin(), f.read.end(), [&adv](const ReadMessage& m) {
      return m.recorded_at < adv.strike_at;
    });
    if (!adv.struck) {
      violate(i, "the compromise never happened");
    } else if (past != 0) {
      violate(i, "with " + adv.victim + "'s keys taken at " +
                     std::to_string(adv.strike_at / kUsPerMs) + " ms the adversary read " +
                     std::to_string(past) + " messages recorded before, first " +
                     describe(f.read.front()));
    }
    r.invariants.push_back(i);
  }
  if (adv.has("removed_member")) {
    InvariantResult i =
        invariant("removed_member_reads_nothing", "Req8 REQ-8.removed_member GRP-010");
    i.checks = f.envelopes_recorded;
    // Read after the removal: a failure of the protocol unless it was written in the rekey
    // window, by a member that did not hold the new key yet (nothing can protect those).
    std::vector<ReadMessage> after;
    std::uint64_t window = 0;
    for (const ReadMessage& m : f.read) {
      if (m.to != adv.group || m.recorded_at <= adv.strike_at) {
        continue;
      }
      auto had = adv.new_key_at.find(m.from);
      if (adv.new_key_ts && (had == adv.new_key_at.end() || m.sent_ms < had->second)) {
        ++window;
      } else {
        after.push_back(m);
      }
    }
    r.findings.push_back("removed member: " + std::to_string(window) +
                         " group messages read that were written before their sender held the "
                         "new key (rekey window), " +
                         std::to_string(after.size()) + " after");
    if (!adv.struck) {
      violate(i, "no group had a member to remove");
    } else if (!after.empty()) {
      violate(i, adv.removed + ", removed from " + adv.group + " at " +
                     std::to_string(adv.strike_at / kUsPerMs) + " ms, read " +
                     std::to_string(after.size()) + " group messages sent later, first " +
                     describe(after.front()));
    }
    r.invariants.push_back(i);
  }
}

// Req1 (SU-001) against the curious server: no email address or password in clear in
// anything it keeps. Every simulated address ends in "@sim.example" and every password
// contains its address, so one pattern finds both.
InvariantResult World::Impl::pii_at_rest_result() const {
  InvariantResult i = invariant("no_pii_at_rest", "Req1 REQ-1.stored SU-001");
  static constexpr std::string_view kPattern = "@sim.example";
  server->visit_held_bytes([&i](std::string_view what, ByteView bytes) {
    ++i.checks;
    const auto* begin = reinterpret_cast<const char*>(bytes.data());
    const std::string_view text(begin, bytes.size());
    if (text.find(kPattern) != std::string_view::npos) {
      violate(i, "an email address in clear in " + std::string(what));
    }
  });
  return i;
}

bool World::Impl::under_mitm(std::uint32_t x, std::uint32_t y) const {
  const AdversaryRun& adv = *adversary;
  return adv.substituting() && ((x == adv.a && y == adv.b) || (x == adv.b && y == adv.a));
}

// Req5 against the man in the middle: a U2U run between a and b must not end with both
// phones showing "verified" while the server holds a substituted key between them.
InvariantResult World::Impl::u2u_mitm_result() const {
  const AdversaryRun& adv = *adversary;
  InvariantResult i = invariant("u2u_detects_mitm", "Req5 REQ-5.early_substitution U2U-010");
  auto state_at = [this](std::uint32_t me, std::uint32_t other) -> std::string {
    const auto& contacts = phones[me]->phone->state().contacts;
    auto c = contacts.find(user_of(other));
    if (c == contacts.end() || !c->second.u2u) {
      return "none";
    }
    return std::string(u2u::state_name(c->second.u2u->state()));
  };
  const std::string at_a = state_at(adv.a, adv.b);
  const std::string at_b = state_at(adv.b, adv.a);
  i.checks = 2;
  if (adv.certs_replaced == 0) {
    violate(i, "no certificate was substituted: the attack did not run");
  } else if (at_a == "authenticated" && at_b == "authenticated") {
    violate(i, "both phones show the other as verified (U2U state authenticated) although " +
                   user_of(adv.b) + "'s encryption key seen by " + user_of(adv.a) +
                   " is the server's");
  } else if (at_a != "failed" && at_b != "failed") {
    violate(i, "the U2U run did not finish: states " + at_a + " / " + at_b);
  }
  return i;
}

}  // namespace spmc::sim
