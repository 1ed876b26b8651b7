// `spmc demo`: a scripted conversation between phones on a loss-free network, printed step
// by step: sign-up, contacts, key shares, messages (one while the recipient is offline), a
// group, and U2U authentication. With --profile all it runs the script under every profile
// and ends with what differs between them: the schemes chosen, and every check or figure
// whose outcome is not the same.
#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "args.hpp"
#include "commands.hpp"
#include "scenario_arg.hpp"
#include "spmc/schemes/group_policy.hpp"
#include "spmc/schemes/key_share_scheme.hpp"
#include "spmc/schemes/pin_kdf.hpp"
#include "spmc/schemes/u2u_scheme.hpp"
#include "spmc/sim/loopback.hpp"

namespace spmc::cli {

namespace {

struct DemoCheck {
  std::string step;
  std::string what;
  bool ok = false;
};

struct DemoRun {
  std::string profile;
  std::vector<std::pair<std::string, std::string>> schemes;  // (choice, scheme name)
  std::vector<DemoCheck> checks;
  std::size_t frames = 0;
  std::size_t failures() const {
    return static_cast<std::size_t>(
        std::count_if(checks.begin(), checks.end(), [](const DemoCheck& c) { return !c.ok; }));
  }
};

std::vector<std::pair<std::string, std::string>> schemes_of(const Profile& p) {
  return {{"key shares", std::string(p.key_share->name())},
          {"group membership change", std::string(p.group->name())},
          {"U2U authentication", std::string(p.u2u->name())},
          {"PIN key derivation", std::string(p.pin_kdf->name())}};
}

// The world logs user ids, random strings a reader cannot follow; the demo knows who is
// who, so its lines say alice and bob. Lines wait until the ids they name are known (a
// phone's id exists only once it signed up).
class Narrator {
 public:
  explicit Narrator(bool verbose) : m_verbose(verbose) {}
  void log(const std::string& line) { m_pending.push_back(line); }
  void name(const std::string& user_id, const std::string& person) { m_names[user_id] = person; }
  void say(const std::string& line) {
    flush();
    if (m_verbose) {
      std::printf("%s\n", line.c_str());
    }
  }
  void flush() {
    for (std::string line : m_pending) {
      for (const auto& [id, person] : m_names) {
        for (auto at = line.find(id); at != std::string::npos; at = line.find(id, at)) {
          line.replace(at, id.size(), person);
          at += person.size();
        }
      }
      if (m_verbose) {
        std::printf("  %s\n", line.c_str());
      }
    }
    m_pending.clear();
  }

 private:
  bool m_verbose;
  std::vector<std::string> m_pending;
  std::map<std::string, std::string> m_names;
};

class DemoScript {
 public:
  DemoScript(const Profile& profile, std::uint64_t seed, bool verbose, bool quiet)
      : m_narrator(verbose), m_world(profile, seed, [this, quiet](const std::string& line) {
          if (!quiet) {
            m_narrator.log(line);
          }
        }) {
    m_run.profile = std::string(profile.name);
    m_run.schemes = schemes_of(profile);
  }

  DemoRun run() {
    sign_up_and_befriend();
    converse();
    group();
    authenticate();
    m_narrator.flush();
    m_run.frames = m_world.wire().size();
    return m_run;
  }

 private:
  void step(const std::string& title) {
    m_step = title;
    m_narrator.say("\n== " + title);
  }
  void expect(bool ok, const std::string& what) {
    m_narrator.say(std::string(ok ? "  ok  " : "  FAIL") + " " + what);
    m_run.checks.push_back({m_step, what, ok});
  }
  std::size_t add(const std::string& person) {
    const std::size_t i = m_world.add_signed_up_phone(person + "@example.org");
    m_narrator.name(m_world.phone(i).state().user_id, person);
    return i;
  }
  const std::string& id(std::size_t i) { return m_world.phone(i).state().user_id; }

  void sign_up_and_befriend() {
    step("alice and bob sign up (email verification, certificates)");
    m_alice = add("alice");
    m_bob = add("bob");
    expect(m_world.phone(m_alice).ready() && m_world.phone(m_bob).ready(),
           "both phones hold certificates");
    step("alice adds bob; bob accepts; each sends the other a key share");
    m_world.befriend(m_alice, m_bob);
    expect(m_world.phone(m_alice).has_send_key(id(m_bob)) &&
               m_world.phone(m_bob).has_send_key(id(m_alice)),
           "both directions have a sending chain");
  }

