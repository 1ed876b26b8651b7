// The server's SQLite store (spec/server_store.md). Every SQLite call is checked and every
// failure becomes a live::Fault naming the file; rows are decoded with the record codecs of
// server_durable.hpp and checked against their keys before a state is handed out.
#include "spmc/live/server_db.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "spmc/live/errors.hpp"

namespace spmc::live {

namespace {

struct DbClose {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalize {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbHandle = std::unique_ptr<sqlite3, DbClose>;
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalize>;

// SDB-003: schema version 1. Store order within a user is message id order (SRV-016), so the
// items need no position column; a session list does (its ids are not ordered).
constexpr std::string_view kSchema = R"sql(
CREATE TABLE meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  identity BLOB NOT NULL,
  next_message_id INTEGER NOT NULL,
  next_serial INTEGER NOT NULL
);
CREATE TABLE accounts (user_id TEXT PRIMARY KEY, record BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE revoked (serial INTEGER PRIMARY KEY);
CREATE TABLE items (
  message_id INTEGER PRIMARY KEY,
  user_id TEXT NOT NULL,
  push BLOB NOT NULL
);
CREATE INDEX items_by_user ON items (user_id, message_id);
CREATE TABLE sessions (
  address INTEGER NOT NULL,
  position INTEGER NOT NULL,
  session INTEGER NOT NULL,
  PRIMARY KEY (address, position)
) WITHOUT ROWID;
)sql";

// The statements a commit runs, prepared once per connection.
enum class Sql : std::uint8_t {
  kIdentity,
  kAccount,
  kSerialIssued,
  kRevoke,
  kItem,
  kNextMessageId,
  kDeleteItem,
  kSession,
  kTrimSessions,
  kCount,
};
constexpr std::array<std::string_view, static_cast<std::size_t>(Sql::kCount)> kSql{{
    "INSERT INTO meta (id, identity, next_message_id, next_serial) VALUES (1, ?1, "
    "COALESCE((SELECT next_message_id FROM meta), 1), COALESCE((SELECT next_serial FROM meta), 1))"
    " ON CONFLICT (id) DO UPDATE SET identity = excluded.identity",
    "INSERT INTO accounts (user_id, record) VALUES (?1, ?2)"
    " ON CONFLICT (user_id) DO UPDATE SET record = excluded.record",
    "UPDATE meta SET next_serial = MAX(next_serial, ?1 + 1)",
    "INSERT OR IGNORE INTO revoked (serial) VALUES (?1)",
    "INSERT INTO items (message_id, user_id, push) VALUES (?1, ?2, ?3)",
    "UPDATE meta SET next_message_id = MAX(next_message_id, ?1 + 1)",
    "DELETE FROM items WHERE message_id = ?1 AND user_id = ?2",
    "INSERT INTO sessions (address, position, session) VALUES (?1, "
    "COALESCE((SELECT MAX(position) FROM sessions WHERE address = ?1), 0) + 1, ?2)",
    "DELETE FROM sessions WHERE address = ?1 AND position <= "
    "(SELECT MAX(position) FROM sessions WHERE address = ?1) - ?2",
}};

// SQLite keeps signed 64-bit integers; the protocol's counters are unsigned. The bits are
// kept as they are, so a value reads back exactly.
std::int64_t to_sql(std::uint64_t v) { return static_cast<std::int64_t>(v); }
std::uint64_t from_sql(std::int64_t v) { return static_cast<std::uint64_t>(v); }

std::string_view column_text(sqlite3_stmt* s, int i) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
  return p == nullptr ? std::string_view{}
                      : std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(s, i)));
}

ByteView column_blob(sqlite3_stmt* s, int i) {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(s, i));
  return p == nullptr ? ByteView{}
                      : ByteView(p, static_cast<std::size_t>(sqlite3_column_bytes(s, i)));
}

// SDB-009: an exclusive flock(2) on "<path>.lock", held while the store is open. The kernel
// drops it when the descriptor closes, also when the process is killed. (Not SQLite's exclusive
// locking mode: in it the rollback journal is kept after each commit, with the pages a
// secure delete had just overwritten.)
class LockFile {
 public:
  LockFile() = default;
  LockFile(LockFile&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  LockFile& operator=(LockFile&& other) noexcept {
    std::swap(m_fd, other.m_fd);
    return *this;
  }
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;
  ~LockFile() {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
  }
  // 0, or the errno of the failure (EWOULDBLOCK: another holder).
  int take(const std::string& path) {
    m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_fd < 0) {
      return errno;
    }
    return ::flock(m_fd, LOCK_EX | LOCK_NB) == 0 ? 0 : errno;
  }

