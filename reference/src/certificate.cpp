// CERT-001 encoding and CERT-002 verification.
#include "spmc/certificate.hpp"

#include <algorithm>

#include "spmc/codec.hpp"

namespace spmc::cert {

namespace {

constexpr std::size_t kMaxIdLength = 64;

void write_fields(codec::Writer& w, const Certificate& cert) {
  SPMC_CHECK(!cert.user_id.empty() && cert.user_id.size() <= kMaxIdLength);
  w.u16(kVersion);
  w.u64(cert.serial);
  w.string16(cert.user_id);
  w.u8(static_cast<std::uint8_t>(cert.usage));
  w.bytes16(cert.public_key);
  w.u64(cert.not_before_ms);
  w.u64(cert.not_after_ms);
}

Result<Usage> read_usage(codec::Reader& r) {
  SPMC_TRY(std::uint8_t v, r.u8());
  if (v != static_cast<std::uint8_t>(Usage::kSignature) &&
      v != static_cast<std::uint8_t>(Usage::kEncryption)) {
    return make_error(ErrorCode::kBadValue, "certificate usage " + std::to_string(v));
  }
  return static_cast<Usage>(v);
}

Error bad(std::string detail) { return make_error(ErrorCode::kBadCertificate, std::move(detail)); }

}  // namespace

Bytes to_be_signed(const Certificate& cert) {
  codec::Writer w;
  write_fields(w, cert);
  return w.take();
}

Bytes encode(const Certificate& cert) {
  codec::Writer w;
  write_fields(w, cert);
  w.raw(cert.signature);
  return w.take();
}

Result<Certificate> decode(ByteView in) {
  codec::Reader r(in);
  Certificate cert;
  SPMC_TRY(std::uint16_t version, r.u16());
  if (version != kVersion) {
    return make_error(ErrorCode::kBadVersion, "certificate version " + std::to_string(version));
  }
  SPMC_TRY(cert.serial, r.u64());
  SPMC_TRY(cert.user_id, r.string16(1, kMaxIdLength));
  SPMC_TRY(cert.usage, read_usage(r));
  SPMC_TRY(Bytes key, r.bytes16(cert.public_key.size(), cert.public_key.size()));
  std::copy(key.begin(), key.end(), cert.public_key.begin());
  SPMC_TRY(cert.not_before_ms, r.u64());
  SPMC_TRY(cert.not_after_ms, r.u64());
  SPMC_TRY(Bytes sig, r.raw(cert.signature.size()));
  std::copy(sig.begin(), sig.end(), cert.signature.begin());
  SPMC_TRY_STATUS(r.expect_end());
  return cert;
}

Certificate issue(const crypto::Ed25519Secret& ca, std::uint64_t serial, std::string user_id,
                  Usage usage, const PublicKey& public_key, TimeMs not_before_ms,
                  TimeMs not_after_ms) {
  Certificate cert{serial, std::move(user_id), usage, public_key, not_before_ms, not_after_ms, {}};
  cert.signature = crypto::ed25519_sign(ca, to_be_signed(cert));
  return cert;
}

Status verify(const Certificate& cert, const crypto::Ed25519Public& ca,
              std::string_view expected_user, Usage expected_usage, TimeMs now,
              const std::set<std::uint64_t>& revoked) {
  // CERT-002, in order: signature first, so no field of a forged certificate is trusted.
  if (!crypto::ed25519_verify(ca, to_be_signed(cert), cert.signature)) {
    return bad("CA signature does not verify");
  }
  if (cert.user_id != expected_user) {
    return bad("certificate is for user '" + cert.user_id + "', expected '" +
               std::string(expected_user) + "'");
  }
  if (cert.usage != expected_usage) {
    return bad("certificate usage " + std::to_string(static_cast<int>(cert.usage)) + ", expected " +
               std::to_string(static_cast<int>(expected_usage)));
  }
  if (now < cert.not_before_ms) {
    return bad("certificate not yet valid");
  }
  if (now >= cert.not_after_ms) {
    return bad("certificate expired");
  }
  if (revoked.contains(cert.serial)) {
    return bad("certificate serial " + std::to_string(cert.serial) + " revoked");
  }
  return ok_status();
}

crypto::Digest fingerprint(const Certificate& cert) { return crypto::sha256(encode(cert)); }

}  // namespace spmc::cert
