#pragma once
// A chat server driven request by request through a real channel endpoint, with no phone
// (tests/unit/server_test.cpp, server_durable_test.cpp, tests/prop/server_durable_prop.cpp).
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "spmc/server.hpp"

namespace spmc::server {

// Records what the server sends and keeps its durable state in a MemoryDurableStore fed by
// persist(), as a driver with a store does (SRV-021). When `watched` is set, every transmit
// checks that the store already holds everything the server's durable state holds.
class RecordingFx final : public ServerEffects {
 public:
  void transmit(Address to, Bytes frame) override {
    if (watched != nullptr) {
      EXPECT_TRUE(store.state() == watched->durable_state()) << "a frame left before a change";
      ++checked_transmits;
    }
    frames[to].push_back(std::move(frame));
  }
  void persist(const DurableChange& change) override {
    store.apply(change);
    ++persisted;
    if (on_persist) {
      on_persist(change);
    }
  }
  void send_email(const std::string&, const std::string& text) override { mails.push_back(text); }
  void log(const std::string& line) override { logs.push_back(line); }
  std::map<Address, std::vector<Bytes>> frames;
  std::vector<std::string> mails;
  std::vector<std::string> logs;
  MemoryDurableStore store;
  std::function<void(const DurableChange&)> on_persist;  // a second store, if a test has one
  const ChatServer* watched = nullptr;
  std::size_t persisted = 0;
  std::size_t checked_transmits = 0;
};

// One server, and one client connection per address that speaks the reliable channel.
class ServerHarness {
 public:
  explicit ServerHarness(const Profile& profile, std::uint64_t seed = 1)
      : m_rng(seed, "server_test"), m_server(profile, m_rng, clock, config()) {
    clock.set(1'000'000);
    fx.store = MemoryDurableStore(m_server.durable_state());  // a driver seeds its store so
  }

  // SRV-021: the server restarts from what the store kept; every connection is gone.
  void restart() {
    m_server.recover(fx.store.state());
    m_clients.clear();
    fx.frames.clear();
  }

  // Sends `body` from `from` and returns every message the server sent back, replies and
  // pushes, in order; acknowledges every frame so nothing is left in flight.
  std::vector<proto::Message> request(Address from, proto::Body body) {
    auto [it, fresh] = m_clients.try_emplace(from, m_next_session++, channel::Config{});
    (void)fresh;
    std::vector<Bytes> out;
    const std::uint32_t id = m_next_request++;
    EXPECT_TRUE(it->second.send(proto::encode({id, std::move(body)}), clock.now_ms(), out).ok());
    std::vector<proto::Message> received;
    while (!out.empty()) {
      for (const Bytes& f : out) {
        m_server.on_packet(from, f, fx);
      }
      out.clear();
      std::vector<Bytes> frames = std::move(fx.frames[from]);
      fx.frames.erase(from);
      for (const Bytes& f : frames) {
        auto payloads = it->second.on_frame(f, clock.now_ms(), out);
        EXPECT_TRUE(payloads.ok());
        for (const Bytes& p : *payloads) {
          auto m = proto::decode(p);
          EXPECT_TRUE(m.ok());
          received.push_back(*m);
        }
      }
    }
    return received;
  }

  // The reply to the request (pushes that arrive with it are left out).
  proto::Message reply(Address from, proto::Body body) {
    const std::uint32_t id = m_next_request;
    std::vector<proto::Message> replies;
    for (auto& m : request(from, std::move(body))) {
      if (m.request_id != 0) {
        replies.push_back(std::move(m));
      }
    }
    EXPECT_EQ(replies.size(), 1U);
    EXPECT_EQ(replies.empty() ? 0U : replies[0].request_id, id);
    return replies.empty() ? proto::Message{} : replies[0];
  }

  // The error code of a Failure reply (0 when the reply is not a Failure).
  std::uint16_t refusal(Address from, proto::Body body) {
    const auto m = reply(from, std::move(body));
    const auto* f = std::get_if<proto::Failure>(&m.body);
    return f == nullptr ? 0 : f->code;
  }

  std::string sign_up(Address from, const std::string& email) {
    const auto m = reply(from, proto::SignUp{email, bytes_of("pw-" + email)});
    return std::get<proto::SignedUp>(m.body).user_id;
  }

  // The code of the last verification mail ("SPMC verification for <id>: <code>", SU-002).
  std::string last_code() const {
    const std::string& mail = fx.mails.back();
    return mail.substr(mail.rfind(": ") + 2);
  }

  // A verified, logged-in user with certificates, connected at `from`.
  std::string user(Address from, const std::string& email) {
    std::string id = sign_up(from, email);
    EXPECT_TRUE(
        std::holds_alternative<proto::Ok>(reply(from, proto::VerifyEmail{id, last_code()}).body));
    login(from, id, email);
    const auto certs = reply(from, proto::RequestCertificates{m_rng.bytes(32), m_rng.bytes(32)});
    EXPECT_TRUE(std::holds_alternative<proto::Certificates>(certs.body));
    return id;
  }

  std::vector<proto::Message> login(Address from, const std::string& id, const std::string& email) {
    return request(from, proto::Login{id, bytes_of("pw-" + email)});
  }

  // A new connection from the same address: the user logged in there is now offline (CH-007).
  void go_offline(Address from) {
    m_clients.erase(from);
    fx.frames.erase(from);
    (void)request(from, proto::TimeSync{});
  }

  // Acknowledges every stored item among `ms`, so the stores are empty again.
  void ack_all(Address from, const std::vector<proto::Message>& ms) {
    for (const auto& m : ms) {
      std::visit(
          [&](const auto& push) {
            if constexpr (requires { push.message_id; }) {
              if (m.request_id == 0) {
                (void)request(from, proto::Ack{push.message_id});
              }
            }
          },
          m.body);
    }
  }

  // A and B become contacts and acknowledge every push that took.
  void befriend(Address a_addr, const std::string& a, Address b_addr, const std::string& b) {
    EXPECT_EQ(refusal(a_addr, proto::AddContact{b}), 0);
    ack_all(b_addr, request(b_addr, proto::TimeSync{}));
    ack_all(b_addr, request(b_addr, proto::AcceptContact{a}));
    ack_all(a_addr, request(a_addr, proto::TimeSync{}));
    EXPECT_EQ(m_server.store_depth(), 0U);
  }

  static proto::Send send_to(const std::string& to, std::string_view text) {
    return proto::Send{to, proto::PayloadKind::kEnvelope, bytes_of(text)};
  }

  ChatServer& server() { return m_server; }

  ManualClock clock;
  RecordingFx fx;

 private:
  static ServerConfig config() {
    ServerConfig c;
    c.password_kdf_cost_n = 16;  // the verifier's cost is not what these tests are about
    return c;
  }

  DeterministicRng m_rng;
  ChatServer m_server;
  std::map<Address, channel::Endpoint> m_clients;
  std::uint32_t m_next_session = 1;
  std::uint32_t m_next_request = 1;
};

}  // namespace spmc::server
