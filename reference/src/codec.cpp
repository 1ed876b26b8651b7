#include "spmc/codec.hpp"

#include <algorithm>

namespace spmc::codec {

Result<ByteView> Reader::take(std::size_t n) {
  if (n > remaining()) {
    return make_error(ErrorCode::kTruncated, "need " + std::to_string(n) + " bytes at offset " +
                                                 std::to_string(m_pos) + ", have " +
                                                 std::to_string(remaining()));
  }
  ByteView out = m_in.subspan(m_pos, n);
  m_pos += n;
  return out;
}

Result<std::uint8_t> Reader::u8() {
  SPMC_TRY(ByteView b, take(1));
  return b[0];
}
Result<std::uint16_t> Reader::u16() {
  SPMC_TRY(ByteView b, take(2));
  return static_cast<std::uint16_t>((b[0] << 8) | b[1]);
}
Result<std::uint32_t> Reader::u32() {
  SPMC_TRY(ByteView b, take(4));
  std::uint32_t v = 0;
  for (std::uint8_t x : b) {
    v = (v << 8) | x;
  }
  return v;
}
Result<std::uint64_t> Reader::u64() {
  SPMC_TRY(ByteView b, take(8));
  std::uint64_t v = 0;
  for (std::uint8_t x : b) {
    v = (v << 8) | x;
  }
  return v;
}
Result<Bytes> Reader::raw(std::size_t n) {
  SPMC_TRY(ByteView b, take(n));
  return Bytes(b.begin(), b.end());
}
Result<Block> Reader::block() {
  SPMC_TRY(ByteView b, take(16));
  Block out{};
  std::copy(b.begin(), b.end(), out.begin());
  return out;
}

namespace {
Status check_length(std::size_t len, std::size_t min_len, std::size_t max_len) {
  if (len < min_len || len > max_len) {
    return make_error(ErrorCode::kBadLength, "length " + std::to_string(len) + " outside [" +
                                                 std::to_string(min_len) + ", " +
                                                 std::to_string(max_len) + "]");
  }
  return ok_status();
}
}  // namespace

Result<Bytes> Reader::bytes16(std::size_t min_len, std::size_t max_len) {
  SPMC_TRY(std::uint16_t len, u16());
  SPMC_TRY_STATUS(check_length(len, min_len, max_len));
  return raw(len);
}
Result<Bytes> Reader::bytes32(std::size_t min_len, std::size_t max_len) {
  SPMC_TRY(std::uint32_t len, u32());
  SPMC_TRY_STATUS(check_length(len, min_len, max_len));
  return raw(len);
}
Result<std::string> Reader::string16(std::size_t min_len, std::size_t max_len) {
  SPMC_TRY(Bytes b, bytes16(min_len, max_len));
  return std::string(b.begin(), b.end());
}

Status Reader::expect_end() const {
  if (remaining() != 0) {
    return make_error(ErrorCode::kTrailingBytes,
                      std::to_string(remaining()) + " bytes after the end of the structure");
  }
  return ok_status();
}

}  // namespace spmc::codec
