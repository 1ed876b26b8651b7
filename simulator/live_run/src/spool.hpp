#pragma once
// The two files the server process and a live run share beside the broker
// (spec/transport_mqtt.md, "Live runs"): the mail spool, where the server's e-mail (SU-002's
// verification codes) lands one file per message, and the server's event log, one JSON object
// per line (srv_relay, srv_delete: the simulator's observation points, TRACE.md), which the run
// merges into its trace. A server killed mid-write leaves at most a partial last line, which
// the reader never takes.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "spmc/result.hpp"

namespace spmc::live {

struct Mail {
  std::string email;
  std::string text;
};

// <dir>/<tag>-<seq>.mail, written under a temporary name and renamed, so a reader never sees
// half a message.
Status write_mail(const std::filesystem::path& dir, std::string_view tag, std::uint64_t seq,
                  const Mail& mail);
// Every whole message in the spool, oldest name first; each is removed once read.
std::vector<Mail> take_mail(const std::filesystem::path& dir);

// Appends one line per event with a single write(2) each.
class EventLogWriter {
 public:
  static Result<EventLogWriter> open(const std::filesystem::path& path);
  EventLogWriter(EventLogWriter&& other) noexcept;
  EventLogWriter& operator=(EventLogWriter&& other) noexcept;
  EventLogWriter(const EventLogWriter&) = delete;
  EventLogWriter& operator=(const EventLogWriter&) = delete;
  ~EventLogWriter();
  Status write(const nlohmann::ordered_json& event);

 private:
  explicit EventLogWriter(int fd) : m_fd(fd) {}
  int m_fd = -1;
};

// Follows a log another process appends to: each call returns the lines completed since the
// last one. A line that is not one JSON object is counted and skipped.
class EventLogTail {
 public:
  explicit EventLogTail(std::filesystem::path path) : m_path(std::move(path)) {}
  std::vector<nlohmann::json> read_new();
  std::uint64_t bad_lines() const { return m_bad_lines; }

 private:
  std::filesystem::path m_path;
  std::uint64_t m_offset = 0;
  std::string m_partial;
  std::uint64_t m_bad_lines = 0;
};

}  // namespace spmc::live
