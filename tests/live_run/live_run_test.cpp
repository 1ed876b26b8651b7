// `spmc live` and `spmc server` as a user runs them (issue 20, spec/transport_mqtt.md
// MQT-022..MQT-025): a small live conversation over a mosquitto the run starts itself, with
// phones going offline and back and the server killed with SIGKILL and restarted, judged by the
// simulator's checkers; a broken server caught; scenario options a live run cannot honour
// refused. Every process a run starts (broker, server) is its child and dies with it.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "support/spmc_command.hpp"
#include "support/text_file.hpp"

namespace spmc::testing {
namespace {

const std::string kScenario = SPMC_SOURCE_DIR "/tests/live_run/live_ci.json";

nlohmann::json invariant(const nlohmann::json& report, const std::string& name) {
  for (const auto& inv : report.at("invariants")) {
    if (inv.at("name") == name) {
      return inv;
    }
  }
  ADD_FAILURE() << "no invariant " << name;
  return {};
}

std::vector<nlohmann::json> trace_events(const std::string& trace) {
  std::vector<nlohmann::json> events;
  std::size_t start = 0;
  for (std::size_t end = trace.find('\n'); end != std::string::npos;
       end = trace.find('\n', start)) {
    events.push_back(nlohmann::json::parse(trace.substr(start, end - start)));
    start = end + 1;
  }
  return events;
}

std::vector<std::string> trace_kinds(const std::vector<nlohmann::json>& events) {
  std::vector<std::string> kinds;
  kinds.reserve(events.size());
  for (const auto& e : events) {
    kinds.push_back(e.at("ev"));
  }
  return kinds;
}

bool has(const std::vector<std::string>& kinds, const std::string& kind) {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

// Proves: MQT-022, MQT-024, MQT-025, MQT-026, SRV-021, SRV-011, Req6, Req8
TEST(LiveRun, AConversationSurvivesServerKillsABrokerRestartAndPhonesOfflineAndBack) {
  TempDir dir;
  const std::string trace = dir.file("trace.jsonl");
  const auto r = run_spmc(
      dir, {"live", kScenario, "--seed", "1", "--json", "--trace", trace, "--kill-server-at",
            "3000", "--kill-server-at", "6500", "--restart-broker-at", "5000"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_TRUE(report.at("pass").get<bool>());
  EXPECT_GE(report.at("server_kills").get<int>(), 2);
  EXPECT_EQ(report.at("broker_restarts").get<int>(), 1);
  EXPECT_GE(report.at("disconnects").get<int>(), 1) << "no phone went offline: pick another seed";
  EXPECT_GT(report.at("messages_sent").get<int>(), 10);
  EXPECT_EQ(report.at("deliveries"), report.at("deliveries_expected"));
  EXPECT_GT(report.at("deliveries").get<int>(), 10);
  for (const char* name : {"exactly_once_delivery", "no_plaintext_on_server",
                           "no_key_material_exposed", "offline_store_empty_at_quiescence",
                           "quiescence_reached", "no_key_reuse", "u2u_honest_authenticates"}) {
    const auto inv = invariant(report, name);
    EXPECT_TRUE(inv.at("held").get<bool>()) << name << ": " << inv.at("detail");
    EXPECT_GT(inv.at("checks").get<int>(), 0) << name << " judged nothing";
  }
  // The files at rest that were scanned: the server's database and the broker's persistence.
  std::string scanned;
  for (const auto& f : report.at("scanned")) {
    scanned += f.at("name").get<std::string>() + " ";
  }
  EXPECT_NE(scanned.find("server.db "), std::string::npos) << scanned;
  EXPECT_NE(scanned.find("mosquitto.db "), std::string::npos) << scanned;

  const auto events = trace_events(read_text(trace));
  const auto kinds = trace_kinds(events);
  ASSERT_FALSE(kinds.empty());
  EXPECT_EQ(kinds.front(), "live");
  for (const char* kind :
       {"server_crash", "server_restart", "phone_offline", "phone_online", "srv_relay",
        "srv_delete", "app_deliver", "ph_msg_send", "phase_safety", "phase_liveness"}) {
    EXPECT_TRUE(has(kinds, kind)) << "the trace has no " << kind;
  }
  EXPECT_FALSE(has(kinds, "inv_violation"));

  // MQT-026: after the last restart every phone logged in again, also one with nothing to send
  // (the new server knew none of their channel sessions).
  std::size_t restart = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].at("ev") == "server_restart") {
      restart = i;
    }
  }
  ASSERT_GT(restart, 0U);
  std::set<int> logged_in;
  for (std::size_t i = restart; i < events.size(); ++i) {
    if (events[i].at("ev") == "ph_logged_in") {
      logged_in.insert(events[i].at("phone").get<int>());
    }
  }
  EXPECT_EQ(logged_in.size(), 4U) << "phones that logged in after the last server restart";
}

// Proves: MQT-025, SRV-011
TEST(LiveRun, AServerThatKeepsDeliveredItemsIsCaughtOnTheDatabaseFile) {
  TempDir dir;
  const auto r =
      run_spmc(dir, {"live", kScenario, "--seed", "2", "--json", "--set", "phases.liveness_ms=5000",
                     "--inject-bug", "server_keeps_delivered"});
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_FALSE(report.at("pass").get<bool>());
  const auto store = invariant(report, "offline_store_empty_at_quiescence");
  EXPECT_FALSE(store.at("held").get<bool>());
  EXPECT_NE(store.at("detail").get<std::string>().find("left in the offline store"),
            std::string::npos);
  EXPECT_TRUE(invariant(report, "exactly_once_delivery").at("held").get<bool>());
}

// Proves: MQT-024
TEST(LiveRun, ScenarioOptionsALiveRunCannotHonourAreRefusedOneLineEach) {
  TempDir dir;
  const auto r = run_spmc(dir, {"live", kScenario, "--set", "faults.loss_ppm=1000", "--set",
                                "faults.crashes.phone_per_hour=3"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("faults.loss_ppm: a live run's network"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("faults.crashes.phone_per_hour"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

// Proves: MQT-024
TEST(LiveRun, BadFaultTimesAndBrokerAddressesAreUsageErrors) {
  TempDir dir;
  EXPECT_EQ(run_spmc(dir, {"live", kScenario, "--kill-server-at", "010"}).exit_code, 2);
  EXPECT_EQ(run_spmc(dir, {"live", kScenario, "--broker", "localhost"}).exit_code, 2);
  EXPECT_EQ(
      run_spmc(dir, {"live", kScenario, "--broker", "127.0.0.1:1", "--restart-broker-at", "100"})
          .exit_code,
      2);
}

// Proves: SRV-022
TEST(LiveServer, ADatabaseThatIsNotOursIsRefusedAndLeftAsItWas) {
  TempDir dir;
  const std::string db = dir.file("not-a-db");
  write_text(db, "this is not a SQLite database\n");
  const auto r = run_spmc(dir, {"server", "--broker", "127.0.0.1:1", "--db", db});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not-a-db"), std::string::npos) << r.err;
  EXPECT_EQ(read_text(db), "this is not a SQLite database\n");
}

}  // namespace
}  // namespace spmc::testing
