// The files between the server process and a live run (spec/transport_mqtt.md MQT-023): the
// event log's lines are read only whole and only when they are exactly a server event; the mail
// spool gives each message once, oldest first.
#include "spmc/live/spool.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/temp_dir.hpp"
#include "support/text_file.hpp"

namespace spmc::live {
namespace {

using spmc::testing::TempDir;

ServerEvent relay_with_header() {
  return {.kind = ServerEvent::Kind::kRelay,
          .id = 7,
          .from = "alice",
          .to = "bob",
          .bytes = 169,
          .header = ServerEvent::Header{
              .recipient = "group-1", .group = true, .key_ts = 1796672692080, .counter = 3}};
}

// Proves: MQT-023
TEST(LiveEventLog, EveryEventWrittenIsReadBackAsItWas) {
  const ServerEvent del{.kind = ServerEvent::Kind::kDelete,
                        .id = 7,
                        .from = {},
                        .to = "bob",
                        .bytes = 0,
                        .header = std::nullopt};
  ServerEvent plain = relay_with_header();
  plain.header.reset();
  EventLogTail tail("");
  std::string log;
  for (const ServerEvent& e : {relay_with_header(), plain, del}) {
    log += server_event_json(e).dump() + "\n";
  }
  const auto read = tail.feed(log);
  ASSERT_EQ(read.size(), 3U);
  EXPECT_EQ(read[0], relay_with_header());
  EXPECT_EQ(read[1], plain);
  EXPECT_EQ(read[2], del);
  EXPECT_EQ(tail.bad_lines(), 0U);
}

// Proves: MQT-023
TEST(LiveEventLog, APartialLastLineWaitsForTheRestAndIsNeverReadHalf) {
  const std::string line = server_event_json(relay_with_header()).dump() + "\n";
  EventLogTail tail("");
  EXPECT_TRUE(tail.feed(line.substr(0, 20)).empty());
  const auto rest = tail.feed(line.substr(20));
  ASSERT_EQ(rest.size(), 1U);
  EXPECT_EQ(rest[0], relay_with_header());
}

// Proves: MQT-023
TEST(LiveEventLog, LinesThatAreNotExactlyAnEventAreCountedAndSkipped) {
  EventLogTail tail("");
  const auto read = tail.feed(
      "not json\n"
      "{\"ev\":\"srv_delete\",\"id\":\"7\",\"to\":\"bob\"}\n"         // id of another type
      "{\"ev\":\"srv_delete\",\"id\":7,\"to\":\"bob\",\"x\":1}\n"     // a field too many
      "{\"ev\":\"srv_relay\",\"id\":7,\"to\":\"bob\",\"bytes\":1}\n"  // no sender
      "{\"ev\":\"srv_relay\",\"id\":7,\"from\":\"a\",\"to\":\"b\",\"bytes\":1,\"recipient\":"
      "\"b\",\"group\":false,\"key_ts\":1,\"counter\":4294967296}\n"  // counter above 32 bits
      "[1,2]\n"
      "{\"ev\":\"srv_delete\",\"id\":7,\"to\":\"bob\"}\n");
  ASSERT_EQ(read.size(), 1U);
  EXPECT_EQ(read[0].kind, ServerEvent::Kind::kDelete);
  EXPECT_EQ(tail.bad_lines(), 6U);
}

// Proves: MQT-023
TEST(LiveEventLog, AFollowerReadsWhatAnotherWriterAppendsAsItGrows) {
  TempDir dir;
  const auto path = dir.path() / "events.jsonl";
  auto writer = EventLogWriter::open(path);
  ASSERT_TRUE(writer.ok());
  EventLogTail tail(path);
  EXPECT_TRUE(tail.read_new().empty());
  ASSERT_TRUE(writer->write(server_event_json(relay_with_header())).ok());
  EXPECT_EQ(tail.read_new().size(), 1U);
  EXPECT_TRUE(tail.read_new().empty());
  ASSERT_TRUE(writer->write(server_event_json(relay_with_header())).ok());
  EXPECT_EQ(tail.read_new().size(), 1U);
}

// Proves: MQT-023, SU-002
TEST(LiveMailSpool, EachMessageIsTakenOnceOldestFirst) {
  TempDir dir;
  ASSERT_TRUE(write_mail(dir.path(), "9", 2, {"b@x", "code 2"}).ok());
  ASSERT_TRUE(write_mail(dir.path(), "9", 1, {"a@x", "code\n1"}).ok());
  EXPECT_FALSE(write_mail(dir.path(), "9", 3, {"bad\n@x", "x"}).ok());
  const auto mail = take_mail(dir.path());
  ASSERT_EQ(mail.size(), 2U);
  EXPECT_EQ(mail[0].email, "a@x");
  EXPECT_EQ(mail[0].text, "code\n1");
  EXPECT_EQ(mail[1].email, "b@x");
  EXPECT_TRUE(take_mail(dir.path()).empty());
}

}  // namespace
}  // namespace spmc::live