 private:
  int m_fd = -1;
};

}  // namespace

struct ServerDb::Impl {
  LockFile lock;
  std::string path;
  DbHandle db;
  std::array<Stmt, static_cast<std::size_t>(Sql::kCount)> statements;

  Error fail(Fault fault, std::string_view what) const {
    return live_error(fault, path + ": " + std::string(what));
  }
  // An SQLite failure: what we were doing and what SQLite says (its message and code name).
  Error sqlite_fail(std::string_view what, int rc) const {
    std::string detail(what);
    detail += ": ";
    detail += db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc);
    detail += " (";
    detail += sqlite3_errstr(rc);
    detail += ")";
    // A file SQLite cannot read as a database is not ours: foreign, not a failure to retry.
    return fail(rc == SQLITE_NOTADB ? Fault::kStoreForeign : Fault::kStoreFailed, detail);
  }

  Status exec(std::string_view sql) const {
    const std::string text(sql);
    const int rc = sqlite3_exec(db.get(), text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      return sqlite_fail(text.substr(0, text.find_first_of("(\n")), rc);
    }
    return ok_status();
  }

  Result<Stmt> prepare(std::string_view sql) const {
    sqlite3_stmt* raw = nullptr;
    const int rc =
        sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    Stmt s(raw);
    if (rc != SQLITE_OK) {
      return sqlite_fail("prepare", rc);
    }
    return s;
  }

  // One integer from a query of one row (a pragma).
  Result<std::int64_t> query_int(std::string_view sql) const {
    SPMC_TRY(Stmt s, prepare(sql));
    const int rc = sqlite3_step(s.get());
    if (rc != SQLITE_ROW) {
      return sqlite_fail(sql, rc == SQLITE_DONE ? SQLITE_ERROR : rc);
    }
    return sqlite3_column_int64(s.get(), 0);
  }

  Result<std::string> query_text(std::string_view sql) const {
    SPMC_TRY(Stmt s, prepare(sql));
    const int rc = sqlite3_step(s.get());
    if (rc != SQLITE_ROW) {
      return sqlite_fail(sql, rc == SQLITE_DONE ? SQLITE_ERROR : rc);
    }
    return std::string(column_text(s.get(), 0));
  }

  // Runs a prepared statement of a commit to its end with its bindings, then resets it.
  Status run(Sql which,
             std::initializer_list<std::variant<std::int64_t, std::string_view, ByteView>> values) {
    sqlite3_stmt* s = statements[static_cast<std::size_t>(which)].get();
    int i = 1;
    int rc = SQLITE_OK;
    for (const auto& v : values) {
      if (const auto* n = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(s, i, *n);
      } else if (const auto* t = std::get_if<std::string_view>(&v)) {
        rc = sqlite3_bind_text(s, i, t->data(), static_cast<int>(t->size()), SQLITE_TRANSIENT);
      } else {
        const ByteView b = std::get<ByteView>(v);
        // A zero-length blob, not NULL: bind_blob with a null pointer would store NULL.
        rc = b.empty()
                 ? sqlite3_bind_zeroblob(s, i, 0)
                 : sqlite3_bind_blob(s, i, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) {
        sqlite3_reset(s);
        return sqlite_fail("bind", rc);
      }
      ++i;
    }
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE) {
      return sqlite_fail(kSql[static_cast<std::size_t>(which)].substr(0, 24), rc);
    }
    return ok_status();
  }

  // A change to the meta row needs the row: a store gets its identity first (changes_of).
  Status run_meta(Sql which, std::uint64_t value) {
    SPMC_TRY_STATUS(run(which, {to_sql(value)}));
    if (sqlite3_changes(db.get()) != 1) {
      return fail(Fault::kStoreCorrupt, "a counter change before the identity");
    }
    return ok_status();
  }

  Status apply(const server::DurableChange& change) {
    using namespace server;
    if (const auto* c = std::get_if<IdentitySet>(&change)) {
      Bytes record = encode_identity(c->identity);
      Status st = run(Sql::kIdentity, {ByteView(record)});
      secure_wipe(record);  // the CA seed: leave no copy behind in our memory
      return st;
    }
    if (const auto* c = std::get_if<AccountPut>(&change)) {
      const Bytes record = encode_account(c->account);
      return run(Sql::kAccount, {std::string_view(c->account.user_id), ByteView(record)});
    }
    if (const auto* c = std::get_if<SerialIssued>(&change)) {
      return run_meta(Sql::kSerialIssued, c->serial);
    }
    if (const auto* c = std::get_if<SerialRevoked>(&change)) {
      return run(Sql::kRevoke, {to_sql(c->serial)});
    }
    if (const auto* c = std::get_if<ItemStored>(&change)) {
      const Bytes record = encode_push(c->push);
      SPMC_TRY_STATUS(
          run(Sql::kItem, {to_sql(c->message_id), std::string_view(c->user_id), ByteView(record)}));
      return run_meta(Sql::kNextMessageId, c->message_id);
    }
    if (const auto* c = std::get_if<ItemDeleted>(&change)) {
      return run(Sql::kDeleteItem, {to_sql(c->message_id), std::string_view(c->user_id)});
    }
    const auto& c = std::get<SessionOpened>(change);
    SPMC_TRY_STATUS(run(Sql::kSession, {std::int64_t{c.address}, std::int64_t{c.session}}));
    return run(Sql::kTrimSessions,
               {std::int64_t{c.address}, static_cast<std::int64_t>(server::kRetiredSessions)});
  }

  // SDB-002: what the file is, before anything is written to it.
  Status identify_or_create() {
    SPMC_TRY(const std::int64_t app, query_int("PRAGMA application_id"));
    SPMC_TRY(const std::int64_t version, query_int("PRAGMA user_version"));
    SPMC_TRY(const std::int64_t tables, query_int("SELECT count(*) FROM sqlite_master"));
    if (app == 0 && version == 0 && tables == 0) {
      return create();
    }
    if (app != kApplicationId) {
      return fail(Fault::kStoreForeign, "not an SPMC server database (application_id " +
                                            std::to_string(app) + ", expected " +
                                            std::to_string(kApplicationId) + ")");
    }
    if (version != kSchemaVersion) {
      return fail(Fault::kStoreVersion,
                  "SPMC server database of schema version " + std::to_string(version) +
                      "; this build reads version " + std::to_string(kSchemaVersion) + " only");
    }
    return ok_status();
  }

  Status create() {
    SPMC_TRY_STATUS(exec("BEGIN IMMEDIATE"));
    Status st = exec(kSchema);
    if (st.ok()) {
      st = exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    }
    if (st.ok()) {
      st = exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
    }
    if (st.ok()) {
      st = exec("COMMIT");
    }
    if (!st.ok()) {
      (void)exec("ROLLBACK");
    }
    return st;
  }

  // SDB-004: secure deletion, a rollback journal deleted at commit (not WAL), full syncs.
  Status configure() {
    SPMC_TRY_STATUS(exec("PRAGMA secure_delete = ON"));
    SPMC_TRY_STATUS(exec("PRAGMA synchronous = FULL"));
    SPMC_TRY(const std::string mode, query_text("PRAGMA journal_mode = DELETE"));
    if (mode != "delete") {
      return fail(Fault::kStoreFailed, "journal mode " + mode + " instead of delete");
    }
    SPMC_TRY(const std::int64_t secure, query_int("PRAGMA secure_delete"));
    if (secure != 1) {
      return fail(Fault::kStoreFailed, "secure_delete is not available");
    }
    return ok_status();
  }
};

