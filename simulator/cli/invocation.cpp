#include "invocation.hpp"

#include <cstdlib>
#include <filesystem>

namespace spmc::cli {

namespace {

std::string& program() {
  static std::string name = "spmc";
  return name;
}

}  // namespace

void set_program_path(std::string_view argv0) {
  if (argv0.find('/') != std::string_view::npos) {
    program() = std::string(argv0);
  }
}

std::string shell_quote(std::string_view text) {
  const bool safe = !text.empty() && text.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789_-./=:,+@%") == std::string_view::npos;
  if (safe) {
    return std::string(text);
  }
  std::string out = "'";
  for (const char c : text) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

namespace {

std::string command_line(const std::string& name, const std::vector<std::string>& args) {
  std::string out = shell_quote(name);
  for (const std::string& a : args) {
    out += " " + shell_quote(a);
  }
  return out;
}

}  // namespace

std::string shell_command(const std::vector<std::string>& args) {
  return command_line(program(), args);
}

std::string portable_command(const std::vector<std::string>& args) {
  return command_line("spmc", args);
}

std::string data_dir() {
  if (const char* dir = std::getenv("SPMC_DATA_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) {
    return "share/spmc";  // no /proc: relative to the current directory, as a last resort
  }
  return (exe.parent_path().parent_path() / "share" / "spmc").string();
}

}  // namespace spmc::cli
