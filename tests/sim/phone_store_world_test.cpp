// The STO-010 state codec on states real phones reached on the loopback world: sign-up,
// contacts, messages both ways, a group with a removal, U2U, an offline phone's outbox and a
// crash. Every phone's state encodes, decodes under the world's profile and encodes again to
// the same bytes; every truncation of it is a typed error.
#include <gtest/gtest.h>

#include "spmc/phone_store.hpp"
#include "spmc/sim/loopback.hpp"

namespace spmc {
namespace {

using A = phone::Phone::U2uAction;

struct Busy {
  Busy(const Profile& profile, std::uint64_t seed) : w(profile, seed) {
    a = w.add_signed_up_phone("a@x.org");
    b = w.add_signed_up_phone("b@x.org");
    c = w.add_signed_up_phone("c@x.org");
    w.befriend(a, b);
    w.befriend(a, c);
    send(a, b, "hello b");
    send(b, a, "hello a");
    send(c, a, "from c");
    w.run();
    auto id = w.phone(a).create_group({user(b), user(c)}, w.effects(a));
    SPMC_CHECK(id.ok());
    group = *id;
    w.run();
    SPMC_CHECK(w.phone(b).send_group_text(group, bytes_of("to all"), w.effects(b)).ok());
    w.run();
    w.clock().advance(1000);
    SPMC_CHECK(w.phone(a).group_remove(group, user(c), w.effects(a)).ok());
    w.run();
    SPMC_CHECK(w.phone(a).send_group_text(group, bytes_of("c left"), w.effects(a)).ok());
    w.run();
    act(a, b, A::kRequestOptin);
    act(b, a, A::kAcceptOptin);
    act(a, b, A::kProvideSecret, "tulip");
    act(b, a, A::kProvideSecret, "tulip");
    act(a, b, A::kRequestAuth);  // a round left open: nonces in the stored session
    // C goes offline with messages for it queued at the server and in A's outbox.
    w.set_online(c, false);
    send(a, c, "while away");
    w.phone(b).crash();
  }
  std::string user(std::size_t i) { return w.phone(i).state().user_id; }
  void send(std::size_t from, std::size_t to, const char* text) {
    SPMC_CHECK(w.phone(from).send_text(user(to), bytes_of(text), w.effects(from)).ok());
  }
  void act(std::size_t i, std::size_t peer, A action, std::string_view secret = "") {
    SPMC_CHECK(w.phone(i).u2u(user(peer), action, secret, w.effects(i)).ok());
    w.run();
  }

  sim::LoopbackWorld w;
  std::size_t a = 0, b = 0, c = 0;
  std::string group;
};

// Proves: STO-010
TEST(PhoneStoreWorld, EveryPhonesStateRoundTripsToTheSameBytes) {
  for (const Profile* profile : all_profiles()) {
    Busy busy(*profile, 17);
    for (std::size_t i : {busy.a, busy.b, busy.c}) {
      const phone::PersistentState& state = busy.w.phone(i).state();
      const Bytes bytes = phone::encode_state(state);
      auto decoded = phone::decode_state(bytes, *profile);
      ASSERT_TRUE(decoded.ok()) << profile->name << " phone " << i << ": "
                                << decoded.error().detail;
      EXPECT_EQ(phone::encode_state(*decoded), bytes) << profile->name << " phone " << i;
      EXPECT_EQ(decoded->contacts.size(), state.contacts.size());
      EXPECT_EQ(decoded->groups.size(), state.groups.size());
      EXPECT_EQ(decoded->outbox.size(), state.outbox.size());
    }
    // What the run put there: A organises the group (organiser state, a send chain), B holds
    // an open U2U session with A, A holds C's message for the outbox or the server.
    const phone::PersistentState& a = busy.w.phone(busy.a).state();
    ASSERT_TRUE(a.groups.at(busy.group).organiser_state.has_value());
    EXPECT_EQ(a.groups.at(busy.group).organiser_state->active_members().size(), 2U);
    EXPECT_TRUE(busy.w.phone(busy.b).state().contacts.at(busy.user(busy.a)).u2u.has_value());
  }
}

// Proves: STO-010
TEST(PhoneStoreWorld, EveryTruncationOfARealStateIsATypedError) {
  Busy busy(hardened_profile(), 23);
  const Bytes bytes = phone::encode_state(busy.w.phone(busy.a).state());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    auto decoded = phone::decode_state(ByteView(bytes.data(), n), hardened_profile());
    ASSERT_FALSE(decoded.ok()) << "prefix " << n;
    const ErrorCode code = decoded.error().code;
    EXPECT_TRUE(code == ErrorCode::kTruncated || code == ErrorCode::kBadLength)
        << "prefix " << n << ": " << error_name(code);
  }
}

}  // namespace
}  // namespace spmc
