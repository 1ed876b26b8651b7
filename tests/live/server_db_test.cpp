// The server's SQLite store (spec/server_store.md): a server's changes committed call by call
// come back whole from the file; a file that is not ours, or of another schema version, is
// refused and left as it was; a deleted item's bytes are gone from the file and its journal;
// and a writer killed with SIGKILL at any moment leaves exactly a prefix of its commits.
#include "spmc/live/server_db.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "spmc/live/errors.hpp"
#include "support/temp_dir.hpp"
#include "unit/server_harness.hpp"

namespace spmc::live {
namespace {

using server::DurableChange;
using server::DurableState;
using testing::TempDir;

Bytes read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool contains(const Bytes& haystack, ByteView needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

ServerDb open_ok(const std::string& path) {
  auto db = ServerDb::open(path);
  if (!db.ok()) {
    ADD_FAILURE() << db.error().detail;
  }
  return std::move(*db);
}

std::optional<DurableState> load_ok(const ServerDb& db) {
  auto state = db.load();
  EXPECT_TRUE(state.ok()) << state.error().detail;
  return state.ok() ? *state : std::nullopt;
}

// A raw SQLite statement on a file, as another program would write it.
void sql_on(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
}

server::DurableIdentity identity() {
  server::DurableIdentity id;
  id.ca_secret.fill(0x11);
  id.email_salt = Bytes(server::kSaltLength, 0x22);
  return id;
}

proto::Deliver deliver(std::uint64_t id, Bytes payload) {
  return proto::Deliver{id, "sender", proto::PayloadKind::kEnvelope, 1000 + id, std::move(payload)};
}

// Proves: SDB-001, SDB-003, SDB-005, SDB-006
TEST(ServerDb, AServerCommittedCallByCallComesBackWholeFromTheFile) {
  TempDir dir;
  const std::string path = dir.file("server.db");
  server::ServerHarness h(paper_profile());
  {
    ServerDb db = open_ok(path);
    EXPECT_FALSE(load_ok(db).has_value());  // new: nothing committed yet
    ASSERT_TRUE(db.commit(server::changes_of(h.server().durable_state())).ok());
    std::vector<DurableChange> batch;
    h.fx.on_persist = [&batch](const DurableChange& c) { batch.push_back(c); };
    const auto commit = [&] {
      const Status st = db.commit(batch);
      EXPECT_TRUE(st.ok()) << st.error().detail;
      batch.clear();
    };
    const std::string a = h.user(1, "a@x.org");
    commit();
    const std::string b = h.user(2, "b@x.org");
    commit();
    h.befriend(1, a, 2, b);
    commit();
    (void)h.request(1, server::ServerHarness::send_to(b, "kept"));
    (void)h.request(2, proto::RequestCertificates{Bytes(32, 3), Bytes(32, 4)});  // reinstall
    commit();
    h.go_offline(2);
    commit();
    for (std::uint32_t s = 0; s < 20; ++s) {  // more sessions at one address than CH-008 keeps
      h.go_offline(3);
    }
    commit();
  }
  ServerDb again = open_ok(path);
  const auto loaded = load_ok(again);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_TRUE(*loaded == h.server().durable_state());
  EXPECT_EQ(loaded->sessions.at(3).size(), server::kRetiredSessions);
  EXPECT_EQ(loaded->revoked.size(), 2U);
  // A server built from the file answers with the same CA.
  DeterministicRng rng(1, "unused");
  ManualClock clock;
  server::ChatServer restored(paper_profile(), rng, clock, server::ServerConfig{}, *loaded);
  EXPECT_EQ(restored.ca_public(), h.server().ca_public());
}

// Proves: SDB-005
TEST(ServerDb, ABatchIsAppliedWholeOrNotAtAll) {
  TempDir dir;
  ServerDb db = open_ok(dir.file("server.db"));
  // A counter change before any identity has no row to change: refused, nothing kept.
  const std::vector<DurableChange> early{server::SerialIssued{1}};
  EXPECT_EQ(fault_of(db.commit(early).error()), Fault::kStoreCorrupt);
  EXPECT_FALSE(load_ok(db).has_value());
  const std::vector<DurableChange> first{server::IdentitySet{identity()},
                                         server::ItemStored{"u", 1, deliver(1, Bytes(8, 1))}};
  ASSERT_TRUE(db.commit(first).ok());
  server::Account a;
  a.user_id = "u";
  a.password_salt = Bytes(server::kSaltLength, 1);
  a.password_verifier = Bytes(server::kVerifierLength, 2);
  a.verification_code = "123456";
  // The second item reuses message id 1: the whole batch, the account too, is rolled back.
  const std::vector<DurableChange> bad{server::AccountPut{a}, server::SerialRevoked{9},
                                       server::ItemStored{"u", 1, deliver(1, Bytes(8, 2))}};
  const Status st = db.commit(bad);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(fault_of(st.error()), Fault::kStoreFailed) << st.error().detail;
  const auto loaded = load_ok(db);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_TRUE(loaded->accounts.empty());
  EXPECT_TRUE(loaded->revoked.empty());
  EXPECT_EQ(loaded->store.at("u").size(), 1U);
  EXPECT_EQ(loaded->next_message_id, 2U);
  // And the store still takes the next batch.
  EXPECT_TRUE(db.commit(std::vector<DurableChange>{server::AccountPut{a}}).ok());
}

// Proves: SDB-002
TEST(ServerDb, AFileThatIsNotAnSqliteDatabaseIsRefusedAndLeftAsItWas) {
  TempDir dir;
  const std::string path = dir.file("notes.txt");
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 200; ++i) {
      out << "these are somebody's notes, not a database\n";
    }
  }
  const Bytes before = read_file(path);
  auto db = ServerDb::open(path);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(fault_of(db.error()), Fault::kStoreForeign) << db.error().detail;
  EXPECT_NE(db.error().detail.find(path), std::string::npos) << db.error().detail;
  EXPECT_EQ(read_file(path), before);
  EXPECT_FALSE(std::filesystem::exists(path + "-journal"));
}

// Proves: SDB-002
TEST(ServerDb, AnotherProgramsDatabaseIsRefusedAndLeftAsItWas) {
  TempDir dir;
  const std::string path = dir.file("other.db");
  sql_on(path, "CREATE TABLE t (x); INSERT INTO t VALUES (42);");
  const Bytes before = read_file(path);
  auto db = ServerDb::open(path);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(fault_of(db.error()), Fault::kStoreForeign) << db.error().detail;
  EXPECT_NE(db.error().detail.find("not an SPMC server database"), std::string::npos);
  EXPECT_EQ(read_file(path), before);
}

// Proves: SDB-002
TEST(ServerDb, AnSpmcDatabaseOfAnotherSchemaVersionIsRefusedNamingBothVersions) {
  TempDir dir;
  const std::string path = dir.file("server.db");
  {
    ServerDb db = open_ok(path);
    ASSERT_TRUE(db.commit(std::vector<DurableChange>{server::IdentitySet{identity()}}).ok());
  }
  sql_on(path, "PRAGMA user_version = 2;");
  const Bytes before = read_file(path);
  auto db = ServerDb::open(path);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(fault_of(db.error()), Fault::kStoreVersion);
  EXPECT_EQ(db.error().code, ErrorCode::kBadVersion);
  const std::string& detail = db.error().detail;
  EXPECT_NE(detail.find(path), std::string::npos) << detail;
  EXPECT_NE(detail.find("schema version 2"), std::string::npos) << detail;
  EXPECT_NE(detail.find("version 1"), std::string::npos) << detail;
  EXPECT_EQ(read_file(path), before);
}

// Proves: SDB-006, SDB-007
TEST(ServerDb, ARowThatDoesNotDecodeOrFitIsRefusedNamingIt) {
  TempDir dir;
  const std::string path = dir.file("server.db");
  const auto corrupted = [&](const std::string& sql) {
    std::filesystem::remove(path);
    {
      ServerDb db = open_ok(path);
      server::Account a;
      a.user_id = "alice";
      a.password_salt = Bytes(server::kSaltLength, 1);
      a.password_verifier = Bytes(server::kVerifierLength, 2);
      a.verification_code = "123456";
      EXPECT_TRUE(db.commit(std::vector<DurableChange>{
                                server::IdentitySet{identity()}, server::AccountPut{a},
                                server::ItemStored{"bob", 5, deliver(5, Bytes(4, 1))}})
                      .ok());
      EXPECT_TRUE(load_ok(db).has_value());
    }
    sql_on(path, sql);
    ServerDb db = open_ok(path);
    auto loaded = db.load();
    EXPECT_FALSE(loaded.ok());
    return loaded.ok() ? Error{} : loaded.error();
  };
  Error e = corrupted("UPDATE accounts SET record = x'0100'");
  EXPECT_EQ(fault_of(e), Fault::kStoreCorrupt);
  EXPECT_NE(e.detail.find("account alice"), std::string::npos) << e.detail;
  e = corrupted("UPDATE accounts SET user_id = 'mallory'");
  EXPECT_NE(e.detail.find("account mallory holds alice"), std::string::npos) << e.detail;
  e = corrupted("UPDATE meta SET next_message_id = 5");  // would hand out id 5 again
  EXPECT_NE(e.detail.find("item 5"), std::string::npos) << e.detail;
  e = corrupted("UPDATE items SET push = x'48'");
  EXPECT_EQ(fault_of(e), Fault::kStoreCorrupt);
  e = corrupted("UPDATE meta SET identity = x'02'");
  EXPECT_NE(e.detail.find("identity"), std::string::npos) << e.detail;
  e = corrupted("INSERT INTO sessions VALUES (1, 1, 4294967296)");
  EXPECT_NE(e.detail.find("session row"), std::string::npos) << e.detail;
}

// Proves: SDB-004
TEST(ServerDb, ADeletedItemsBytesAreGoneFromTheFileAndItsJournal) {
  TempDir dir;
  const std::string path = dir.file("server.db");
  ServerDb db = open_ok(path);
  // One item within a page, one spilling over several overflow pages, and one that stays.
  const auto marker = [](char tag, std::size_t n) {
    Bytes b;
    while (b.size() < n) {
      for (char c : std::string("DELIVERED-AND-ACKED-") + tag) {
        b.push_back(static_cast<std::uint8_t>(c));
      }
    }
    return b;
  };
  const Bytes small = marker('S', 300);
  const Bytes large = marker('L', 20000);
  const Bytes kept = marker('K', 300);
  ASSERT_TRUE(db.commit(std::vector<DurableChange>{server::IdentitySet{identity()},
                                                   server::ItemStored{"u", 1, deliver(1, small)},
                                                   server::ItemStored{"u", 2, deliver(2, large)},
                                                   server::ItemStored{"v", 3, deliver(3, kept)}})
                  .ok());
  const ByteView small_tail(small.data() + small.size() - 40, 40);
  const ByteView large_tail(large.data() + large.size() - 40, 40);
  const ByteView kept_tail(kept.data() + kept.size() - 40, 40);
  Bytes file = read_file(path);
  ASSERT_TRUE(contains(file, small_tail));  // the check can see them while they are stored
  ASSERT_TRUE(contains(file, large_tail));
  ASSERT_TRUE(db.commit(std::vector<DurableChange>{server::ItemDeleted{"u", 1},
                                                   server::ItemDeleted{"u", 2}})
                  .ok());
  file = read_file(path);
  EXPECT_FALSE(contains(file, small_tail));
  EXPECT_FALSE(contains(file, large_tail));
  EXPECT_TRUE(contains(file, kept_tail));
  // journal_mode=DELETE: no journal outlives its transaction (a WAL would keep the pages).
  EXPECT_FALSE(std::filesystem::exists(path + "-journal"));
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

// The batches the child commits: every kind of change, several rows per batch, so a batch
// half applied would show.
std::vector<DurableChange> batch(std::uint32_t k) {
  if (k == 0) {
    DurableState initial;
    initial.identity = identity();
    return server::changes_of(initial);
  }
  const std::string user = "user" + std::to_string(k % 4);
  server::Account a;
  a.user_id = user;
  a.password_salt = Bytes(server::kSaltLength, static_cast<std::uint8_t>(k));
  a.password_verifier = Bytes(server::kVerifierLength, 2);
  a.verification_code = std::to_string(100000 + k);
  a.verified = k % 2 == 0;
  for (std::uint32_t c = 0; c < k % 7; ++c) {
    a.contacts.insert("contact" + std::to_string(c));
  }
  std::vector<DurableChange> out{
      server::AccountPut{a},
      server::ItemStored{user, k, deliver(k, Bytes(600 + k, static_cast<std::uint8_t>(k)))},
      server::SerialIssued{2 * k},
      server::SerialRevoked{k},
      server::SessionOpened{k % 3, k},
  };
  if (k > 2) {
    out.emplace_back(server::ItemDeleted{"user" + std::to_string((k - 2) % 4), k - 2});
  }
  return out;
}

// Proves: SDB-005
TEST(ServerDb, AWriterKilledAtAnyMomentLeavesExactlyAPrefixOfItsCommits) {
  constexpr std::uint32_t kBatches = 60;
  // The states after batches 0..k, to recognise what the file holds.
  std::vector<DurableState> prefixes;
  server::MemoryDurableStore model;
  for (std::uint32_t k = 0; k < kBatches; ++k) {
    model.commit(batch(k));
    prefixes.push_back(model.state());
  }
  // The kill moments differ from run to run anyway (the writer's speed is the disk's); the
  // seed is in every failure message so a failing draw can be tried again.
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);
  for (int round = 0; round < 8; ++round) {
    TempDir dir;
    const std::string path = dir.file("server.db");
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      // The writer: reports each batch on the pipe only once commit() returned.
      close(fds[0]);
      auto db = ServerDb::open(path);
      if (!db.ok()) {
        _exit(2);
      }
      for (std::uint32_t k = 0; k < kBatches; ++k) {
        if (!db->commit(batch(k)).ok() || write(fds[1], &k, sizeof k) != sizeof k) {
          _exit(3);
        }
      }
      pause();  // all done: wait for the kill like the others
      _exit(0);
    }
    close(fds[1]);
    const auto acks_wanted = std::uniform_int_distribution<int>(0, 50)(random);
    const auto extra_us = std::uniform_int_distribution<int>(0, 3000)(random);
    std::optional<std::uint32_t> acked;
    for (int n = 0; n < acks_wanted; ++n) {
      std::uint32_t k = 0;
      if (read(fds[0], &k, sizeof k) != sizeof k) {
        break;
      }
      acked = k;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(extra_us));
    ASSERT_EQ(kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFSIGNALED(status)) << "the writer failed before the kill: " << status;
    std::uint32_t k = 0;
    while (read(fds[0], &k, sizeof k) == sizeof k) {
      acked = k;  // acknowledged before it died
    }
    close(fds[0]);

    ServerDb db = open_ok(path);
    const auto loaded = load_ok(db);
    if (!loaded) {
      EXPECT_FALSE(acked.has_value()) << "round " << round << ": batch " << *acked << " lost";
      continue;
    }
    const auto match = std::find(prefixes.begin(), prefixes.end(), *loaded);
    ASSERT_NE(match, prefixes.end()) << "round " << round << ": not a prefix of the commits";
    const std::int64_t held = match - prefixes.begin();
    // Everything acknowledged is there; at most the one batch in flight besides.
    const std::int64_t last = acked ? std::int64_t{*acked} : -1;
    EXPECT_GE(held, last) << "round " << round;
    EXPECT_LE(held, last + 1) << "round " << round;
  }
}

// Proves: SDB-009
TEST(ServerDb, ASecondServerOnTheSameDatabaseIsRefusedUntilTheFirstCloses) {
  TempDir dir;
  const std::string path = dir.file("server.db");
  {
    ServerDb first = open_ok(path);
    ASSERT_TRUE(first.commit(std::vector<server::DurableChange>{server::SerialRevoked{7}}).ok());
    auto second = ServerDb::open(path);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(fault_of(second.error()), Fault::kStoreFailed);
    EXPECT_NE(second.error().detail.find("in use by another process"), std::string::npos)
        << second.error().detail;
    // The first keeps working after the refused open.
    ASSERT_TRUE(first.commit(std::vector<server::DurableChange>{server::SerialRevoked{8}}).ok());
  }
  // Closed, the database opens again (the lock went with the descriptor).
  auto again = ServerDb::open(path);
  ASSERT_TRUE(again.ok()) << again.error().detail;
  EXPECT_TRUE(again->commit(std::vector<server::DurableChange>{server::SerialRevoked{9}}).ok());
}

}  // namespace
}  // namespace spmc::live