ServerDb::ServerDb(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
ServerDb::ServerDb(ServerDb&& other) noexcept = default;
ServerDb& ServerDb::operator=(ServerDb&& other) noexcept = default;
ServerDb::~ServerDb() = default;

const std::string& ServerDb::path() const { return m_impl->path; }

Result<ServerDb> ServerDb::open(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  // SDB-009: one server per database, refused before the file is touched.
  if (const int err = impl->lock.take(path + ".lock"); err != 0) {
    return impl->fail(Fault::kStoreFailed,
                      err == EWOULDBLOCK ? "in use by another process (another spmc server on "
                                           "this database?)"
                                         : std::string("lock file: ") + std::strerror(err));
  }
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  impl->db.reset(raw);  // sqlite3_open_v2 gives a handle to close even when it fails
  if (rc != SQLITE_OK) {
    return impl->sqlite_fail("open", rc);
  }
  // SQLite falls back to read-only on a file it may not write; a store that cannot commit
  // must fail here, not at the first acknowledgement.
  if (sqlite3_db_readonly(impl->db.get(), "main") == 1) {
    return impl->fail(Fault::kStoreFailed, "opened read-only");
  }
  // Reads the file's header only; a WAL database stays a WAL database until it is ours.
  SPMC_TRY_STATUS(impl->identify_or_create());
  SPMC_TRY_STATUS(impl->configure());

  for (std::size_t i = 0; i < kSql.size(); ++i) {
    SPMC_TRY(impl->statements[i], impl->prepare(kSql[i]));
  }
  return ServerDb(std::move(impl));
}

Status ServerDb::commit(std::span<const server::DurableChange> changes) {
  Impl& d = *m_impl;
  SPMC_TRY_STATUS(d.exec("BEGIN IMMEDIATE"));
  for (const server::DurableChange& change : changes) {
    Status st = d.apply(change);
    if (!st.ok()) {
      (void)d.exec("ROLLBACK");
      return st;
    }
  }
  Status st = d.exec("COMMIT");
  if (!st.ok()) {
    // A failed COMMIT may leave the transaction open (SQLITE_BUSY); it must not linger.
    if (sqlite3_get_autocommit(d.db.get()) == 0) {
      (void)d.exec("ROLLBACK");
    }
  }
  return st;
}

Result<std::optional<server::DurableState>> ServerDb::load() const {
  const Impl& d = *m_impl;
  using R = std::optional<server::DurableState>;
  server::DurableState state;
  {
    SPMC_TRY(Stmt s, d.prepare("SELECT identity, next_message_id, next_serial FROM meta"));
    const int rc = sqlite3_step(s.get());
    if (rc == SQLITE_DONE) {
      return R{};
    }
    if (rc != SQLITE_ROW) {
      return d.sqlite_fail("read meta", rc);
    }
    auto identity = server::decode_identity(column_blob(s.get(), 0));
    if (!identity.ok()) {
      return d.fail(Fault::kStoreCorrupt, "identity: " + identity.error().detail);
    }
    state.identity = std::move(*identity);
    state.next_message_id = from_sql(sqlite3_column_int64(s.get(), 1));
    state.next_serial = from_sql(sqlite3_column_int64(s.get(), 2));
  }
  {
    SPMC_TRY(Stmt s, d.prepare("SELECT user_id, record FROM accounts ORDER BY user_id"));
    int rc = 0;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
      const std::string key(column_text(s.get(), 0));
      auto account = server::decode_account(column_blob(s.get(), 1));
      if (!account.ok()) {
        return d.fail(Fault::kStoreCorrupt, "account " + key + ": " + account.error().detail);
      }
      if (account->user_id != key) {
        return d.fail(Fault::kStoreCorrupt, "account " + key + " holds " + account->user_id);
      }
      state.accounts.emplace(key, std::move(*account));
    }
    if (rc != SQLITE_DONE) {
      return d.sqlite_fail("read accounts", rc);
    }
  }
  {
    SPMC_TRY(Stmt s, d.prepare("SELECT serial FROM revoked"));
    int rc = 0;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
      state.revoked.insert(from_sql(sqlite3_column_int64(s.get(), 0)));
    }
    if (rc != SQLITE_DONE) {
      return d.sqlite_fail("read revoked", rc);
    }
  }
  {
    SPMC_TRY(Stmt s,
             d.prepare("SELECT message_id, user_id, push FROM items ORDER BY user_id, message_id"));
    int rc = 0;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
      const std::uint64_t id = from_sql(sqlite3_column_int64(s.get(), 0));
      const std::string user(column_text(s.get(), 1));
      auto push = server::decode_push(column_blob(s.get(), 2));
      if (!push.ok()) {
        return d.fail(Fault::kStoreCorrupt,
                      "item " + std::to_string(id) + ": " + push.error().detail);
      }
      // SRV-016: a restored counter must never hand out a stored id again.
      if (server::push_message_id(*push) != id || id >= state.next_message_id) {
        return d.fail(Fault::kStoreCorrupt,
                      "item " + std::to_string(id) + " does not fit its message id or the counter");
      }
      state.store[user].push_back(server::StoredItem{id, std::move(*push), 0});
    }
    if (rc != SQLITE_DONE) {
      return d.sqlite_fail("read items", rc);
    }
  }
  {
    SPMC_TRY(Stmt s, d.prepare("SELECT address, session FROM sessions ORDER BY address, position"));
    int rc = 0;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
      const std::int64_t address = sqlite3_column_int64(s.get(), 0);
      const std::int64_t session = sqlite3_column_int64(s.get(), 1);
      if (address < 0 || address > UINT32_MAX || session < 0 || session > UINT32_MAX) {
        return d.fail(Fault::kStoreCorrupt, "session row out of range");
      }
      auto& list = state.sessions[static_cast<server::Address>(address)];
      list.push_back(static_cast<std::uint32_t>(session));
      if (list.size() > server::kRetiredSessions) {
        return d.fail(Fault::kStoreCorrupt, "more sessions than CH-008 keeps");
      }
    }
    if (rc != SQLITE_DONE) {
      return d.sqlite_fail("read sessions", rc);
    }
  }
  return R{std::move(state)};
}

}  // namespace spmc::live
