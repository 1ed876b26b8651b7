// The checks about the user (spec/requirements_evidence.md, "User experiments"): what the
// sign-up takes from the user and gives the service (REQ-1.asked), what the user must do
// between sending and delivery (REQ-2.seamless) and for key shares, encryption, decryption,
// rekeys and recovery (REQ-3.no_prompts), and a first message to an offline contact
// (REQ-4.first_contact_offline). One LoopbackWorld run (seed kOfflineSeed) whose user
// actions the world records and whose phones report every prompt (PhoneEffects::ask_user).
#include <algorithm>
#include <set>
#include <tuple>
#include <type_traits>

#include "offline_common.hpp"
#include "spmc/channel.hpp"
#include "spmc/check.hpp"
#include "spmc/server_proto.hpp"
#include "spmc/sim/loopback.hpp"
#include "spmc/sim/offline_attacks.hpp"

namespace spmc::sim {
namespace {

constexpr std::string_view kFirstText = "first message, written while B is offline";
constexpr TimeMs kDayMs = 24ULL * 3600 * 1000;

// The events of every phone so far: a phase counts what came after.
using Marks = std::vector<std::size_t>;
Marks mark(const LoopbackWorld& world, std::size_t phones) {
  Marks m;
  for (std::size_t i = 0; i < phones; ++i) {
    m.push_back(world.events(i).size());
  }
  return m;
}
std::uint64_t count_since(const LoopbackWorld& world, const Marks& since,
                          phone::PhoneEventKind kind, std::size_t only_phone = SIZE_MAX) {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < since.size(); ++i) {
    if (only_phone != SIZE_MAX && i != only_phone) {
      continue;
    }
    const auto& ev = world.events(i);
    n += static_cast<std::uint64_t>(
        std::count_if(ev.begin() + static_cast<std::ptrdiff_t>(since[i]), ev.end(),
                      [kind](const phone::PhoneEvent& e) { return e.type == kind; }));
  }
  return n;
}

bool contains(ByteView haystack, ByteView needle) {
  return !needle.empty() && std::search(haystack.begin(), haystack.end(), needle.begin(),
                                        needle.end()) != haystack.end();
}

// The fields of a SignUp message that hold a value the user typed: a field the record of the
// user's inputs does not explain (a new field, or one filled from elsewhere) is not counted.
std::size_t fields_from_user(const proto::SignUp& m,
                             const std::vector<std::pair<std::string, Bytes>>& inputs) {
  auto typed = [&inputs](ByteView value) {
    return std::any_of(inputs.begin(), inputs.end(), [value](const auto& in) {
      return std::equal(value.begin(), value.end(), in.second.begin(), in.second.end());
    });
  };
  auto one = [&typed](const auto& member) -> std::size_t {
    using T = std::decay_t<decltype(member)>;
    if constexpr (std::is_same_v<T, std::string>) {
      return typed(bytes_of(member)) ? 1 : 0;
    } else if constexpr (std::is_same_v<T, Bytes>) {
      return typed(member) ? 1 : 0;
    } else {
      return 0;
    }
  };
  return std::apply([&one](const auto&... field) { return (one(field.ref) + ... + 0); },
                    proto::SignUp::fields(m));
}

// REQ-1.asked: every value the users typed at sign-up, and the messages of their phones that
// carried it to the server (decoded from the wire: channel frame, then protocol message).
void observe_sign_up(const LoopbackWorld& world, UserFlows& out) {
  std::map<std::string, SignUpInput> by_name;
  proto::SignUp probe;
  out.sign_up_message_fields = std::tuple_size_v<decltype(proto::SignUp::fields(probe))>;
  out.sign_up_fields_from_user = out.sign_up_message_fields;
  for (const UserAction& a : world.user_actions()) {
    if (a.action != "sign_up") {
      continue;
    }
    ++out.sign_ups;
    for (const auto& [name, value] : a.inputs) {
      by_name[name].name = name;
    }
    for (std::size_t f = 0; f < world.wire().size(); ++f) {
      if (world.wire_senders()[f] != a.phone + 1) {
        continue;
      }
      auto frame = channel::decode(world.wire()[f]);
      if (!frame.ok()) {
        continue;
      }
      auto message = proto::decode(frame->payload);
      const std::string carrier =
          message.ok() ? std::string(proto::type_name(message->body)) : "undecoded";
      const auto* sign_up = message.ok() ? std::get_if<proto::SignUp>(&message->body) : nullptr;
      if (sign_up != nullptr) {
        out.sign_up_fields_from_user =
            std::min(out.sign_up_fields_from_user, fields_from_user(*sign_up, a.inputs));
      }
      for (const auto& [name, value] : a.inputs) {
        if (contains(frame->payload, value)) {
          by_name[name].carried_by.insert(carrier);
        }
      }
    }
  }
  for (auto& [name, in] : by_name) {
    out.sign_up_inputs.push_back(std::move(in));
  }
}

// REQ-4.first_contact_offline: B asks A while A is offline and goes offline; A comes online,
// accepts (its phone does, PhoneConfig::auto_accept_contacts) and writes first; B connects
// later (the world runs a minute, then a minute passes).
void first_contact_offline(LoopbackWorld& world, std::size_t a, std::size_t b, UserFlows& out) {
  const std::string a_id = world.phone(a).state().user_id;
  const std::string b_id = world.phone(b).state().user_id;
  world.set_online(a, false);
  world.act(b, {0, 0, "add_contact", "B asks A, who is offline", {{"contact", bytes_of(a_id)}}},
            [&](phone::Phone& p, phone::PhoneEffects& fx) { (void)p.add_contact(a_id, fx); });
  world.run();
  world.set_online(b, false);
  world.set_online(a, true);
  world.run();
  FirstContact& fc = out.first_contact;
  fc.recipient_offline_at_send = !world.phone(b).connected();
  fc.recipient_had_share = world.phone(b).state().book->pairwise(a_id) != nullptr;
  fc.send_action = world.user_actions().size();
  fc.prompts_at_send = world.prompts().size();
  const TimeMs sent_ms = world.clock().now_ms();
  world.act(a, {0, 0, "send", "A's first message to B", {{"text", bytes_of(kFirstText)}}},
            [&](phone::Phone& p, phone::PhoneEffects& fx) {
              fc.sent = p.send_text(b_id, bytes_of(kFirstText), fx).ok();
            });
  world.run();
  const bool early = !world.inbox(b).empty();
  world.clock().advance(60'000);
  const std::size_t b_events = world.events(b).size();
  fc.offline_ms = world.clock().now_ms() - sent_ms;
  world.set_online(b, true);
  world.run();
  const auto& inbox = world.inbox(b);
  fc.read = !early && std::any_of(inbox.begin(), inbox.end(), [&](const phone::Delivered& d) {
    return d.from == a_id && d.body == bytes_of(kFirstText);
  });
  fc.actions_at_read = world.user_actions().size();
  fc.prompts_at_read = world.prompts().size();
  const auto& ev = world.events(b);
  fc.share_accepted_after_connect =
      std::any_of(ev.begin() + static_cast<std::ptrdiff_t>(b_events), ev.end(),
                  [&](const phone::PhoneEvent& e) {
                    return e.type == phone::PhoneEventKind::kKeyshareAccept && e.peer == a_id;
                  });
  fc.a = a;
  fc.b = b;
}

}  // namespace

UserFlows observe_user_flows(const Profile& profile) {
  LoopbackWorld world(profile, kOfflineSeed);
  phone::PhoneConfig one_day;  // A's key shares end after a day: the rekey of KS-014
  one_day.key_lifetime = keyshare::Lifetime::duration(kDayMs);
  const std::size_t a = world.add_signed_up_phone("alice@example.org", one_day);
  const std::size_t b = world.add_signed_up_phone("bob@example.org");
  const std::size_t c = world.add_signed_up_phone("carol@example.org");
  const std::size_t phones = 3;
  UserFlows out;
  observe_sign_up(world, out);
  const Marks start = mark(world, phones);
  first_contact_offline(world, a, b, out);

  const std::string a_id = world.phone(a).state().user_id;
  const std::string b_id = world.phone(b).state().user_id;
  const std::string c_id = world.phone(c).state().user_id;
  auto send = [&](std::size_t from, const std::string& to, const std::string& text) {
    world.act(from, {0, 0, "send", "a text to " + to, {{"text", bytes_of(text)}}},
              [&](phone::Phone& p, phone::PhoneEffects& fx) {
                (void)p.send_text(to, bytes_of(text), fx);
              });
    world.run();
  };
  send(b, a_id, "B's reply");
  world.befriend(a, c);
  std::string group_id;
  world.act(a, {0, 0, "create_group", "A, B and C", {}},
            [&](phone::Phone& p, phone::PhoneEffects& fx) {
              auto g = p.create_group({b_id, c_id}, fx);
              group_id = g.ok() ? *g : "";
            });
  world.run();
  world.act(a, {0, 0, "send_group", "a text to the group", {}},
            [&](phone::Phone& p, phone::PhoneEffects& fx) {
              (void)p.send_group_text(group_id, bytes_of("hello group"), fx);
            });
  world.run();

  // Two days on, A's one-day share has ended: its next text starts a new one (KS-014).
  world.clock().advance(2 * kDayMs);
  world.run();
  const Marks rekey = mark(world, phones);
  send(a, b_id, "after A's key ended");
  out.flows["rekeys"] = count_since(world, rekey, phone::PhoneEventKind::kKeyshareAccept, b);

  // C lost its PIN and reinstalls (STO-005): new keys, new shares both ways (KS-019).
  const Marks recovery = mark(world, phones);
  world.act(c, {0, 0, "reinstall", "locked store (section 3.7)", {{"pin", bytes_of("5678")}}},
            [&](phone::Phone& p, phone::PhoneEffects& fx) { p.reinstall("5678", fx); });
  world.run();
  out.flows["recovery key shares"] =
      count_since(world, recovery, phone::PhoneEventKind::kKeyshareAccept);
  send(c, a_id, "C after reinstalling");

  out.flows["key shares"] = count_since(world, start, phone::PhoneEventKind::kKeyshareAccept) +
                            count_since(world, start, phone::PhoneEventKind::kGroupJoin);
  out.flows["encryptions"] = count_since(world, start, phone::PhoneEventKind::kMsgSend);
  out.flows["decryptions"] = count_since(world, start, phone::PhoneEventKind::kMsgAccept);
  out.actions = world.user_actions();
  out.prompts = world.prompts();
  // REQ-6.device_history can be judged from this run too: every phone's
  // PersistentState::history against its inbox and its sends (left to that check).
  return out;
}

namespace {

// The user actions that start something the user wants (the Phone's user-action API and the
// two steps of section 3.3); any other action was asked of the user by the protocol.
bool starts_a_flow(const std::string& action) {
  static const std::set<std::string, std::less<>> kStarts = {
      "sign_up",      "open_verification_mail",
      "add_contact",  "accept_contact",
      "send",         "create_group",
      "send_group",   "group_add",
      "group_remove", "reinstall"};
  return kStarts.contains(action);
}

std::string join(const std::vector<std::string>& parts, std::string_view none = "none") {
  if (parts.empty()) {
    return std::string(none);
  }
  std::string s;
  for (const std::string& p : parts) {
    s += (s.empty() ? "" : ", ") + p;
  }
  return s;
}

std::string carriers(const SignUpInput& in) {
  std::vector<std::string> names(in.carried_by.begin(), in.carried_by.end());
  return in.name + " (" + join(names) + ")";
}

}  // namespace

constexpr std::string_view kUserSource =
    "user.flows (loopback world seed 7: sign-ups, B asks A then goes offline, A writes first, "
    "a group, a rekey, C reinstalls)";

CheckResult asked_check(const Profile& profile, const UserFlows& run) {
  CheckResult result =
      offline::make_result(profile, "REQ-1.asked", "HBC", std::string(kUserSource));
  if (run.sign_ups == 0) {
    result.verdict = Verdict::kFails;
    result.evidence = "not exercised: no sign-up in the run";
    return result;
  }
  // The rule (spec/requirements.md): what the user must give the *service*; a value kept on
  // the phone (the store's PIN, section 3.7) is not information given to it.
  static const std::set<std::string, std::less<>> kMinimal = {"email", "password"};
  std::vector<std::string> given;
  std::vector<std::string> local;
  std::vector<std::string> beyond;
  for (const SignUpInput& in : run.sign_up_inputs) {
    if (in.carried_by.empty()) {
      local.push_back(in.name);
      continue;
    }
    given.push_back(carriers(in));
    if (!kMinimal.contains(in.name)) {
      beyond.push_back(in.name);
    }
  }
  // A SignUp field that is not what the user typed may be user information the record
  // misses (a phone number filled in from the device): it fails until the record explains it.
  const std::size_t unexplained = run.sign_up_message_fields - run.sign_up_fields_from_user;
  result.verdict = beyond.empty() && unexplained == 0 ? Verdict::kHolds : Verdict::kFails;
  result.evidence =
      std::to_string(run.sign_ups) + " sign-ups; given to the server: " + join(given) +
      "; kept on the phone: " + join(local) + "; beyond {email, password}: " + join(beyond) +
      "; the SignUp message has " + std::to_string(run.sign_up_message_fields) + " fields, " +
      std::to_string(unexplained) + " not typed by the user";
  return result;
}

CheckResult seamless_check(const Profile& profile, const UserFlows& run) {
  CheckResult result =
      offline::make_result(profile, "REQ-2.seamless", "-", std::string(kUserSource));
  const FirstContact& fc = run.first_contact;
  if (!fc.sent || !fc.read) {
    result.verdict = Verdict::kFails;
    result.evidence = std::string("A's first text to B ") + (fc.sent ? "sent" : "not sent") +
                      (fc.read ? "" : " and never delivered to B's app");
    return result;
  }
  // After A's send, until B's app had the text, on either phone.
  std::vector<std::string> between;
  for (std::size_t i = fc.send_action + 1; i < fc.actions_at_read && i < run.actions.size(); ++i) {
    const UserAction& a = run.actions[i];
    if (a.phone == fc.a || a.phone == fc.b) {
      between.push_back(a.action + (a.phone == fc.a ? " by A" : " by B"));
    }
  }
  for (std::size_t i = fc.prompts_at_send; i < fc.prompts_at_read && i < run.prompts.size(); ++i) {
    const PromptSeen& p = run.prompts[i];
    if (p.phone == fc.a || p.phone == fc.b) {
      between.push_back("prompt " + p.prompt.what + (p.phone == fc.a ? " to A" : " to B"));
    }
  }
  result.verdict = between.empty() ? Verdict::kHolds : Verdict::kFails;
  result.evidence = std::to_string(between.size()) +
                    " user actions or prompts on A or B between A's first send and its "
                    "delivery to B, who was offline and connected " +
                    std::to_string(fc.offline_ms / 1000) +
                    " s after the send (coming online is not counted): " + join(between);
  return result;
}

CheckResult no_prompts_check(const Profile& profile, const UserFlows& run) {
  CheckResult result =
      offline::make_result(profile, "REQ-3.no_prompts", "-", std::string(kUserSource));
  std::vector<std::string> flows;
  std::vector<std::string> missing;
  for (const char* name :
       {"key shares", "encryptions", "decryptions", "rekeys", "recovery key shares"}) {
    const auto it = run.flows.find(name);
    const std::uint64_t n = it == run.flows.end() ? 0 : it->second;
    flows.push_back(std::string(name) + " " + std::to_string(n));
    if (n == 0) {
      missing.push_back(name);
    }
  }
  // Asked of the user by the protocol: every prompt, and every action that starts nothing
  // the user wanted (unlocking the store with the PIN is outside the check, as the spec says).
  std::vector<std::string> asked;
  for (const PromptSeen& p : run.prompts) {
    asked.push_back("prompt " + p.prompt.what);
  }
  std::size_t own = 0;
  for (const UserAction& a : run.actions) {
    if (starts_a_flow(a.action)) {
      ++own;
    } else {
      asked.push_back(a.action + " (" + a.cause + ")");
    }
  }
  const std::uint64_t shares = run.flows.contains("key shares") ? run.flows.at("key shares") : 0;
  result.verdict = !missing.empty() || asked.size() > shares ? Verdict::kFails
                   : asked.empty()                           ? Verdict::kHolds
                                                             : Verdict::kPartly;
  result.evidence = (missing.empty() ? "" : "not exercised: " + join(missing) + "; ") +
                    "flows: " + join(flows) + "; " + std::to_string(own) +
                    " user actions, each starting something the user wanted; asked by the "
                    "protocol: " +
                    std::to_string(asked.size()) + " (" + join(asked) + ")";
  return result;
}

CheckResult first_contact_offline_check(const Profile& profile, const UserFlows& run) {
  CheckResult result =
      offline::make_result(profile, "REQ-4.first_contact_offline", "ANA", std::string(kUserSource));
  const FirstContact& fc = run.first_contact;
  const bool exercised = fc.sent && fc.recipient_offline_at_send && !fc.recipient_had_share;
  result.verdict =
      exercised && fc.read && fc.share_accepted_after_connect ? Verdict::kHolds : Verdict::kFails;
  result.evidence =
      std::string(exercised ? "" : "not exercised: ") + "A's first text to B sent while B " +
      (fc.recipient_offline_at_send ? "offline" : "online") + ", B holding " +
      (fc.recipient_had_share ? "a" : "no") + " key share from A; after connecting B " +
      (fc.share_accepted_after_connect ? "accepted A's key share" : "accepted no share from A") +
      " and " + (fc.read ? "read the text" : "did not read the text");
  return result;
}

std::vector<CheckResult> run_user_checks(const Profile& profile) {
  const UserFlows run = observe_user_flows(profile);
  return {asked_check(profile, run), seamless_check(profile, run), no_prompts_check(profile, run),
          first_contact_offline_check(profile, run)};
}

}  // namespace spmc::sim
