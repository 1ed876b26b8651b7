#include "spmc/live/spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <utility>

#include "spmc/live/errors.hpp"

namespace spmc::live {

namespace {
constexpr std::string_view kMailSuffix = ".mail";
}  // namespace

Status write_file_atomically(const std::filesystem::path& path, std::string_view text) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      return live_error(Fault::kLibrary, "cannot write " + tmp.string());
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    return live_error(Fault::kLibrary, "cannot rename " + tmp.string() + ": " + ec.message());
  }
  return ok_status();
}

Status write_mail(const std::filesystem::path& dir, std::string_view tag, std::uint64_t seq,
                  const Mail& mail) {
  if (mail.email.find('\n') != std::string::npos) {
    return live_error(Fault::kLibrary, "an e-mail address with a line break");
  }
  const std::string name = std::string(tag) + "-" + std::to_string(seq);
  return write_file_atomically(dir / (name + std::string(kMailSuffix)),
                               mail.email + "\n" + mail.text);
}

std::vector<Mail> take_mail(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == kMailSuffix) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());  // directory order is the file system's, not ours
  std::vector<Mail> out;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    const std::string all{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const std::size_t cut = all.find('\n');
    if (cut != std::string::npos) {
      out.push_back({all.substr(0, cut), all.substr(cut + 1)});
    }
    std::filesystem::remove(path, ec);
  }
  return out;
}

Result<EventLogWriter> EventLogWriter::open(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    return live_error(Fault::kLibrary,
                      "cannot open " + path.string() + ": " + std::strerror(errno));
  }
  return EventLogWriter(fd);
}

EventLogWriter::EventLogWriter(EventLogWriter&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)) {}

EventLogWriter& EventLogWriter::operator=(EventLogWriter&& other) noexcept {
  if (this != &other) {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
    m_fd = std::exchange(other.m_fd, -1);
  }
  return *this;
}

EventLogWriter::~EventLogWriter() {
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

Status EventLogWriter::write(const nlohmann::ordered_json& event) {
  const std::string line = event.dump() + "\n";
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(m_fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return live_error(Fault::kLibrary, std::string("event log: ") + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  return ok_status();
}

nlohmann::ordered_json server_event_json(const ServerEvent& event) {
  nlohmann::ordered_json e;
  e["ev"] = event.kind == ServerEvent::Kind::kRelay ? "srv_relay" : "srv_delete";
  e["id"] = event.id;
  if (event.kind == ServerEvent::Kind::kRelay) {
    e["from"] = event.from;
  }
  e["to"] = event.to;
  if (event.kind == ServerEvent::Kind::kRelay) {
    e["bytes"] = event.bytes;
    if (event.header) {
      e["recipient"] = event.header->recipient;
      e["group"] = event.header->group;
      e["key_ts"] = event.header->key_ts;
      e["counter"] = event.header->counter;
    }
  }
  return e;
}

namespace {

bool take_u64(const nlohmann::json& j, const char* key, std::uint64_t& out) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number_unsigned()) {
    return false;
  }
  out = it->get<std::uint64_t>();
  return true;
}

bool take_string(const nlohmann::json& j, const char* key, std::string& out) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) {
    return false;
  }
  out = it->get<std::string>();
  return true;
}

}  // namespace

std::optional<ServerEvent> parse_server_event(const nlohmann::json& line) {
  ServerEvent e;
  std::string kind;
  if (!line.is_object() || !take_string(line, "ev", kind) || !take_u64(line, "id", e.id) ||
      !take_string(line, "to", e.to)) {
    return std::nullopt;
  }
  if (kind == "srv_delete") {
    e.kind = ServerEvent::Kind::kDelete;
    return line.size() == 3 ? std::optional<ServerEvent>(e) : std::nullopt;
  }
  if (kind != "srv_relay" || !take_string(line, "from", e.from) ||
      !take_u64(line, "bytes", e.bytes)) {
    return std::nullopt;
  }
  e.kind = ServerEvent::Kind::kRelay;
  if (line.size() == 5) {
    return e;
  }
  ServerEvent::Header h;
  std::uint64_t counter = 0;
  const auto group = line.find("group");
  if (line.size() != 9 || !take_string(line, "recipient", h.recipient) || group == line.end() ||
      !group->is_boolean() || !take_u64(line, "key_ts", h.key_ts) ||
      !take_u64(line, "counter", counter) || counter > UINT32_MAX) {
    return std::nullopt;
  }
  h.group = group->get<bool>();
  h.counter = static_cast<std::uint32_t>(counter);
  e.header = std::move(h);
  return e;
}

std::vector<ServerEvent> EventLogTail::read_new() {
  if (!m_in.is_open()) {
    m_in.open(m_path, std::ios::binary);
    if (!m_in.is_open()) {
      return {};  // not written yet
    }
  }
  m_in.clear();  // the last read stopped at the end; the writer may have appended since
  const std::string fresh{std::istreambuf_iterator<char>(m_in), std::istreambuf_iterator<char>()};
  return feed(fresh);
}

std::vector<ServerEvent> EventLogTail::feed(std::string_view fresh) {
  std::vector<ServerEvent> out;
  m_partial += fresh;
  std::size_t start = 0;
  for (std::size_t end = m_partial.find('\n'); end != std::string::npos;
       end = m_partial.find('\n', start)) {
    const auto value =
        nlohmann::json::parse(m_partial.begin() + static_cast<std::ptrdiff_t>(start),
                              m_partial.begin() + static_cast<std::ptrdiff_t>(end), nullptr, false);
    if (auto event = parse_server_event(value)) {
      out.push_back(std::move(*event));
    } else {
      ++m_bad_lines;
    }
    start = end + 1;
  }
  m_partial.erase(0, start);
  return out;
}

}  // namespace spmc::live
