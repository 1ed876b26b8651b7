#include "spmc/codec.hpp"

#include <algorithm>

namespace spmc::codec {

Error Reader::truncated(std::size_t n) const {
  return make_error(ErrorCode::kTruncated, "need " + std::to_string(n) + " bytes at offset " +
                                               std::to_string(m_pos) + ", have " +
                                               std::to_string(remaining()));
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

// A length prefix of type Len, checked against [min_len, max_len], then that many bytes.
template <typename Len>
Result<ByteView> Reader::prefixed(std::size_t min_len, std::size_t max_len) {
  SPMC_TRY(Len len, (be<Len, sizeof(Len)>()));
  SPMC_TRY_STATUS(check_length(len, min_len, max_len));
  return take(len);
}

Result<Bytes> Reader::bytes16(std::size_t min_len, std::size_t max_len) {
  SPMC_TRY(ByteView b, prefixed<std::uint16_t>(min_len, max_len));
  return Bytes(b.begin(), b.end());
}
Result<Bytes> Reader::bytes32(std::size_t min_len, std::size_t max_len) {
  SPMC_TRY(ByteView b, prefixed<std::uint32_t>(min_len, max_len));
  return Bytes(b.begin(), b.end());
}
Result<std::string> Reader::string16(std::size_t min_len, std::size_t max_len) {
  SPMC_TRY(ByteView b, prefixed<std::uint16_t>(min_len, max_len));
  return std::string(b.begin(), b.end());  // straight from the input, no intermediate Bytes
}

Status Reader::expect_end() const {
  if (remaining() != 0) {
    return make_error(ErrorCode::kTrailingBytes,
                      std::to_string(remaining()) + " bytes after the end of the structure");
  }
  return ok_status();
}

}  // namespace spmc::codec
