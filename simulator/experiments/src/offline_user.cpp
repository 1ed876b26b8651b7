// The checks about the user (spec/requirements_evidence.md, "User experiments"): what the
// sign-up takes from the user and gives the service (REQ-1.asked), what the user must do
// between sending and delivery (REQ-2.seamless) and for key shares, encryption, decryption,
// rekeys and recovery (REQ-3.no_prompts), and a first message to an offline contact
// (REQ-4.first_contact_offline). One LoopbackWorld run (seed kOfflineSeed) whose user
// actions the world records and whose phones report every prompt (PhoneEffects::ask_user).
#include <algorithm>
#include <deque>
#include <optional>
#include <set>
#include <tuple>
#include <type_traits>

#include "offline_common.hpp"
#include "spmc/channel.hpp"
#include "spmc/check.hpp"
#include "spmc/phone_store.hpp"
#include "spmc/server_proto.hpp"
#include "spmc/sim/loopback.hpp"
#include "spmc/sim/offline_attacks.hpp"
#include "spmc/storage.hpp"

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

// REQ-6.device_history: what each phone's application sent and was delivered, in order. The
// world's inbox grows while it runs and a send is a user action between runs, so taking the
// new deliveries before each send keeps the phone's order.
struct HistoryLog {
  std::vector<std::vector<phone::HistoryEntry>> expected;
  std::vector<std::size_t> seen;  // inbox entries already taken
  void take(const LoopbackWorld& world) {
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const auto& inbox = world.inbox(i);
      for (; seen[i] < inbox.size(); ++seen[i]) {
        const phone::Delivered& d = inbox[seen[i]];
        if (d.type == envelope::ContentType::kText) {
          expected[i].push_back({d.group_id.value_or(d.from), d.from, false, d.group_id.has_value(),
                                 d.sent_ms, d.body});
        }
      }
    }
  }
  void sent(LoopbackWorld& world, std::size_t i, const std::string& conversation, bool group,
            const std::string& text) {
    take(world);
    expected[i].push_back(
        {conversation, world.phone(i).state().user_id, true, group, 0, bytes_of(text)});
  }
  // PH-021: a reinstall keeps no history.
  void reinstalled(const LoopbackWorld& world, std::size_t i) {
    take(world);
    expected[i].clear();
  }
};

// REQ-6.device_history: phone i's last store file opened as a thief with the PIN would.
PhoneHistory open_history(const Profile& profile, const LoopbackWorld& world, std::size_t i,
                          std::string name, std::string pin, std::size_t bound,
                          std::vector<phone::HistoryEntry> expected) {
  PhoneHistory h;
  h.name = std::move(name);
  h.pin = std::move(pin);
  h.bound_bytes = bound;
  h.expected = std::move(expected);
  const Bytes& file = world.store_file(i);
  h.file_bytes = file.size();
  auto store = storage::LocalStore::load(file);
  if (!store.ok()) {
    h.open_error = "load: " + std::string(error_name(store.code()));
    return h;
  }
  auto plain = store->unlock(h.pin);
  if (!plain.ok()) {
    h.open_error = "unlock: " + std::string(error_name(plain.code()));
    return h;
  }
  auto state = phone::decode_state(*plain, profile);
  if (!state.ok()) {
    h.open_error = "decode_state: " + std::string(error_name(state.code()));
    return h;
  }
  h.stored.assign(state->history.begin(), state->history.end());
  return h;
}

