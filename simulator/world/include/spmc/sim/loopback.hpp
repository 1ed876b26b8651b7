#pragma once
// A loss-free, zero-latency world: one chat server and a few phones joined by FIFO queues,
// one manual clock. It runs the scripted conversation of `spmc demo` and the phone/server
// tests; the full simulator (network, faults, adversaries) is World.
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "spmc/phone.hpp"
#include "spmc/server.hpp"

namespace spmc::sim {

// Something the simulated user did on a phone (Req1..Req3 count them): what, why, and what
// the user typed (name and value), e.g. sign_up with {email, password}.
struct UserAction {
  TimeMs at_ms = 0;
  std::size_t phone = 0;
  std::string action;  // "sign_up", "open_verification_mail", "add_contact", "send", ...
  std::string cause;
  std::vector<std::pair<std::string, Bytes>> inputs;
};
// A phone asked its user for something (PhoneEffects::ask_user).
struct PromptSeen {
  TimeMs at_ms = 0;
  std::size_t phone = 0;
  phone::UserPrompt prompt;
};

class LoopbackWorld {
 public:
  // Every line the world logs (packets, phone events, deliveries) goes to `log` if set.
  LoopbackWorld(const Profile& profile, std::uint64_t seed,
                std::function<void(const std::string&)> log = {});
  ~LoopbackWorld();
  LoopbackWorld(const LoopbackWorld&) = delete;
  LoopbackWorld& operator=(const LoopbackWorld&) = delete;

  // Adds a phone, signs it up (its store under `pin`), verifies its email and waits until it
  // holds certificates. The user's sign-up and the click on the activation link are recorded
  // (user_actions).
  std::size_t add_signed_up_phone(const std::string& email, phone::PhoneConfig config = {},
                                  std::string pin = "1234");
  phone::Phone& phone(std::size_t i);
  // The store file phone i wrote last (STO-009): what a thief or a restart finds.
  const Bytes& store_file(std::size_t i) const;
  // PH-024: phone i's application dies and starts again from store_file(i), unlocked with `pin`
  // (empty: the PIN it signed up with). The unlock's error, if any, and the phone stays locked.
  Status restart_phone(std::size_t i, std::string_view pin = {});
  phone::PhoneEffects& effects(std::size_t i);
  server::ChatServer& server();
  // The effects the server sends through, for a test or an adversary that calls the
  // server directly (ChatServer::inject_deliver).
  server::ServerEffects& server_effects();
  ManualClock& clock() { return m_clock; }
  // SRV-021: the server process dies and a new one starts from what its store kept (every
  // change it persisted), as a live server restarts from its database: every connection is
  // gone, packets already in flight still arrive, stats() start again.
  void restart_server();
  // The store the server persists to (a MemoryDurableStore).
  const server::DurableState& server_store() const { return m_server_store.state(); }

  // Delivers queued packets, then timers, until nothing is left or `budget_ms` of virtual
  // time passed.
  void run(TimeMs budget_ms = 60'000);
  // Makes a and b contacts (b accepts automatically) and runs until both hold keys; a's
  // add_contact is a recorded user action.
  void befriend(std::size_t a, std::size_t b);
  // A user action on phone i: recorded, then done (it does not run the world).
  void act(std::size_t i, UserAction action,
           const std::function<void(phone::Phone&, phone::PhoneEffects&)>& do_it);
  // Every user action, in order, and every prompt a phone raised.
  const std::vector<UserAction>& user_actions() const { return m_user_actions; }
  const std::vector<PromptSeen>& prompts() const { return m_prompts; }
  void set_online(std::size_t i, bool online);
  // A test's packet filter: returns true to drop a frame. Nodes are 0 for the server and
  // i + 1 for phone i. The filter sees every frame just before it would be delivered.
  using DropFilter = std::function<bool(std::size_t from, std::size_t to, ByteView frame)>;
  void set_drop(DropFilter drop) { m_drop = std::move(drop); }

  const std::vector<phone::Delivered>& inbox(std::size_t i) const;
  const std::vector<phone::PhoneEvent>& events(std::size_t i) const;
  // Every frame that crossed the network, in order (what a passive observer records).
  const std::vector<Bytes>& wire() const { return m_wire; }
  // The sender of each frame of wire(): 0 the server, i + 1 phone i.
  const std::vector<std::size_t>& wire_senders() const { return m_wire_senders; }
  const std::vector<std::string>& server_log() const { return m_server_log; }

 private:
  struct Node;
  struct Packet {
    std::size_t to;  // 0: server, i + 1: phone i
    std::size_t from;
    Bytes bytes;
  };
  void send(std::size_t from, std::size_t to, Bytes bytes);
  void say(const std::string& line);

  const Profile& m_profile;
  std::uint64_t m_seed;
  std::function<void(const std::string&)> m_log;
  DropFilter m_drop;
  ManualClock m_clock;
  std::unique_ptr<Rng> m_server_rng;
  server::ServerConfig m_server_config;
  std::unique_ptr<server::ChatServer> m_server;
  server::MemoryDurableStore m_server_store;
  std::unique_ptr<server::ServerEffects> m_server_fx;
  std::vector<std::unique_ptr<Node>> m_phones;
  std::deque<Packet> m_queue;
  std::deque<std::pair<std::string, std::string>> m_mail;
  std::vector<Bytes> m_wire;
  std::vector<std::size_t> m_wire_senders;
  std::vector<UserAction> m_user_actions;
  std::vector<PromptSeen> m_prompts;
  std::vector<std::string> m_server_log;
};

}  // namespace spmc::sim
