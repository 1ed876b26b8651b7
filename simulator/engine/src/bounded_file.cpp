#include "spmc/sim/bounded_file.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace spmc::sim {
namespace {

std::string kind_of(std::filesystem::file_type type) {
  switch (type) {
    case std::filesystem::file_type::directory:
      return "a directory";
    case std::filesystem::file_type::character:
      return "a character device";
    case std::filesystem::file_type::block:
      return "a block device";
    case std::filesystem::file_type::fifo:
      return "a FIFO";
    case std::filesystem::file_type::socket:
      return "a socket";
    default:
      return "not a plain file";
  }
}

}  // namespace

Result<std::string> read_bounded_file(const std::string& path, std::size_t max_bytes) {
  const auto fail = [&path](const std::string& reason) {
    return make_error(ErrorCode::kBadValue, path + ": (file): " + reason);
  };
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) {
    return fail("cannot be read");
  }
  if (ec) {
    return fail("cannot be read (" + ec.message() + ")");
  }
  if (status.type() != std::filesystem::file_type::regular) {
    return fail("not a regular file (" + kind_of(status.type()) + "); give a file of at most " +
                std::to_string(max_bytes) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail("cannot be read");
  }
  std::string text;
  std::array<char, 65536> chunk{};
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got > max_bytes - text.size()) {
      return fail("larger than the limit of " + std::to_string(max_bytes) + " bytes");
    }
    text.append(chunk.data(), got);
  }
  if (in.bad()) {
    return fail("read error");
  }
  return text;
}

}  // namespace spmc::sim
