// Traces: the running hash is SHA-256 of the exact bytes, fields keep a fixed order,
// long byte strings are hashed, and the abstract projection gets every event.
#include "spmc/sim/trace.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "spmc/crypto.hpp"
#include "spmc/sim/random.hpp"
#include "spmc/sim/sha256_stream.hpp"

namespace spmc::sim {
namespace {

ByteView view(const std::string& s) {
  return ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

TEST(Sha256Stream, MatchesOneShotSha256ForEverySplit) {
  Prng prng(8);
  for (std::size_t length : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 119u, 120u, 1000u}) {
    Bytes data(length);
    for (auto& b : data) {
      b = static_cast<std::uint8_t>(prng.next());
    }
    for (std::size_t split = 0; split <= length; split += 1 + length / 7) {
      Sha256Stream stream;
      stream.update(ByteView(data).first(split));
      stream.update(ByteView(data).subspan(split));
      ASSERT_EQ(stream.digest(), crypto::sha256(data)) << length << " split " << split;
    }
  }
}

TEST(Sha256Stream, KnownAnswerAbc) {
  Sha256Stream stream;
  stream.update(std::string_view("abc"));
  EXPECT_EQ(to_hex(stream.digest()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Trace, HashIsSha256OfTheExactBytesWritten) {
  Trace trace;
  std::ostringstream sink;
  trace.full().set_sink(&sink);
  trace.full().set_capture(true);
  TraceEvent e = make_trace_event(1234, "net_send");
  e["id"] = 1;
  e["from"] = 2;
  e["bytes"] = trace_bytes(bytes_of("hi"));
  trace.record(e);
  trace.record(make_trace_event(1300, "net_deliver"));
  const std::string expected =
      "{\"t\":1234,\"ev\":\"net_send\",\"id\":1,\"from\":2,\"bytes\":\"6869\"}\n"
      "{\"t\":1300,\"ev\":\"net_deliver\"}\n";
  EXPECT_EQ(trace.full().captured(), expected);
  EXPECT_EQ(sink.str(), expected);
  EXPECT_EQ(trace.trace_hash(), to_hex(crypto::sha256(view(expected))));
  EXPECT_EQ(trace.full().lines(), 2u);
  EXPECT_EQ(trace.full().bytes(), expected.size());
}

TEST(Trace, LongByteStringsAreHashed) {
  const Bytes short_bytes(kTraceInlineBytesMax, 0xab);
  const Bytes long_bytes(kTraceInlineBytesMax + 1, 0xab);
  std::string expected_hex;
  for (std::size_t i = 0; i < kTraceInlineBytesMax; ++i) {
    expected_hex += "ab";
  }
  EXPECT_EQ(trace_bytes(short_bytes), expected_hex);
  EXPECT_EQ(trace_bytes(long_bytes), "sha256:" + to_hex(crypto::sha256(long_bytes)));
}

TEST(Trace, ProjectionFeedsTheAbstractStream) {
  Trace trace;
  trace.abstract().set_capture(true);
  trace.set_projection([](const TraceEvent& full, Trace& t) {
    if (full["ev"] == "net_drop") {
      TraceEvent a = make_trace_event(full["t"].get<TimeUs>(), "msg_drop");
      a["id"] = full["id"];
      t.record_abstract(a);
    }
  });
  TraceEvent drop = make_trace_event(7, "net_drop");
  drop["id"] = 3;
  trace.record(make_trace_event(1, "net_send"));
  trace.record(drop);
  EXPECT_EQ(trace.abstract().captured(), "{\"t\":7,\"ev\":\"msg_drop\",\"id\":3}\n");
  EXPECT_EQ(trace.full().lines(), 2u);
  EXPECT_NE(trace.abstract().hash_hex(), trace.full().hash_hex());
}

}  // namespace
}  // namespace spmc::sim

namespace spmc::sim {
namespace {

TEST(Trace, LineEqualsJsonDump) {
  const Bytes small(40, 0xab);
  const Bytes large(300, 0x01);
  for (const Bytes* bytes : {&small, &large}) {
    TraceEvent e = make_trace_event(18'446'744'073'709'551'615ULL, "net_send");
    e["id"] = 7;
    e["from"] = 0;
    e["to"] = 4'294'967'295U;
    e["len"] = bytes->size();
    e["bytes"] = trace_bytes(*bytes);
    TraceStream json;
    json.set_capture(true);
    json.write(e);
    TraceStream line;
    line.set_capture(true);
    line.write_line(TraceLine(18'446'744'073'709'551'615ULL, "net_send")
                        .num("id", 7)
                        .num("from", 0)
                        .num("to", 4'294'967'295U)
                        .num("len", bytes->size())
                        .str("bytes", trace_bytes(*bytes))
                        .finish());
    EXPECT_EQ(line.captured(), json.captured());
    EXPECT_EQ(line.hash_hex(), json.hash_hex());
  }
}

TEST(TraceDeathTest, LineRefusesAStringThatNeedsEscaping) {
  EXPECT_DEATH((void)TraceLine(1, "x").str("k", "a\"b").finish(), "");
}

}  // namespace
}  // namespace spmc::sim