  void converse() {
    auto& w = m_world;
    step("alice sends two messages, bob answers");
    (void)w.phone(m_alice).send_text(id(m_bob), bytes_of("hello bob"), w.effects(m_alice));
    (void)w.phone(m_alice).send_text(id(m_bob), bytes_of("second message"), w.effects(m_alice));
    w.run();
    (void)w.phone(m_bob).send_text(id(m_alice), bytes_of("hi alice"), w.effects(m_bob));
    w.run();
    expect(w.inbox(m_bob).size() == 2 && w.inbox(m_alice).size() == 1, "3 messages delivered");

    step("bob goes offline; alice writes; the server stores it; bob comes back");
    w.set_online(m_bob, false);
    (void)w.phone(m_alice).send_text(id(m_bob), bytes_of("while you were away"),
                                     w.effects(m_alice));
    w.run();
    m_narrator.say("  server offline store depth: " + std::to_string(w.server().store_depth()));
    expect(w.server().store_depth() == 1, "the message waits in the offline store");
    w.set_online(m_bob, true);
    w.run();
    expect(w.inbox(m_bob).size() == 3, "bob received it after reconnecting");
    expect(w.server().store_depth() == 0, "the server deleted it once delivered (Req6)");
  }

  void group() {
    auto& w = m_world;
    step("carol joins; alice creates a group with bob and carol");
    const std::size_t carol = add("carol");
    w.befriend(m_alice, carol);
    auto group = w.phone(m_alice).create_group({id(m_bob), id(carol)}, w.effects(m_alice));
    w.run();
    expect(group.ok(), "group created");
    if (group.ok()) {
      (void)w.phone(m_alice).send_group_text(*group, bytes_of("hello group"), w.effects(m_alice));
      w.run();
      (void)w.phone(carol).send_group_text(*group, bytes_of("hi all"), w.effects(carol));
      w.run();
      expect(w.inbox(m_bob).size() == 5 && w.inbox(carol).size() == 1,
             "group messages reached every other member");
    }
  }

  void authenticate() {
    auto& w = m_world;
    const std::string& alice_id = id(m_alice);
    const std::string& bob_id = id(m_bob);
    step("alice and bob opt in to U2U authentication and authenticate");
    using A = phone::Phone::U2uAction;
    (void)w.phone(m_alice).u2u(bob_id, A::kRequestOptin, "", w.effects(m_alice));
    w.run();
    (void)w.phone(m_bob).u2u(alice_id, A::kAcceptOptin, "", w.effects(m_bob));
    w.run();
    (void)w.phone(m_alice).u2u(bob_id, A::kProvideSecret, "tulip", w.effects(m_alice));
    (void)w.phone(m_bob).u2u(alice_id, A::kProvideSecret, "anchor", w.effects(m_bob));
    w.run();
    (void)w.phone(m_alice).u2u(bob_id, A::kRequestAuth, "", w.effects(m_alice));
    w.run();
    (void)w.phone(m_alice).u2u(bob_id, A::kAuthSecret, "tulip", w.effects(m_alice));
    (void)w.phone(m_bob).u2u(alice_id, A::kAuthSecret, "anchor", w.effects(m_bob));
    w.run();
    const auto& a_u2u = w.phone(m_alice).state().contacts.at(bob_id).u2u;
    const auto& b_u2u = w.phone(m_bob).state().contacts.at(alice_id).u2u;
    expect(a_u2u && b_u2u && a_u2u->auth_status().ok() && b_u2u->auth_status().ok(),
           "both phones authenticated each other");
  }

