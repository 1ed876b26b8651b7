// The ratchet-pair projection (models/README.md): one pair, one key share, counters kept,
// other pairs / key shares / group traffic and rejections (no counter) projected away.
#include "spmc/sim/abstract_projection.hpp"

#include <gtest/gtest.h>

#include <string>

namespace spmc::sim {
namespace {

TraceEvent phone_event(std::string_view type, std::uint32_t phone, const std::string& peer,
                       std::uint64_t counter, std::uint64_t key_ts) {
  auto e = make_trace_event(7, std::string("ph_") + std::string(type));
  e["phone"] = phone;
  e["peer"] = peer;
  e["counter"] = counter;
  e["key_ts"] = key_ts;
  e["detail"] = "";
  return e;
}

struct Fixture {
  Trace trace;
  Fixture() {
    trace.abstract().set_capture(true);
    trace.set_projection(make_ratchet_pair_projection());
    trace.record(phone_event("signed_up", 0, "ua", 0, 0));
    trace.record(phone_event("signed_up", 1, "ub", 0, 0));
    trace.record(phone_event("signed_up", 2, "uc", 0, 0));
  }
};

TEST(AbstractProjection, FirstDirectPairBecomesAToBWithCounters) {
  Fixture f;
  f.trace.record(phone_event("msg_send", 0, "group-1", 0, 5));  // group: not a user
  f.trace.record(phone_event("msg_send", 1, "ua", 0, 9));       // first pair: A = ub, B = ua
  f.trace.record(phone_event("msg_send", 0, "uc", 0, 5));       // other pair
  f.trace.record(phone_event("msg_send", 1, "ua", 1, 9));
  f.trace.record(phone_event("msg_accept", 0, "ub", 1, 9));
  f.trace.record(phone_event("msg_accept", 0, "ub", 0, 3));  // other key share
  f.trace.record(phone_event("msg_accept", 0, "ub", 0, 9));
  EXPECT_EQ(f.trace.abstract().captured(),
            "{\"t\":7,\"ev\":\"msg_send\",\"a\":\"A\",\"b\":\"B\",\"x\":0}\n"
            "{\"t\":7,\"ev\":\"msg_send\",\"a\":\"A\",\"b\":\"B\",\"x\":1}\n"
            "{\"t\":7,\"ev\":\"msg_deliver\",\"a\":\"B\",\"b\":\"A\",\"x\":1}\n"
            "{\"t\":7,\"ev\":\"msg_deliver\",\"a\":\"B\",\"b\":\"A\",\"x\":0}\n");
}

TEST(AbstractProjection, RejectionsAreProjectedAway) {
  Fixture f;
  f.trace.record(phone_event("msg_send", 0, "ub", 0, 4));
  f.trace.record(phone_event("msg_reject", 2, "ua", 0, 0));
  f.trace.record(phone_event("msg_reject", 1, "ua", 0, 0));
  f.trace.record(phone_event("msg_accept", 1, "ua", 0, 4));
  EXPECT_EQ(f.trace.abstract().captured(),
            "{\"t\":7,\"ev\":\"msg_send\",\"a\":\"A\",\"b\":\"B\",\"x\":0}\n"
            "{\"t\":7,\"ev\":\"msg_deliver\",\"a\":\"B\",\"b\":\"A\",\"x\":0}\n");
}

TEST(AbstractProjection, FullTraceIsUnchanged) {
  Fixture with;
  Trace without;
  for (Trace* t : {&with.trace, &without}) {
    if (t == &without) {
      t->record(phone_event("signed_up", 0, "ua", 0, 0));
      t->record(phone_event("signed_up", 1, "ub", 0, 0));
      t->record(phone_event("signed_up", 2, "uc", 0, 0));
    }
    t->record(phone_event("msg_send", 0, "ub", 0, 4));
  }
  EXPECT_EQ(with.trace.trace_hash(), without.trace_hash());
  EXPECT_EQ(with.trace.abstract().lines(), 1u);
}

}  // namespace
}  // namespace spmc::sim
