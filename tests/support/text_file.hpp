#pragma once
// The small file and shell helpers every test that runs the built `spmc` needs: a whole file
// as bytes, a file written from bytes, and an argument quoted for /bin/sh.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace spmc::testing {

// The whole file, or "" when it cannot be read (the test's own assertion says what is wrong).
inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// Always single-quoted, so a command line means exactly its arguments.
inline std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

}  // namespace spmc::testing
