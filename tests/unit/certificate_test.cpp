// CERT-001/CERT-002: a certificate verifies only for its user, usage, window and serial.
#include "spmc/certificate.hpp"

#include <gtest/gtest.h>

namespace spmc::cert {
namespace {

constexpr TimeMs kNotBefore = 1'000'000;
constexpr TimeMs kNotAfter = 2'000'000;

struct Issued {
  crypto::Ed25519KeyPair ca;
  Certificate cert;
};

Issued issue_one() {
  DeterministicRng rng(1, "certificate test");
  Issued out{crypto::ed25519_generate(rng), {}};
  const auto user = crypto::x25519_generate(rng);
  out.cert = issue(out.ca.secret_key, 42, "AliceAAAAAAAAAAA", Usage::kEncryption, user.public_key,
                   kNotBefore, kNotAfter);
  return out;
}

void expect_bad_certificate(const Status& st, std::string_view detail_part) {
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), ErrorCode::kBadCertificate);
  EXPECT_NE(st.error().detail.find(detail_part), std::string::npos) << st.error().detail;
}

TEST(Certificate, ValidCertificateVerifies) {
  const auto [ca, cert] = issue_one();
  EXPECT_TRUE(
      verify(cert, ca.public_key, "AliceAAAAAAAAAAA", Usage::kEncryption, kNotBefore, {}).ok());
  EXPECT_TRUE(
      verify(cert, ca.public_key, "AliceAAAAAAAAAAA", Usage::kEncryption, kNotAfter - 1, {5, 7})
          .ok());
}

TEST(Certificate, FlippedSignatureByteIsRejected) {
  auto [ca, cert] = issue_one();
  cert.signature[10] ^= 0x01;
  expect_bad_certificate(
      verify(cert, ca.public_key, "AliceAAAAAAAAAAA", Usage::kEncryption, kNotBefore, {}),
      "signature");
}

TEST(Certificate, FieldChangedAfterSigningIsRejected) {
  auto [ca, cert] = issue_one();
  cert.not_after_ms += 1;  // an attacker extending validity
  expect_bad_certificate(
      verify(cert, ca.public_key, "AliceAAAAAAAAAAA", Usage::kEncryption, kNotBefore, {}),
      "signature");
}

TEST(Certificate, CertificateFromAnotherCaIsRejected) {
  const auto [ca, cert] = issue_one();
  DeterministicRng rng(2, "other ca");
  const auto other = crypto::ed25519_generate(rng);
  expect_bad_certificate(
      verify(cert, other.public_key, "AliceAAAAAAAAAAA", Usage::kEncryption, kNotBefore, {}),
      "signature");
}

TEST(Certificate, CertificateOfAnotherUserIsRejected) {
  const auto [ca, cert] = issue_one();
  expect_bad_certificate(
      verify(cert, ca.public_key, "MalloryAAAAAAAAA", Usage::kEncryption, kNotBefore, {}), "user");
}

TEST(Certificate, WrongUsageIsRejected) {
  const auto [ca, cert] = issue_one();
  expect_bad_certificate(
      verify(cert, ca.public_key, "AliceAAAAAAAAAAA", Usage::kSignature, kNotBefore, {}), "usage");
}

TEST(Certificate, ExpiredAtNotAfterIsRejected) {
  const auto [ca, cert] = issue_one();
  expect_bad_certificate(
      verify(cert, ca.public_key, "AliceAAAAAAAAAAA", Usage::kEncryption, kNotAfter, {}),
      "expired");
}

TEST(Certificate, NotYetValidIsRejected) {
  const auto [ca, cert] = issue_one();
  expect_bad_certificate(
      verify(cert, ca.public_key, "AliceAAAAAAAAAAA", Usage::kEncryption, kNotBefore - 1, {}),
      "not yet valid");
}

TEST(Certificate, RevokedSerialIsRejected) {
  const auto [ca, cert] = issue_one();
  expect_bad_certificate(
      verify(cert, ca.public_key, "AliceAAAAAAAAAAA", Usage::kEncryption, kNotBefore, {41, 42}),
      "revoked");
}

TEST(Certificate, EncodingRoundTripsAndFixesTheLayout) {
  const auto [ca, cert] = issue_one();
  const Bytes encoded = encode(cert);
  // u16 + u64 + (2 + 16) + u8 + (2 + 32) + u64 + u64 + 64
  EXPECT_EQ(encoded.size(), 2U + 8 + 18 + 1 + 34 + 8 + 8 + 64);
  EXPECT_EQ(to_hex(ByteView(encoded).first(10)), "0001000000000000002a");
  auto decoded = decode(encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  EXPECT_EQ(*decoded, cert);
  EXPECT_EQ(to_be_signed(cert).size(), encoded.size() - 64);
}

TEST(Certificate, FingerprintIsSha256OfTheEncoding) {
  auto [ca, cert] = issue_one();
  EXPECT_EQ(fingerprint(cert), crypto::sha256(encode(cert)));
  const auto before = fingerprint(cert);
  cert.serial += 1;
  EXPECT_NE(fingerprint(cert), before);
}

Bytes with_byte(Bytes b, std::size_t at, std::uint8_t value) {
  b.at(at) = value;
  return b;
}

// Proves: WIRE-003, WIRE-004, WIRE-005, WIRE-006
TEST(Certificate, DecoderReportsEachMalformation) {
  const Bytes good = encode(issue_one().cert);
  const std::size_t usage_at = 2 + 8 + 18;
  const std::size_t key_len_at = usage_at + 1;
  EXPECT_EQ(decode(ByteView(good).first(good.size() - 1)).code(), ErrorCode::kTruncated);
  Bytes trailing = good;
  trailing.push_back(0);
  EXPECT_EQ(decode(trailing).code(), ErrorCode::kTrailingBytes);
  EXPECT_EQ(decode(with_byte(good, 1, 2)).code(), ErrorCode::kBadVersion);
  EXPECT_EQ(decode(with_byte(good, usage_at, 3)).code(), ErrorCode::kBadValue);
  EXPECT_EQ(decode(with_byte(good, usage_at, 0)).code(), ErrorCode::kBadValue);
  EXPECT_EQ(decode(with_byte(good, key_len_at + 1, 31)).code(), ErrorCode::kBadLength);
  EXPECT_EQ(decode(with_byte(with_byte(good, 10, 0), 11, 0)).code(), ErrorCode::kBadLength);
}

}  // namespace
}  // namespace spmc::cert
