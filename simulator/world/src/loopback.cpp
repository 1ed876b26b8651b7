#include "spmc/sim/loopback.hpp"

namespace spmc::sim {

struct LoopbackWorld::Node {
  std::unique_ptr<Rng> rng;
  std::unique_ptr<Rng> store_rng;  // the store's draws, off the protocol's stream
  std::string pin;
  Bytes store_file;  // the last file the phone wrote (STO-009)
  phone::PhoneConfig config;
  std::unique_ptr<phone::Phone> phone;
  std::unique_ptr<phone::PhoneEffects> fx;
  std::vector<phone::Delivered> inbox;
  std::vector<phone::PhoneEvent> events;
  bool online = true;
};

namespace {

class ServerFx final : public server::ServerEffects {
 public:
  ServerFx(std::function<void(std::size_t, Bytes)> transmit,
           std::function<void(const std::string&, const std::string&)> mail,
           std::vector<std::string>& log, server::MemoryDurableStore& store)
      : m_transmit(std::move(transmit)), m_mail(std::move(mail)), m_log(log), m_store(store) {}
  void transmit(server::Address to, Bytes frame) override { m_transmit(to, std::move(frame)); }
  void send_email(const std::string& email, const std::string& text) override {
    m_mail(email, text);
  }
  void log(const std::string& line) override { m_log.push_back(line); }
  void persist(const server::DurableChange& change) override { m_store.apply(change); }

 private:
  std::function<void(std::size_t, Bytes)> m_transmit;
  std::function<void(const std::string&, const std::string&)> m_mail;
  std::vector<std::string>& m_log;
  server::MemoryDurableStore& m_store;
};

class PhoneFx final : public phone::PhoneEffects {
 public:
  PhoneFx(std::function<void(Bytes)> transmit, std::vector<phone::Delivered>& inbox,
          std::vector<phone::PhoneEvent>& events, std::function<void(const std::string&)> say,
          Bytes& store_file, std::function<void(const phone::UserPrompt&)> ask)
      : m_transmit(std::move(transmit)),
        m_inbox(inbox),
        m_events(events),
        m_say(std::move(say)),
        m_store_file(store_file),
        m_ask(std::move(ask)) {}
  void transmit(Bytes frame) override { m_transmit(std::move(frame)); }
  void deliver(const phone::Delivered& m) override {
    m_say("  app <- " + m.from + (m.group_id ? " in " + *m.group_id : "") + ": \"" +
          std::string(m.body.begin(), m.body.end()) + "\"");
    m_inbox.push_back(m);
  }
  void event(const phone::PhoneEvent& e) override {
    m_say("  event " + std::string(phone::name(e.type)) + " peer=" + e.peer +
          " counter=" + std::to_string(e.counter) + (e.detail.empty() ? "" : " " + e.detail));
    m_events.push_back(e);
  }
  void secret(ByteView) override {}
  void persist(ByteView file) override { m_store_file.assign(file.begin(), file.end()); }
  void ask_user(const phone::UserPrompt& prompt) override {
    m_say("  prompt " + prompt.what + " peer=" + prompt.peer);
    m_ask(prompt);
  }

