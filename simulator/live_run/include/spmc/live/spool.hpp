#pragma once
// The two files the server process and a live run share beside the broker
// (spec/transport_mqtt.md, "Live runs"): the mail spool, where the server's e-mail (SU-002's
// verification codes) lands one file per message, and the server's event log, one JSON object
// per line (srv_relay, srv_delete: the simulator's observation points, TRACE.md), which the run
// merges into its trace. A server killed mid-write leaves at most a partial last line, which
// the reader never takes.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "spmc/result.hpp"

namespace spmc::live {

// Writes `text` under a temporary name beside `path` and renames it over `path`, so a reader
// sees the old file or the whole new one (the mail, the CA key file).
Status write_file_atomically(const std::filesystem::path& path, std::string_view text);

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

// One line of the event log: the server's observation points, as the simulator's trace has
// them (TRACE.md `srv_relay`, `srv_delete`), with the relayed envelope's public header fields
// (ENV-001) so the reader can tell which message a relay carries. Declared once: the writer's
// JSON and the reader's strict parse are the two functions below.
struct ServerEvent {
  enum class Kind : std::uint8_t { kRelay, kDelete };
  struct Header {           // an envelope's, when the relayed item is one
    std::string recipient;  // a user id, or the group id when `group`
    bool group = false;
    std::uint64_t key_ts = 0;
    std::uint32_t counter = 0;
    bool operator==(const Header&) const = default;
  };
  Kind kind = Kind::kRelay;
  std::uint64_t id = 0;
  std::string from;  // relays only
  std::string to;
  std::uint64_t bytes = 0;  // relays only: the payload's size
  std::optional<Header> header;
  bool operator==(const ServerEvent&) const = default;
};
nlohmann::ordered_json server_event_json(const ServerEvent& event);
// Nothing for a line that is not exactly such an event (a field missing or of another type).
std::optional<ServerEvent> parse_server_event(const nlohmann::json& line);

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
// last one. A line that is not one ServerEvent is counted and skipped.
class EventLogTail {
 public:
  explicit EventLogTail(std::filesystem::path path) : m_path(std::move(path)) {}
  std::vector<ServerEvent> read_new();
  // The same on bytes already read (the file's next bytes): what read_new() does after reading.
  std::vector<ServerEvent> feed(std::string_view fresh);
  std::uint64_t bad_lines() const { return m_bad_lines; }

 private:
  std::filesystem::path m_path;
  std::ifstream m_in;  // opened once the file exists, then kept: the run reads it every round
  std::string m_partial;
  std::uint64_t m_bad_lines = 0;
};

}  // namespace spmc::live
