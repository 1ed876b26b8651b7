// The names shared with the Python tools (models/names.json, `spmc names --json`): each table
// round-trips, and the invariant list is exactly what the reports name, so a tool that
// checks a name against it neither misses an invariant nor accepts a retired one.
#include "spmc/sim/names.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "spmc/sim/abstract_event.hpp"
#include "spmc/sim/invariants.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::sim {
namespace {

TEST(Names, EveryPhoneEventNameParsesBackAndIsTracedWithThePhonePrefix) {
  for (const auto& [kind, text] : phone::kPhoneEventNames) {
    EXPECT_EQ(phone::parse_phone_event(text), kind) << text;
    EXPECT_EQ(phone_trace_kind(kind), "ph_" + std::string(text));
  }
  EXPECT_EQ(phone::parse_phone_event("msg_sent"), std::nullopt);
  EXPECT_EQ(phone_trace_kind(phone::PhoneEventKind::kMsgSend), "ph_msg_send");
}

TEST(Names, AbstractEventCodesAreThoseOfEventsPml) {
  // models/common/events.pml: EV_KEYSHARE_SEND 1, EV_CERT_ISSUE 19, EV_FAULTS_OFF 27;
  // CTest models.names compares the whole table.
  EXPECT_EQ(static_cast<int>(AbstractEvent::kKeyshareSend), 1);
  EXPECT_EQ(name(AbstractEvent::kCertIssue), "cert_issue");
  EXPECT_EQ(static_cast<int>(AbstractEvent::kCertIssue), 19);
  EXPECT_EQ(static_cast<int>(AbstractEvent::kFaultsOff), 27);
}

// Together these runs produce every invariant a report can hold: the base checkers and
// U2U (u2u_mitm_hardened), each adversary's result, every opt-in invariant asked for, and the
// reinstall invariants of a world that draws reinstalls (the default).
TEST(Names, KnownInvariantNamesAreExactlyThoseTheReportsName) {
  WorldOptions options;
  for (const InvariantInfo& info : invariant_names()) {
    if (!info.always) {
      options.invariants.push_back(info.id);
    }
  }
  ASSERT_FALSE(options.invariants.empty());
  std::set<std::string> reported;
  for (const char* name :
       {"u2u_mitm_hardened", "curious_server", "device_compromise", "removed_member"}) {
    auto s = load_scenario(std::string(SPMC_SOURCE_DIR) + "/simulator/scenarios/attacks/" + name +
                           ".json");
    ASSERT_TRUE(s.ok()) << name;
    for (const InvariantResult& i : World(*s, 1, options).run().invariants) {
      reported.insert(i.name);
    }
  }
  // The reinstall invariants: the default world draws reinstalls (its `lifecycle`).
  auto built_in = parse_scenario(default_scenario_json(), "default.json");
  ASSERT_TRUE(built_in.ok());
  for (const InvariantResult& i : World(*built_in, 1, options).run().invariants) {
    reported.insert(i.name);
  }
  const auto known = known_invariant_names();
  EXPECT_EQ(reported, std::set<std::string>(known.begin(), known.end()));
  EXPECT_EQ(names_json()["invariants"].size(), known.size());
}

}  // namespace
}  // namespace spmc::sim
