#include "spmc/codec.hpp"

#include <gtest/gtest.h>

namespace spmc {
namespace {

TEST(Codec, IntegersAreBigEndian) {
  codec::Writer w;
  w.u16(0x0102);
  w.u32(0x03040506);
  w.u64(0x0708090a0b0c0d0eULL);
  EXPECT_EQ(to_hex(w.data()), "0102030405060708090a0b0c0d0e");
}

TEST(Codec, TruncatedInputIsATypedError) {
  const Bytes in = {0x01};
  codec::Reader r(in);
  auto v = r.u16();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.code(), ErrorCode::kTruncated);
  EXPECT_EQ(r.position(), 0U);
}

TEST(Codec, LengthOutsideBoundsIsRejected) {
  codec::Writer w;
  w.bytes16(Bytes(5, 0xaa));
  codec::Reader r(w.data());
  auto v = r.bytes16(0, 4);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.code(), ErrorCode::kBadLength);
}

TEST(Codec, TrailingBytesAreRejected) {
  const Bytes in = {0x00, 0x01, 0x02};
  codec::Reader r(in);
  ASSERT_TRUE(r.u16().ok());
  EXPECT_EQ(r.expect_end().code(), ErrorCode::kTrailingBytes);
}

}  // namespace
}  // namespace spmc