// REQ-4.first_contact_offline: B asks A while A is offline and goes offline; A comes online,
// accepts (its phone does, PhoneConfig::auto_accept_contacts) and writes first; B connects
// later (the world runs a minute, then a minute passes).
void first_contact_offline(LoopbackWorld& world, std::size_t a, std::size_t b, UserFlows& out,
                           HistoryLog& log) {
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
  if (fc.sent) {
    log.sent(world, a, b_id, false, std::string(kFirstText));
  }
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
  HistoryLog log{std::vector<std::vector<phone::HistoryEntry>>(phones),
                 std::vector<std::size_t>(phones, 0)};
  log.take(world);
  first_contact_offline(world, a, b, out, log);

  const std::string a_id = world.phone(a).state().user_id;
  const std::string b_id = world.phone(b).state().user_id;
  const std::string c_id = world.phone(c).state().user_id;
  auto send = [&](std::size_t from, const std::string& to, const std::string& text) {
    world.act(from, {0, 0, "send", "a text to " + to, {{"text", bytes_of(text)}}},
              [&](phone::Phone& p, phone::PhoneEffects& fx) {
                if (p.send_text(to, bytes_of(text), fx).ok()) {
                  log.sent(world, from, to, false, text);
                }
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
              if (p.send_group_text(group_id, bytes_of("hello group"), fx).ok()) {
                log.sent(world, a, group_id, true, "hello group");
              }
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
  log.reinstalled(world, c);
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
  // REQ-6.device_history: each phone's last store file, opened with its PIN (C's is the one
  // it chose at the reinstall), against what its application sent and was delivered.
  log.take(world);
  const std::size_t bound = phone::PhoneConfig{}.history_max_bytes;
  out.histories.push_back(
      open_history(profile, world, a, "A", "1234", one_day.history_max_bytes, log.expected[a]));
  out.histories.push_back(open_history(profile, world, b, "B", "1234", bound, log.expected[b]));
  out.histories.push_back(open_history(profile, world, c, "C", "5678", bound, log.expected[c]));
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

namespace {

// PH-023's bound applied to the texts in order: the newest that fit, a body larger than the
// whole bound never kept.
std::vector<phone::HistoryEntry> within_bound(const std::vector<phone::HistoryEntry>& all,
                                              std::size_t bound) {
  std::deque<phone::HistoryEntry> kept;
  std::size_t bytes = 0;
  for (const phone::HistoryEntry& e : all) {
    if (e.body.size() > bound) {
      continue;
    }
    while (!kept.empty() && bytes + e.body.size() > bound) {
      bytes -= kept.front().body.size();
      kept.pop_front();
    }
    kept.push_back(e);
    bytes += e.body.size();
  }
  return {kept.begin(), kept.end()};
}

// The same text: an outgoing one's sent_ms is the phone's own stamp, not compared.
bool same_text(const phone::HistoryEntry& want, const phone::HistoryEntry& got) {
  return want.conversation == got.conversation && want.from == got.from &&
         want.outgoing == got.outgoing && want.group == got.group && want.body == got.body &&
         (want.outgoing || want.sent_ms == got.sent_ms);
}

}  // namespace

CheckResult device_history_check(const Profile& profile, const UserFlows& run) {
  CheckResult result =
      offline::make_result(profile, "REQ-6.device_history", "-", std::string(kUserSource));
  std::size_t texts = 0;
  for (const PhoneHistory& h : run.histories) {
    texts += h.expected.size();
  }
  if (texts == 0) {
    result.verdict = Verdict::kFails;
    result.evidence = "not exercised: no text sent or delivered in the run";
    return result;
  }
  bool all_there = true;
  std::vector<std::string> phones;
  for (const PhoneHistory& h : run.histories) {
    std::size_t sent = 0;
    for (const phone::HistoryEntry& e : h.expected) {
      sent += e.outgoing ? 1 : 0;
    }
    std::string line = h.name + ": " + std::to_string(sent) + " sent + " +
                       std::to_string(h.expected.size() - sent) + " delivered";
    if (!h.open_error.empty()) {
      all_there = false;
      phones.push_back(line + ", store file (" + std::to_string(h.file_bytes) +
                       " bytes) not opened with PIN " + h.pin + ": " + h.open_error);
      continue;
    }
    const std::vector<phone::HistoryEntry> want = within_bound(h.expected, h.bound_bytes);
    // In order: each wanted text after the previous one's place in the stored history.
    std::size_t at = 0;
    std::size_t found = 0;
    std::optional<std::size_t> first_missing;
    for (std::size_t w = 0; w < want.size(); ++w) {
      std::size_t k = at;
      while (k < h.stored.size() && !same_text(want[w], h.stored[k])) {
        ++k;
      }
      if (k == h.stored.size()) {
        first_missing = first_missing.value_or(w);
        continue;
      }
      ++found;
      at = k + 1;
    }
    all_there = all_there && !first_missing;
    line += (want.size() < h.expected.size() ? " (" + std::to_string(want.size()) + " within the " +
                                                   std::to_string(h.bound_bytes) + "-byte bound)"
                                             : std::string()) +
            ", " + std::to_string(found) + " of them in order among the " +
            std::to_string(h.stored.size()) + " entries of the " + std::to_string(h.file_bytes) +
            "-byte store file opened with PIN " + h.pin;
    if (first_missing) {
      line += "; missing or out of order from text " + std::to_string(*first_missing + 1) +
              (want[*first_missing].outgoing ? " (sent)" : " (delivered)");
    }
    phones.push_back(line);
  }
  result.verdict = all_there ? Verdict::kHolds : Verdict::kFails;
  result.evidence =
      "each phone's last store file (LocalStore::load, unlock with the PIN, "
      "decode_state) against its application's texts: " +
      join(phones, "no phone");
  return result;
}

std::vector<CheckResult> run_user_checks(const Profile& profile) {
  const UserFlows run = observe_user_flows(profile);
  return {asked_check(profile, run), seamless_check(profile, run), no_prompts_check(profile, run),
          first_contact_offline_check(profile, run), device_history_check(profile, run)};
}

}  // namespace spmc::sim
