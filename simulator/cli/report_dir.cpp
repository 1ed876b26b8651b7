#include "report_dir.hpp"

#include <cstring>
#include <filesystem>
#include <system_error>

namespace spmc::cli {

std::optional<OutputError> prepare_report_dir(const std::string& dir) {
  if (dir.empty()) {
    return OutputError{"--report", "an empty folder name"};
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return OutputError{dir, ec.message()};
  }
  if (!std::filesystem::is_directory(dir, ec)) {
    return OutputError{dir, "not a folder"};
  }
  return std::nullopt;
}

std::string report_file(const std::string& dir, const std::string& name) {
  return (std::filesystem::path(dir) / name).string();
}

namespace {

// A path as a URL path: every byte but letters, digits, "-._~/" percent-encoded, so a space,
// "#" or "?" in a file name cannot cut the link short.
std::string url_path(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
        std::strchr("-._~/", c) != nullptr) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4U];
      out += kHex[u & 15U];
    }
  }
  return out;
}

}  // namespace

std::string link_from_report(const std::string& dir, const std::string& path) {
  const std::filesystem::path target = std::filesystem::absolute(path).lexically_normal();
  const std::filesystem::path base = std::filesystem::absolute(dir).lexically_normal();
  const std::filesystem::path relative = target.lexically_relative(base);
  return relative.empty() ? "file://" + url_path(target.generic_string())
                          : url_path(relative.generic_string());
}

}  // namespace spmc::cli
