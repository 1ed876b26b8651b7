// The user's part of spmc requirements (spec/requirements_evidence.md, "User experiments"):
// REQ-1.asked, REQ-2.seamless, REQ-3.no_prompts and REQ-4.first_contact_offline hold on the
// recorded run of both profiles, and each judge fails on the same run with one more sign-up
// field, user action or prompt, or a flow or delivery missing (a verdict not built in).
#include <gtest/gtest.h>

#include "spmc/sim/loopback.hpp"
#include "spmc/sim/offline_attacks.hpp"

namespace spmc::sim {
namespace {

const UserFlows& recorded(const Profile& profile) {
  static std::map<std::string, UserFlows> cache;
  auto it = cache.find(std::string(profile.name));
  if (it == cache.end()) {
    it = cache.emplace(std::string(profile.name), observe_user_flows(profile)).first;
  }
  return it->second;
}

TEST(UserChecks, AllFourHoldInBothProfiles) {
  for (const Profile* p : all_profiles()) {
    for (const CheckResult& c : run_user_checks(*p)) {
      EXPECT_EQ(c.verdict, Verdict::kHolds) << c.id << " under " << p->name << ": " << c.evidence;
    }
  }
}

TEST(UserChecks, TheRunExercisesEveryFlowAndAsksNothing) {
  const UserFlows& run = recorded(paper_profile());
  EXPECT_EQ(run.sign_ups, 3U);
  EXPECT_EQ(run.sign_up_message_fields, 2U);
  EXPECT_EQ(run.sign_up_fields_from_user, 2U);
  for (const char* flow :
       {"key shares", "encryptions", "decryptions", "rekeys", "recovery key shares"}) {
    ASSERT_TRUE(run.flows.contains(flow)) << flow;
    EXPECT_GE(run.flows.at(flow), 1U) << flow;
  }
  EXPECT_TRUE(run.prompts.empty());
  const FirstContact& fc = run.first_contact;
  EXPECT_TRUE(fc.recipient_offline_at_send && !fc.recipient_had_share && fc.read &&
              fc.share_accepted_after_connect);
}

TEST(UserChecks, AskedFailsWhenTheServiceGetsMoreThanEmailAndPassword) {
  UserFlows run = recorded(paper_profile());
  EXPECT_EQ(asked_check(paper_profile(), run).verdict, Verdict::kHolds);
  // A PIN kept on the phone (section 3.7) is not given to the service.
  run.sign_up_inputs.push_back({"pin", {}});
  EXPECT_EQ(asked_check(paper_profile(), run).verdict, Verdict::kHolds);
  run.sign_up_inputs.back().carried_by.insert("sign_up");
  EXPECT_EQ(asked_check(paper_profile(), run).verdict, Verdict::kFails);
  UserFlows phone_number = recorded(paper_profile());
  phone_number.sign_up_inputs.push_back({"phone_number", {"sign_up"}});
  const CheckResult c = asked_check(paper_profile(), phone_number);
  EXPECT_EQ(c.verdict, Verdict::kFails);
  EXPECT_NE(c.evidence.find("beyond {email, password}: phone_number"), std::string::npos);
  // A SignUp field the user did not type (filled from the device, say) fails too.
  UserFlows extra_field = recorded(paper_profile());
  ++extra_field.sign_up_message_fields;
  EXPECT_EQ(asked_check(paper_profile(), extra_field).verdict, Verdict::kFails);
  UserFlows none = recorded(paper_profile());
  none.sign_ups = 0;
  EXPECT_EQ(asked_check(paper_profile(), none).verdict, Verdict::kFails);
}

TEST(UserChecks, SeamlessFailsWithAnActionOrPromptBeforeDelivery) {
  const UserFlows& base = recorded(paper_profile());
  const FirstContact& fc = base.first_contact;
  ASSERT_LT(fc.send_action, fc.actions_at_read);
  // One more action or prompt in the window, as if the phone had needed its user there.
  auto with_action = [&](std::size_t phone) {
    UserFlows run = base;
    const auto at = run.actions.begin() + static_cast<std::ptrdiff_t>(fc.send_action + 1);
    run.actions.insert(at, {0, phone, "confirm_key_share", "asked", {}});
    ++run.first_contact.actions_at_read;
    return run;
  };
  EXPECT_EQ(seamless_check(paper_profile(), with_action(fc.b)).verdict, Verdict::kFails);
  EXPECT_EQ(seamless_check(paper_profile(), with_action(fc.a)).verdict, Verdict::kFails);
  // A third phone's action is not the pair's.
  EXPECT_EQ(seamless_check(paper_profile(), with_action(2)).verdict, Verdict::kHolds);
  UserFlows prompt = base;
  prompt.prompts.insert(prompt.prompts.begin() + static_cast<std::ptrdiff_t>(fc.prompts_at_send),
                        {0, fc.b, {"confirm_key_share", "a"}});
  ++prompt.first_contact.prompts_at_read;
  EXPECT_EQ(seamless_check(paper_profile(), prompt).verdict, Verdict::kFails);
  UserFlows lost = base;
  lost.first_contact.read = false;
  EXPECT_EQ(seamless_check(paper_profile(), lost).verdict, Verdict::kFails);
}

TEST(UserChecks, NoPromptsFailsWhenAFlowIsMissingOrTheUserIsAsked) {
  const UserFlows& base = recorded(paper_profile());
  UserFlows one = base;
  one.actions.push_back({0, 0, "confirm_key_share", "asked by the protocol", {}});
  EXPECT_EQ(no_prompts_check(paper_profile(), one).verdict, Verdict::kPartly);
  UserFlows per_message = base;
  for (std::uint64_t i = 0; i <= base.flows.at("key shares"); ++i) {
    per_message.prompts.push_back({0, 0, {"decrypt_message", "a"}});
  }
  EXPECT_EQ(no_prompts_check(paper_profile(), per_message).verdict, Verdict::kFails);
  UserFlows no_rekey = base;
  no_rekey.flows["rekeys"] = 0;
  const CheckResult c = no_prompts_check(paper_profile(), no_rekey);
  EXPECT_EQ(c.verdict, Verdict::kFails);
  EXPECT_NE(c.evidence.find("not exercised: rekeys"), std::string::npos);
}

TEST(UserChecks, FirstContactOfflineFailsUnlessOfflineBReadsWithTheShare) {
  const UserFlows& base = recorded(paper_profile());
  EXPECT_EQ(first_contact_offline_check(paper_profile(), base).verdict, Verdict::kHolds);
  for (auto spoil : {+[](FirstContact& f) { f.read = false; },
                     +[](FirstContact& f) { f.recipient_offline_at_send = false; },
                     +[](FirstContact& f) { f.recipient_had_share = true; },
                     +[](FirstContact& f) { f.share_accepted_after_connect = false; }}) {
    UserFlows run = base;
    spoil(run.first_contact);
    EXPECT_EQ(first_contact_offline_check(paper_profile(), run).verdict, Verdict::kFails);
  }
}

// The prompt is the phone's own: a phone that does not accept contacts by itself asks.
TEST(UserChecks, APhoneThatNeedsItsUserRaisesAPrompt) {
  LoopbackWorld world(paper_profile(), 7);
  const std::size_t a = world.add_signed_up_phone("asker@example.org");
  phone::PhoneConfig manual;
  manual.auto_accept_contacts = false;
  const std::size_t b = world.add_signed_up_phone("decider@example.org", manual);
  EXPECT_TRUE(world.prompts().empty());
  world.befriend(a, b);
  ASSERT_EQ(world.prompts().size(), 1U);
  EXPECT_EQ(world.prompts()[0].phone, b);
  EXPECT_EQ(world.prompts()[0].prompt.what, "accept_contact");
  EXPECT_EQ(world.prompts()[0].prompt.peer, world.phone(a).state().user_id);
}

// REQ-6.device_history judges the phones' real store files: every phone's texts are there in
// order; one text missing, two swapped, a file that does not open or no text at all fails,
// and the oldest texts dropped within PH-023's bound do not.
TEST(UserChecks, DeviceHistoryFailsWhenTheStoreMissesAText) {
  const UserFlows& base = recorded(paper_profile());
  ASSERT_EQ(base.histories.size(), 3U);
  EXPECT_EQ(device_history_check(paper_profile(), base).verdict, Verdict::kHolds);
  for (std::size_t i = 0; i < base.histories.size(); ++i) {
    const PhoneHistory& h = base.histories[i];
    ASSERT_TRUE(h.open_error.empty()) << h.name << ": " << h.open_error;
    ASSERT_FALSE(h.expected.empty()) << h.name;
    EXPECT_EQ(h.stored.size(), h.expected.size()) << h.name;
    for (std::size_t k = 0; k < h.stored.size(); ++k) {
      UserFlows run = base;
      run.histories[i].stored.erase(run.histories[i].stored.begin() +
                                    static_cast<std::ptrdiff_t>(k));
      const CheckResult c = device_history_check(paper_profile(), run);
      EXPECT_EQ(c.verdict, Verdict::kFails) << h.name << " without entry " << k;
      EXPECT_NE(c.evidence.find("missing or out of order"), std::string::npos) << c.evidence;
    }
  }
  UserFlows swapped = base;
  auto& b = swapped.histories[1].stored;
  ASSERT_GE(b.size(), 2U);
  std::swap(b[0], b[b.size() - 1]);
  EXPECT_EQ(device_history_check(paper_profile(), swapped).verdict, Verdict::kFails);
  UserFlows changed = base;
  changed.histories[0].stored.back().body.push_back('!');
  EXPECT_EQ(device_history_check(paper_profile(), changed).verdict, Verdict::kFails);
  UserFlows unopened = base;
  unopened.histories[2].open_error = "unlock: wrong_pin";
  unopened.histories[2].stored.clear();
  EXPECT_EQ(device_history_check(paper_profile(), unopened).verdict, Verdict::kFails);
  UserFlows none = base;
  for (PhoneHistory& h : none.histories) {
    h.expected.clear();
  }
  const CheckResult n = device_history_check(paper_profile(), none);
  EXPECT_EQ(n.verdict, Verdict::kFails);
  EXPECT_NE(n.evidence.find("not exercised"), std::string::npos);
  // PH-023: a store that dropped A's oldest text to stay within its bound still holds.
  UserFlows bounded = base;
  PhoneHistory& a = bounded.histories[0];
  std::size_t bytes = 0;
  for (const phone::HistoryEntry& e : a.expected) {
    bytes += e.body.size();
  }
  a.bound_bytes = bytes - 1;
  a.stored.erase(a.stored.begin());
  EXPECT_EQ(device_history_check(paper_profile(), bounded).verdict, Verdict::kHolds);
  a.stored.erase(a.stored.begin());
  EXPECT_EQ(device_history_check(paper_profile(), bounded).verdict, Verdict::kFails);
}

}  // namespace
}  // namespace spmc::sim
