#pragma once
// Canonical binary codec (spec/wire.md, WIRE-001..WIRE-006): big-endian fixed-width
// integers, byte strings with a u16 or u32 length prefix, no optional encodings. Every
// read is bounds-checked and reports a typed error; decoders finish with expect_end().
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "spmc/bytes.hpp"
#include "spmc/check.hpp"
#include "spmc/result.hpp"

namespace spmc::codec {

class Writer {
 public:
  Writer() = default;
  // Reserves room for an encoding of known size up front (one allocation, no regrowth).
  explicit Writer(std::size_t capacity) { m_out.reserve(capacity); }
  // Inline: encoders on hot paths (envelope::seal) call these per field.
  void u8(std::uint8_t v) { m_out.push_back(v); }
  void u16(std::uint16_t v) { append_be<2>(v); }
  void u32(std::uint32_t v) { append_be<4>(v); }
  void u64(std::uint64_t v) { append_be<8>(v); }
  void raw(ByteView v) { m_out.insert(m_out.end(), v.begin(), v.end()); }  // no prefix
  // Length-prefixed fields; the caller guarantees the bound (a programmer error otherwise).
  void bytes16(ByteView v) {
    SPMC_CHECK(v.size() <= std::numeric_limits<std::uint16_t>::max());
    u16(static_cast<std::uint16_t>(v.size()));
    raw(v);
  }
  void bytes32(ByteView v) {
    SPMC_CHECK(v.size() <= std::numeric_limits<std::uint32_t>::max());
    u32(static_cast<std::uint32_t>(v.size()));
    raw(v);
  }
  void string16(std::string_view v) {
    bytes16(ByteView(reinterpret_cast<const std::uint8_t*>(v.data()), v.size()));
  }

  const Bytes& data() const { return m_out; }
  Bytes take() { return std::move(m_out); }

 private:
  // Big-endian, appended in one insert (one capacity check, not one per byte).
  template <std::size_t N, typename T>
  void append_be(T v) {
    std::array<std::uint8_t, N> b{};
    for (std::size_t i = 0; i < N; ++i) {
      b[i] = static_cast<std::uint8_t>(v >> (8 * (N - 1 - i)));
    }
    m_out.insert(m_out.end(), b.begin(), b.end());
  }
  Bytes m_out;
};

class Reader {
 public:
  explicit Reader(ByteView in) : m_in(in) {}

  Result<std::uint8_t> u8();
  Result<std::uint16_t> u16();
  Result<std::uint32_t> u32();
  Result<std::uint64_t> u64();
  Result<Bytes> raw(std::size_t n);
  Result<Block> block();
  // Length-prefixed; the length must lie in [min_len, max_len] (kBadLength otherwise).
  Result<Bytes> bytes16(std::size_t min_len, std::size_t max_len);
  Result<Bytes> bytes32(std::size_t min_len, std::size_t max_len);
  Result<std::string> string16(std::size_t min_len, std::size_t max_len);

  std::size_t remaining() const { return m_in.size() - m_pos; }
  std::size_t position() const { return m_pos; }
  Status expect_end() const;

 private:
  Result<ByteView> take(std::size_t n);
  ByteView m_in;
  std::size_t m_pos = 0;
};

}  // namespace spmc::codec