  Narrator m_narrator;
  sim::LoopbackWorld m_world;
  DemoRun m_run;
  std::string m_step;
  std::size_t m_alice = 0;
  std::size_t m_bob = 0;
};

// One line per scheme, check and figure whose value is not the same under every profile.
std::vector<std::string> differences(const std::vector<DemoRun>& runs) {
  std::vector<std::string> out;
  if (runs.size() < 2) {
    return out;
  }
  auto all_same = [&runs](auto value) {
    return std::all_of(runs.begin(), runs.end(),
                       [&](const DemoRun& r) { return value(r) == value(runs.front()); });
  };
  auto line = [&runs](const std::string& what, auto value) {
    std::string text = what + ":";
    for (const DemoRun& r : runs) {
      text += " " + r.profile + " " + value(r) + ";";
    }
    text.pop_back();
    return text;
  };
  for (std::size_t s = 0; s < runs.front().schemes.size(); ++s) {
    auto value = [s](const DemoRun& r) { return r.schemes[s].second; };
    if (!all_same(value)) {
      out.push_back(line(runs.front().schemes[s].first, value));
    }
  }
  for (std::size_t c = 0; c < runs.front().checks.size(); ++c) {
    auto value = [c](const DemoRun& r) {
      return c < r.checks.size() ? std::string(r.checks[c].ok ? "ok" : "FAIL") : "not reached";
    };
    if (!all_same(value)) {
      out.push_back(line("check '" + runs.front().checks[c].what + "'", value));
    }
  }
  auto frames = [](const DemoRun& r) { return std::to_string(r.frames); };
  if (!all_same(frames)) {
    out.push_back(line("frames on the network", frames));
  }
  return out;
}

void print_json(const std::vector<DemoRun>& runs, const std::vector<std::string>& diffs,
                bool pass) {
  nlohmann::ordered_json j;
  j["verdict"] = pass ? "pass" : "fail";
  auto profiles = nlohmann::ordered_json::array();
  for (const DemoRun& r : runs) {
    nlohmann::ordered_json p;
    p["profile"] = r.profile;
    p["verdict"] = r.failures() == 0 ? "pass" : "fail";
    p["schemes"] = nlohmann::ordered_json::object();
    for (const auto& [choice, scheme] : r.schemes) {
      p["schemes"][choice] = scheme;
    }
    p["checks"] = nlohmann::ordered_json::array();
    for (const DemoCheck& c : r.checks) {
      p["checks"].push_back({{"step", c.step}, {"what", c.what}, {"ok", c.ok}});
    }
    p["frames"] = r.frames;
    profiles.push_back(p);
  }
  j["profiles"] = profiles;
  j["differences"] = diffs;
  std::printf("%s\n", j.dump().c_str());
}

int run_demo(const std::string& profile_name, std::uint64_t seed, bool quiet, bool json) {
  const auto resolved = resolve_profiles_arg(profile_name);
  if (!resolved.ok()) {
    std::fprintf(stderr, "spmc: error: %s\n", resolved.error().detail.c_str());
    return kExitUsage;
  }
  std::vector<const Profile*> profiles;
  for (const Profile& p : *resolved) {
    profiles.push_back(&p);
  }
  std::vector<DemoRun> runs;
  for (const Profile* p : profiles) {
    if (!json) {
      std::printf("%s== profile %s:", runs.empty() ? "" : "\n", std::string(p->name).c_str());
      for (const auto& [choice, scheme] : schemes_of(*p)) {
        std::printf(" %s %s;", choice.c_str(), scheme.c_str());
      }
      std::printf("\n");
    }
    runs.push_back(DemoScript(*p, seed, !json, quiet).run());
    if (!json) {
      const DemoRun& r = runs.back();
      std::printf("\n%s: %zu check(s) failed; %zu frames crossed the network\n",
                  r.failures() == 0 ? "PASS" : "FAIL", r.failures(), r.frames);
    }
  }
  const bool pass =
      std::all_of(runs.begin(), runs.end(), [](const DemoRun& r) { return r.failures() == 0; });
  const auto diffs = differences(runs);
  if (json) {
    print_json(runs, diffs, pass);
  } else if (runs.size() > 1) {
    std::printf("\n== what differs between the profiles\n");
    for (const std::string& d : diffs) {
      std::printf("  %s\n", d.c_str());
    }
  }
  return pass ? kExitPass : kExitFail;
}

}  // namespace

void add_demo_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("demo", "A scripted conversation between phones, step by step");
  auto profile = std::make_shared<std::string>("paper");
  auto seed = std::make_shared<std::uint64_t>(1);
  auto quiet = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--profile", *profile,
                  "Protocol profile: a built-in name, a profile file, or all (every built-in: "
                  "run each and show what differs)")
      ->type_name("NAME|FILE|all")
      ->capture_default_str();
  add_u64_option(*cmd, "--seed", *seed, 0, kU64Max, "World seed");
  cmd->add_flag("--quiet", *quiet, "Print only the steps and checks");
  cmd->add_flag("--json", *json,
                "Print one JSON object: verdict, each profile's schemes, checks and frames, and "
                "the differences between profiles");
  cmd->callback([=, &exit_code] { exit_code = run_demo(*profile, *seed, *quiet, *json); });
}

}  // namespace spmc::cli
