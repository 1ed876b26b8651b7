#pragma once
// The chat server's durable state in an SQLite file (spec/server_store.md, SDB-001):
// the store behind ServerEffects::persist in live mode (spec/server.md SRV-021). One batch of
// changes is one transaction, so a kill -9 at any moment leaves the file at the last committed
// batch; deleted rows are overwritten (secure_delete), so an acknowledged message is gone from
// the file (Req6). SQLite's C API stays inside server_db.cpp: no handle leaves this class.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "spmc/result.hpp"
#include "spmc/server_durable.hpp"

namespace spmc::live {

class ServerDb {
 public:
  // SDB-002: `PRAGMA application_id` ("SPMS") and `PRAGMA user_version`.
  static constexpr std::int32_t kApplicationId = 0x53504D53;
  static constexpr std::int32_t kSchemaVersion = 1;

  // Opens `path`, creating it (and the schema) when it does not exist or is empty. A file that
  // is not an SPMC server database (store_foreign) or one of another schema version
  // (store_version) is refused, and left as it was.
  static Result<ServerDb> open(const std::string& path);

  ServerDb(ServerDb&& other) noexcept;
  ServerDb& operator=(ServerDb&& other) noexcept;
  ServerDb(const ServerDb&) = delete;
  ServerDb& operator=(const ServerDb&) = delete;
  ~ServerDb();

  // The state the file holds; nullopt while no identity was ever committed (a new store).
  // Every record is decoded and checked (store_corrupt): the file is untrusted input.
  Result<std::optional<server::DurableState>> load() const;
  // Applies `changes` in order in one transaction: all of them or, on any error, none.
  Status commit(std::span<const server::DurableChange> changes);
  const std::string& path() const;

 private:
  struct Impl;
  explicit ServerDb(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace spmc::live
