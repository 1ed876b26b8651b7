#pragma once
// Canonical binary codec (spec/wire.md, WIRE-001..WIRE-006): big-endian fixed-width
// integers, byte strings with a u16 or u32 length prefix, no optional encodings. Every
// read is bounds-checked and reports a typed error; decoders finish with expect_end().
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <string_view>

#include "spmc/bytes.hpp"
#include "spmc/check.hpp"
#include "spmc/result.hpp"

namespace spmc::codec {

// The field encodings both writers share. Derived supplies append(p, n), which takes n
// bytes at once (one capacity or bounds check per field, not per byte). Inline: encoders on
// hot paths (envelope::seal) call these per field.
template <typename Derived>
class FieldWriter {
 public:
  void u8(std::uint8_t v) { be<1>(v); }
  void u16(std::uint16_t v) { be<2>(v); }
  void u32(std::uint32_t v) { be<4>(v); }
  void u64(std::uint64_t v) { be<8>(v); }
  void raw(ByteView v) { self().append(v.data(), v.size()); }  // no prefix
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

 private:
  Derived& self() { return static_cast<Derived&>(*this); }
  // Big-endian, built in a local array: compilers merge it into one byte-swapped store.
  template <std::size_t N, typename T>
  void be(T v) {
    std::array<std::uint8_t, N> b;
    for (std::size_t i = 0; i < N; ++i) {
      b[i] = static_cast<std::uint8_t>(v >> (8 * (N - 1 - i)));
    }
    self().append(b.data(), N);
  }
};

// Appends to a growing buffer.
class Writer : public FieldWriter<Writer> {
 public:
  Writer() = default;
  // Reserves room for an encoding of known size up front (one allocation, no regrowth).
  explicit Writer(std::size_t capacity) { m_out.reserve(capacity); }

  const Bytes& data() const { return m_out; }
  Bytes take() { return std::move(m_out); }

 private:
  friend class FieldWriter<Writer>;
  void append(const std::uint8_t* p, std::size_t n) { m_out.insert(m_out.end(), p, p + n); }
  Bytes m_out;
};

// Writes into a buffer the caller sized exactly (a fixed-layout encoder on a hot path:
// envelope::seal writes header and payload where they go on the wire, with a cursor instead
// of a growing vector). Writing past the end is a programmer error (abort), as is finishing
// short of it (finish()). Keep it a local: byte stores may alias a writer reached through a
// reference, which makes the compiler reload the cursor after every field.
class SpanWriter : public FieldWriter<SpanWriter> {
 public:
  explicit SpanWriter(std::span<std::uint8_t> out) : m_out(out) {}
  // Reserves n bytes a caller fills itself (GCM's tag); returns where they start.
  std::uint8_t* skip(std::size_t n) { return claim(n); }

  std::size_t written() const { return m_pos; }
  void finish() const { SPMC_CHECK(m_pos == m_out.size()); }

 private:
  friend class FieldWriter<SpanWriter>;
  void append(const std::uint8_t* p, std::size_t n) {
    std::uint8_t* at = claim(n);
    if (n != 0) {  // memcpy from an empty view's null data() is undefined
      std::memcpy(at, p, n);
    }
  }
  std::uint8_t* claim(std::size_t n) {
    SPMC_CHECK(n <= m_out.size() - m_pos);
    std::uint8_t* at = m_out.data() + m_pos;
    m_pos += n;
    return at;
  }
  std::span<std::uint8_t> m_out;
  std::size_t m_pos = 0;
};

class Reader {
 public:
  explicit Reader(ByteView in) : m_in(in) {}

  // Inline success paths: every parser reads its fields through these (forced inline: a
  // field list inlines a whole struct's reads into one function, past the compiler's own
  // size limit, bench BM_ReceiveMessage). The error paths, which build messages, stay out
  // of line.
  [[gnu::always_inline]] Result<std::uint8_t> u8() { return be<std::uint8_t, 1>(); }
  [[gnu::always_inline]] Result<std::uint16_t> u16() { return be<std::uint16_t, 2>(); }
  [[gnu::always_inline]] Result<std::uint32_t> u32() { return be<std::uint32_t, 4>(); }
  [[gnu::always_inline]] Result<std::uint64_t> u64() { return be<std::uint64_t, 8>(); }
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
  [[gnu::always_inline]] Result<ByteView> take(std::size_t n) {
    if (n > remaining()) {
      return truncated(n);
    }
    const ByteView out = m_in.subspan(m_pos, n);
    m_pos += n;
    return out;
  }
  template <typename T, std::size_t N>
  [[gnu::always_inline]] Result<T> be() {
    if (N > remaining()) {
      return truncated(N);
    }
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < N; ++i) {
      v = (v << 8) | m_in[m_pos + i];
    }
    m_pos += N;
    return static_cast<T>(v);
  }
  template <typename Len>
  Result<ByteView> prefixed(std::size_t min_len, std::size_t max_len);
  Error truncated(std::size_t n) const;
  ByteView m_in;
  std::size_t m_pos = 0;
};

}  // namespace spmc::codec