 private:
  std::function<void(Bytes)> m_transmit;
  std::vector<phone::Delivered>& m_inbox;
  std::vector<phone::PhoneEvent>& m_events;
  std::function<void(const std::string&)> m_say;
  Bytes& m_store_file;
  std::function<void(const phone::UserPrompt&)> m_ask;
};

}  // namespace

LoopbackWorld::LoopbackWorld(const Profile& profile, std::uint64_t seed,
                             std::function<void(const std::string&)> log)
    : m_profile(profile), m_seed(seed), m_log(std::move(log)), m_clock(1'700'000'000'000ULL) {
  m_server_rng = std::make_unique<DeterministicRng>(seed, "server");
  m_server_config.password_kdf_cost_n = 16;  // cheap: this world is for demos and tests
  m_server = std::make_unique<server::ChatServer>(profile, *m_server_rng, m_clock, m_server_config);
  m_server_store.commit(server::changes_of(m_server->durable_state()));
  m_server_fx = std::make_unique<ServerFx>(
      [this](std::size_t to, Bytes b) { send(0, to, std::move(b)); },
      [this](const std::string& email, const std::string& text) {
        m_mail.emplace_back(email, text);  // mail is slower than the network
      },
      m_server_log, m_server_store);
}

void LoopbackWorld::restart_server() {
  m_server = std::make_unique<server::ChatServer>(m_profile, *m_server_rng, m_clock,
                                                  m_server_config, m_server_store.state());
}

LoopbackWorld::~LoopbackWorld() = default;

void LoopbackWorld::say(const std::string& line) {
  if (m_log) {
    m_log(line);
  }
}

void LoopbackWorld::send(std::size_t from, std::size_t to, Bytes bytes) {
  m_wire.push_back(bytes);
  m_wire_senders.push_back(from);
  m_queue.push_back(Packet{to, from, std::move(bytes)});
}

std::size_t LoopbackWorld::add_signed_up_phone(const std::string& email, phone::PhoneConfig config,
                                               std::string pin) {
  const std::size_t index = m_phones.size();
  auto node = std::make_unique<Node>();
  node->rng = std::make_unique<DeterministicRng>(m_seed, "phone-" + std::to_string(index));
  node->store_rng = std::make_unique<DeterministicRng>(m_seed, "store-" + std::to_string(index));
  node->pin = std::move(pin);
  node->config = config;
  node->phone = std::make_unique<phone::Phone>(
      m_profile, *node->rng, m_clock, m_server->ca_public(), config, node->store_rng.get());
  node->fx = std::make_unique<PhoneFx>(
      [this, index](Bytes b) {
        if (m_phones[index]->online) {
          send(index + 1, 0, std::move(b));
        }
      },
      node->inbox, node->events, [this](const std::string& l) { say(l); }, node->store_file,
      [this, index](const phone::UserPrompt& p) {
        m_prompts.push_back({m_clock.now_ms(), index, p});
      });
  m_phones.push_back(std::move(node));
  Node& n = *m_phones.back();
  n.phone->connect(*n.fx);
  const Bytes password = bytes_of("password-" + std::to_string(index));
  // The PIN is asked at sign-up too (section 3.3 step 3(c)); it stays on the phone (STO-002).
  act(index,
      {0,
       0,
       "sign_up",
       "new account (section 3.3)",
       {{"email", bytes_of(email)}, {"password", password}, {"pin", bytes_of(n.pin)}}},
      [&](phone::Phone& p, phone::PhoneEffects& fx) { p.sign_up(email, password, n.pin, fx); });
  run();
  SPMC_CHECK(n.phone->ready());
  return index;
}

phone::Phone& LoopbackWorld::phone(std::size_t i) { return *m_phones.at(i)->phone; }
const Bytes& LoopbackWorld::store_file(std::size_t i) const { return m_phones.at(i)->store_file; }

Status LoopbackWorld::restart_phone(std::size_t i, std::string_view pin) {
  Node& n = *m_phones.at(i);
  SPMC_TRY(storage::LocalStore store, storage::LocalStore::load(n.store_file));
  n.phone = std::make_unique<phone::Phone>(m_profile, *n.rng, m_clock, m_server->ca_public(),
                                           n.config, std::move(store), n.store_rng.get());
  SPMC_TRY_STATUS(n.phone->unlock(pin.empty() ? std::string_view(n.pin) : pin, *n.fx));
  if (n.online) {
    n.phone->connect(*n.fx);
  }
  return ok_status();
}
phone::PhoneEffects& LoopbackWorld::effects(std::size_t i) { return *m_phones.at(i)->fx; }
server::ChatServer& LoopbackWorld::server() { return *m_server; }
server::ServerEffects& LoopbackWorld::server_effects() { return *m_server_fx; }
const std::vector<phone::Delivered>& LoopbackWorld::inbox(std::size_t i) const {
  return m_phones.at(i)->inbox;
}
const std::vector<phone::PhoneEvent>& LoopbackWorld::events(std::size_t i) const {
  return m_phones.at(i)->events;
}

void LoopbackWorld::set_online(std::size_t i, bool online) {
  Node& n = *m_phones.at(i);
  n.online = online;
  if (online) {
    n.phone->connect(*n.fx);
  } else {
    n.phone->disconnect();
  }
}

void LoopbackWorld::befriend(std::size_t a, std::size_t b) {
  const std::string target = phone(b).state().user_id;
  act(a, {0, 0, "add_contact", "befriend " + target, {{"contact", bytes_of(target)}}},
      [&](phone::Phone& p, phone::PhoneEffects& fx) {
        SPMC_CHECK(p.add_contact(target, fx).ok());
      });
  run();
}

void LoopbackWorld::act(std::size_t i, UserAction action,
                        const std::function<void(phone::Phone&, phone::PhoneEffects&)>& do_it) {
  action.at_ms = m_clock.now_ms();
  action.phone = i;
  m_user_actions.push_back(std::move(action));
  do_it(phone(i), effects(i));
}

void LoopbackWorld::run(TimeMs budget_ms) {
  const TimeMs end = m_clock.now_ms() + budget_ms;
  for (;;) {
    while (!m_queue.empty()) {
      Packet p = std::move(m_queue.front());
      m_queue.pop_front();
      if (m_drop && m_drop(p.from, p.to, p.bytes)) {
        continue;
      }
      if (p.to == 0) {
        m_server->on_packet(static_cast<server::Address>(p.from), p.bytes, *m_server_fx);
      } else if (m_phones.at(p.to - 1)->online) {
        Node& n = *m_phones[p.to - 1];
        n.phone->on_packet(p.bytes, *n.fx);
      }
    }
    if (!m_mail.empty()) {
      // Named, not a structured binding: clang 14 cannot capture a binding in a lambda.
      const std::pair<std::string, std::string> mail = std::move(m_mail.front());
      const std::string& email = mail.first;
      const std::string& text = mail.second;
      m_mail.pop_front();
      for (std::size_t i = 0; i < m_phones.size(); ++i) {
        Node& n = *m_phones[i];
        if (n.phone->state().email == email) {
          say("  mail to " + email + ": " + text);
          // SU-002: the user opens the mail and follows the activation link.
          act(i, {0, 0, "open_verification_mail", "sign-up email verification (SU-002)", {}},
              [&](phone::Phone& p, phone::PhoneEffects& fx) { p.receive_email(text, fx); });
        }
      }
      continue;
    }
    TimeMs next = m_server->next_deadline();
    for (auto& n : m_phones) {
      const TimeMs d = n->online ? n->phone->next_deadline() : 0;
      if (d != 0 && (next == 0 || d < next)) {
        next = d;
      }
    }
    if (next == 0 || next > end) {
      return;
    }
    m_clock.set(std::max(next, m_clock.now_ms()));
    m_server->on_timer(*m_server_fx);
    for (auto& n : m_phones) {
      if (n->online && !n->phone->locked()) {
        n->phone->on_timer(*n->fx);
      }
    }
  }
}

}  // namespace spmc::sim
