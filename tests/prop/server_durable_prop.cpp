// The server's persistence seam under random use (spec/server.md SRV-021): sign-ups, contact
// requests and acceptances, sends, acknowledgements, reinstalls, reconnects and restarts in
// any order. The store fed by persist() always holds exactly the server's durable state (and
// already does whenever a frame leaves), and a restart from it loses nothing durable.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "unit/server_harness.hpp"

namespace spmc::server {
namespace {

enum class Op : std::uint8_t {
  kNewUser,
  kAddContact,
  kAccept,
  kSend,
  kAck,
  kReconnect,
  kLogin,
  kReinstall,
  kRestart,
};

struct Step {
  Op op = Op::kNewUser;
  std::uint8_t a = 0;
  std::uint8_t b = 0;
};

struct User {
  std::string id;
  std::string email;
  Address address = 0;
};

// Proves: SRV-021
RC_GTEST_PROP(ServerDurable, TheStoreAlwaysHoldsTheDurableStateAndARestartLosesNothingOfIt, ()) {
  const auto steps = *rc::gen::container<std::vector<Step>>(rc::gen::build<Step>(
      rc::gen::set(&Step::op,
                   rc::gen::element(Op::kNewUser, Op::kAddContact, Op::kAccept, Op::kSend, Op::kAck,
                                    Op::kReconnect, Op::kLogin, Op::kReinstall, Op::kRestart)),
      rc::gen::set(&Step::a, rc::gen::inRange<std::uint8_t>(0, 8)),
      rc::gen::set(&Step::b, rc::gen::inRange<std::uint8_t>(0, 8))));
  ServerHarness h(paper_profile(), *rc::gen::inRange<std::uint64_t>(1, 1000));
  h.fx.watched = &h.server();
  std::vector<User> users;
  std::size_t restarts = 0;
  for (const Step& step : steps) {
    if (step.op == Op::kNewUser || users.empty()) {
      if (users.size() < 6) {
        User u;
        u.address = static_cast<Address>(users.size() + 1);
        u.email = "u" + std::to_string(users.size()) + "@x.org";
        u.id = h.user(u.address, u.email);
        users.push_back(u);
      }
      continue;
    }
    const User& a = users[step.a % users.size()];
    const User& b = users[step.b % users.size()];
    switch (step.op) {
      case Op::kAddContact:
        (void)h.request(a.address, proto::AddContact{b.id});
        break;
      case Op::kAccept:
        (void)h.request(a.address, proto::AcceptContact{b.id});
        break;
      case Op::kSend:
        (void)h.request(a.address, ServerHarness::send_to(b.id, "m" + std::to_string(step.b)));
        break;
      case Op::kAck: {
        const auto& store = h.fx.store.state().store;
        auto it = store.find(a.id);
        if (it != store.end()) {
          const auto& queue = it->second;
          (void)h.request(a.address, proto::Ack{queue[step.b % queue.size()].message_id});
        }
        break;
      }
      case Op::kReconnect:
        h.go_offline(a.address);
        break;
      case Op::kLogin:
        (void)h.login(a.address, a.id, a.email);
        break;
      case Op::kReinstall:
        (void)h.request(a.address, proto::RequestCertificates{Bytes(32, step.b), Bytes(32, 1)});
        break;
      case Op::kRestart: {
        const DurableState before = h.server().durable_state();
        h.restart();
        ++restarts;
        RC_ASSERT(h.server().durable_state() == before);
        RC_ASSERT(h.server().idle());
        break;
      }
      case Op::kNewUser:
        break;
    }
    RC_ASSERT(h.fx.store.state() == h.server().durable_state());
  }
  RC_TAG(restarts > 0 ? "restarted" : "never restarted");
}

}  // namespace
}  // namespace spmc::server
