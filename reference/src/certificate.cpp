// CERT-001 encoding and CERT-002 verification.
#include "spmc/certificate.hpp"

namespace spmc::cert {

namespace {

Error bad(std::string detail) { return make_error(ErrorCode::kBadCertificate, std::move(detail)); }

}  // namespace

Bytes to_be_signed(const Certificate& cert) {
  SPMC_CHECK(!cert.user_id.empty() && cert.user_id.size() <= wire::kMaxIdLength);
  codec::Writer w;
  wire::write_first<Certificate::kSignedFields>(w, cert);
  return w.take();
}

Bytes encode(const Certificate& cert) {
  SPMC_CHECK(!cert.user_id.empty() && cert.user_id.size() <= wire::kMaxIdLength);
  return wire::encode(cert);
}

Result<Certificate> decode(ByteView in) { return wire::decode<Certificate>(in); }

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
