#include "output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <streambuf>
#include <utility>
#include <vector>

namespace spmc::cli {

namespace {

std::string reason_of(int err) { return err != 0 ? std::strerror(err) : "write error"; }

// A stream buffer over a file descriptor that keeps the errno of the first failed write:
// std::ofstream loses it, and "No space left on device" is the message a user needs.
class FdBuffer : public std::streambuf {
 public:
  explicit FdBuffer(int fd) : m_fd(fd), m_buffer(kSize) {
    setp(m_buffer.data(), m_buffer.data() + kSize);
  }
  int error() const { return m_error; }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) {
      return traits_type::eof();
    }
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  static constexpr std::size_t kSize = 1 << 16;

  bool drain() {
    if (m_error != 0) {
      return false;
    }
    const char* at = pbase();
    while (at < pptr()) {
      const ssize_t n = ::write(m_fd, at, static_cast<std::size_t>(pptr() - at));
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        m_error = n < 0 ? errno : EIO;
        return false;
      }
      at += n;
    }
    setp(m_buffer.data(), m_buffer.data() + kSize);
    return true;
  }

  int m_fd;
  int m_error = 0;
  std::vector<char> m_buffer;
};

}  // namespace

struct OutputSet::Output {
  std::string path;       // as given: what error messages name
  std::string target;     // what the temporary is renamed over
  std::string temporary;  // empty when written in place
  int fd = -1;
  int open_error = 0;
  std::unique_ptr<FdBuffer> buffer;
  std::unique_ptr<std::ostream> stream;

  void close_quietly() {
    if (fd >= 0) {
      ::close(fd);
      fd = -1;
    }
    if (!temporary.empty()) {
      ::unlink(temporary.c_str());
      temporary.clear();
    }
  }
};

void print_output_error(const OutputError& error) {
  std::fprintf(stderr, "spmc: error: %s: %s\n", error.path.c_str(), error.reason.c_str());
}

OutputSet::OutputSet() = default;

OutputSet::~OutputSet() {
  for (auto& o : m_outputs) {
    o->close_quietly();
  }
}

std::ostream* OutputSet::open(const std::string& path) {
  auto o = std::make_unique<Output>();
  o->path = path;
  o->open_error = open_output(*o);
  std::ostream* stream = nullptr;
  if (o->open_error == 0) {
    o->buffer = std::make_unique<FdBuffer>(o->fd);
    o->stream = std::make_unique<std::ostream>(o->buffer.get());
    stream = o->stream.get();
  }
  m_outputs.push_back(std::move(o));
  return stream;
}

// In place when the target is a device or a pipe (there is nothing to rename over, and a
// temporary next to /dev/null would litter /dev); otherwise a new temporary next to the file
// it replaces (next to a symlink's target, so the link survives the rename).
int OutputSet::open_output(Output& o) {
  struct stat st {};
  if (::stat(o.path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) {
      return EISDIR;
    }
    o.fd = ::open(o.path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    return o.fd < 0 ? errno : 0;
  }
  namespace fs = std::filesystem;
  fs::path target(o.path);
  std::error_code ec;
  if (fs::is_symlink(target, ec)) {
    const fs::path resolved = fs::canonical(target, ec);
    if (!ec) {
      target = resolved;
    }
  }
  if (!target.has_filename()) {
    return EISDIR;  // "out/": a directory name, not a file
  }
  o.target = target.string();
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  // Hidden, and cut short enough that a long target name still leaves room for the suffix.
  const std::string base =
      "." + target.filename().string().substr(0, 200) + ".spmc-" + std::to_string(::getpid()) + "-";
  for (int attempt = 0; attempt < 100; ++attempt) {
    const std::string temporary = (dir / (base + std::to_string(attempt) + ".tmp")).string();
    o.fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (o.fd >= 0) {
      o.temporary = temporary;
      return 0;
    }
    if (errno != EEXIST) {
      return errno;
    }
  }
  return EEXIST;
}

void OutputSet::write(const std::string& path, std::string_view contents) {
  if (std::ostream* out = open(path)) {
    out->write(contents.data(), static_cast<std::streamsize>(contents.size()));
  }
}

std::optional<OutputError> OutputSet::error() const {
  for (const auto& o : m_outputs) {
    if (o->open_error != 0) {
      return OutputError{o->path, reason_of(o->open_error)};
    }
    if (o->buffer && o->buffer->error() != 0) {
      return OutputError{o->path, reason_of(o->buffer->error())};
    }
  }
  return std::nullopt;
}

std::optional<std::string> OutputSet::written_so_far(const std::string& path) {
  for (auto& o : m_outputs) {
    if (o->path != path || o->open_error != 0 || o->temporary.empty()) {
      continue;
    }
    o->stream->flush();
    if (o->buffer->error() != 0) {
      return std::nullopt;
    }
    return o->temporary;
  }
  return std::nullopt;
}

std::optional<OutputError> OutputSet::commit() {
  std::optional<OutputError> failed = error();
  for (auto& o : m_outputs) {
    if (failed || o->open_error != 0) {
      break;
    }
    o->stream->flush();
    if (o->buffer->error() != 0) {
      failed = OutputError{o->path, reason_of(o->buffer->error())};
      break;
    }
    const int fd = std::exchange(o->fd, -1);
    if (::close(fd) != 0) {
      failed = OutputError{o->path, reason_of(errno)};
    }
  }
  for (auto& o : m_outputs) {
    if (failed || o->temporary.empty()) {
      o->close_quietly();
      continue;
    }
    if (::rename(o->temporary.c_str(), o->target.c_str()) != 0) {
      failed = OutputError{o->path, reason_of(errno)};
      o->close_quietly();
      continue;
    }
    o->temporary.clear();
  }
  m_outputs.clear();
  return failed;
}

namespace {

int& stdout_errno() {
  static int first = 0;
  return first;
}

}  // namespace

void buffer_stdout() {
  if (::isatty(STDOUT_FILENO) == 0) {
    std::setvbuf(stdout, nullptr, _IOFBF, std::size_t{1} << 20);
  }
}

void flush_stdout() {
  errno = 0;
  if (std::fflush(stdout) != 0 && stdout_errno() == 0) {
    stdout_errno() = errno;
  }
}

std::optional<OutputError> finish_stdout() {
  flush_stdout();
  if (std::ferror(stdout) == 0) {
    return std::nullopt;
  }
  return OutputError{"stdout", reason_of(stdout_errno())};
}

}  // namespace spmc::cli
