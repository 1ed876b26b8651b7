// `spmc demo`: a scripted conversation between phones on a loss-free network, printed step
// by step: sign-up, contacts, key shares, messages (one while the recipient is offline), a
// group, and U2U authentication.
#include <cstdio>

#include "args.hpp"
#include "commands.hpp"
#include "spmc/sim/loopback.hpp"

namespace spmc::cli {

namespace {

int run_demo(const std::string& profile_name, std::uint64_t seed, bool quiet) {
  auto profile = profile_by_name(profile_name);
  if (!profile.ok()) {
    std::fprintf(stderr, "spmc: error: --profile: %s\n", profile.error().detail.c_str());
    return kExitUsage;
  }
  auto print = [quiet](const std::string& line) {
    if (!quiet) {
      std::printf("%s\n", line.c_str());
    }
  };
  sim::LoopbackWorld world(**profile, seed, print);
  auto step = [&](const std::string& title) { std::printf("\n== %s\n", title.c_str()); };
  int failures = 0;
  auto expect = [&](bool ok, const std::string& what) {
    std::printf("%s %s\n", ok ? "  ok  " : "  FAIL", what.c_str());
    failures += ok ? 0 : 1;
  };

  step("alice and bob sign up (email verification, certificates)");
  const std::size_t alice = world.add_signed_up_phone("alice@example.org");
  const std::size_t bob = world.add_signed_up_phone("bob@example.org");
  expect(world.phone(alice).ready() && world.phone(bob).ready(), "both phones hold certificates");

  step("alice adds bob; bob accepts; each sends the other a key share");
  world.befriend(alice, bob);
  expect(world.phone(alice).has_send_key(world.phone(bob).state().user_id) &&
             world.phone(bob).has_send_key(world.phone(alice).state().user_id),
         "both directions have a sending chain");

  const std::string bob_id = world.phone(bob).state().user_id;
  const std::string alice_id = world.phone(alice).state().user_id;
  step("alice sends two messages, bob answers");
  (void)world.phone(alice).send_text(bob_id, bytes_of("hello bob"), world.effects(alice));
  (void)world.phone(alice).send_text(bob_id, bytes_of("second message"), world.effects(alice));
  world.run();
  (void)world.phone(bob).send_text(alice_id, bytes_of("hi alice"), world.effects(bob));
  world.run();
  expect(world.inbox(bob).size() == 2 && world.inbox(alice).size() == 1, "3 messages delivered");

  step("bob goes offline; alice writes; the server stores it; bob comes back");
  world.set_online(bob, false);
  (void)world.phone(alice).send_text(bob_id, bytes_of("while you were away"), world.effects(alice));
  world.run();
  std::printf("  server offline store depth: %zu\n", world.server().store_depth());
  expect(world.server().store_depth() == 1, "the message waits in the offline store");
  world.set_online(bob, true);
  world.run();
  expect(world.inbox(bob).size() == 3, "bob received it after reconnecting");
  expect(world.server().store_depth() == 0, "the server deleted it once delivered (Req6)");

  step("carol joins; alice creates a group with bob and carol");
  const std::size_t carol = world.add_signed_up_phone("carol@example.org");
  world.befriend(alice, carol);
  const std::string carol_id = world.phone(carol).state().user_id;
  auto group = world.phone(alice).create_group({bob_id, carol_id}, world.effects(alice));
  world.run();
  expect(group.ok(), "group created");
  if (group.ok()) {
    (void)world.phone(alice).send_group_text(*group, bytes_of("hello group"), world.effects(alice));
    world.run();
    (void)world.phone(carol).send_group_text(*group, bytes_of("hi all"), world.effects(carol));
    world.run();
    expect(world.inbox(bob).size() == 5 && world.inbox(carol).size() == 1,
           "group messages reached every other member");
  }

  step("alice and bob opt in to U2U authentication and authenticate");
  using A = phone::Phone::U2uAction;
  (void)world.phone(alice).u2u(bob_id, A::kRequestOptin, "", world.effects(alice));
  world.run();
  (void)world.phone(bob).u2u(alice_id, A::kAcceptOptin, "", world.effects(bob));
  world.run();
  (void)world.phone(alice).u2u(bob_id, A::kProvideSecret, "tulip", world.effects(alice));
  (void)world.phone(bob).u2u(alice_id, A::kProvideSecret, "anchor", world.effects(bob));
  world.run();
  (void)world.phone(alice).u2u(bob_id, A::kRequestAuth, "", world.effects(alice));
  world.run();
  (void)world.phone(alice).u2u(bob_id, A::kAuthSecret, "tulip", world.effects(alice));
  (void)world.phone(bob).u2u(alice_id, A::kAuthSecret, "anchor", world.effects(bob));
  world.run();
  const auto& a_u2u = world.phone(alice).state().contacts.at(bob_id).u2u;
  const auto& b_u2u = world.phone(bob).state().contacts.at(alice_id).u2u;
  expect(a_u2u && b_u2u && a_u2u->auth_status().ok() && b_u2u->auth_status().ok(),
         "both phones authenticated each other");

  std::printf("\n%s: %d check(s) failed; %zu frames crossed the network\n",
              failures == 0 ? "PASS" : "FAIL", failures, world.wire().size());
  return failures == 0 ? kExitPass : kExitFail;
}

}  // namespace

void add_demo_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("demo", "A scripted conversation between phones, step by step");
  auto profile = std::make_shared<std::string>("paper");
  auto seed = std::make_shared<std::uint64_t>(1);
  auto quiet = std::make_shared<bool>(false);
  add_choice_option(*cmd, "--profile", *profile, "profile", profile_names(), "Protocol profile");
  add_u64_option(*cmd, "--seed", *seed, 0, kU64Max, "World seed");
  cmd->add_flag("--quiet", *quiet, "Print only the steps and checks");
  cmd->callback([=, &exit_code] { exit_code = run_demo(*profile, *seed, *quiet); });
}

}  // namespace spmc::cli
