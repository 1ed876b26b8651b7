#include "spmc/bytes.hpp"

namespace spmc {

std::string to_hex(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}
}  // namespace

bool from_hex(std::string_view hex, Bytes& out) {
  if (hex.size() % 2 != 0) {
    return false;
  }
  Bytes tmp;
  tmp.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = hex_value(hex[i]);
    const int lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      return false;
    }
    tmp.push_back(static_cast<std::uint8_t>((hi << 4) | lo));
  }
  out = std::move(tmp);
  return true;
}

Bytes bytes_of(std::string_view text) { return Bytes(text.begin(), text.end()); }

bool equal_ct(ByteView a, ByteView b) {
  if (a.size() != b.size()) {
    return false;
  }
  std::uint8_t diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= a[i] ^ b[i];
  }
  return diff == 0;
}

}  // namespace spmc
