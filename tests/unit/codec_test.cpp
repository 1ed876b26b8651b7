#include "spmc/codec.hpp"

#include <gtest/gtest.h>

namespace spmc {
namespace {

// Proves: WIRE-001
TEST(Codec, IntegersAreBigEndian) {
  codec::Writer w;
  w.u16(0x0102);
  w.u32(0x03040506);
  w.u64(0x0708090a0b0c0d0eULL);
  EXPECT_EQ(to_hex(w.data()), "0102030405060708090a0b0c0d0e");
}

// Every field kind, through either writer.
template <typename W>
void write_every_field(W& w) {
  const Bytes body = {0xde, 0xad};
  w.u8(0x7f);
  w.u16(0x0102);
  w.u32(0x03040506);
  w.u64(0x0708090a0b0c0d0eULL);
  w.string16("id");
  w.bytes16({});
  w.bytes32(body);
  w.raw(body);
}

// Proves: WIRE-001, WIRE-002, WIRE-003
TEST(Codec, SpanWriterWritesWhatWriterWrites) {
  codec::Writer w;
  write_every_field(w);
  EXPECT_EQ(to_hex(w.data()), "7f0102030405060708090a0b0c0d0e00026964000000000002deaddead");
  Bytes out(w.data().size() + 3, 0xee);
  codec::SpanWriter s{std::span(out).first(w.data().size() + 2)};
  write_every_field(s);
  EXPECT_EQ(s.written(), w.data().size());
  s.skip(2);
  s.finish();
  EXPECT_EQ(Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(w.data().size())),
            w.data());
  EXPECT_EQ(out.back(), 0xee);  // nothing past the span
}

TEST(Codec, SpanWriterPastTheEndOrFinishedShortAborts) {
  Bytes out(3);
  EXPECT_DEATH(
      {
        codec::SpanWriter s(out);
        s.u16(1);
        s.u16(2);
      },
      "check failed");
  EXPECT_DEATH(
      {
        codec::SpanWriter s(out);
        s.u16(1);
        s.finish();
      },
      "check failed");
}

// Proves: WIRE-006
TEST(Codec, TruncatedInputIsATypedError) {
  const Bytes in = {0x01};
  codec::Reader r(in);
  auto v = r.u16();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.code(), ErrorCode::kTruncated);
  EXPECT_EQ(r.position(), 0U);
}

// Proves: WIRE-003
TEST(Codec, LengthOutsideBoundsIsRejected) {
  codec::Writer w;
  w.bytes16(Bytes(5, 0xaa));
  codec::Reader r(w.data());
  auto v = r.bytes16(0, 4);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.code(), ErrorCode::kBadLength);
}

// Proves: WIRE-006
TEST(Codec, TrailingBytesAreRejected) {
  const Bytes in = {0x00, 0x01, 0x02};
  codec::Reader r(in);
  ASSERT_TRUE(r.u16().ok());
  EXPECT_EQ(r.expect_end().code(), ErrorCode::kTrailingBytes);
}

}  // namespace
}  // namespace spmc
