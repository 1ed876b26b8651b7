// KS-001/KS-002 codecs and the KS-003 seal/open of a key share.
#include "spmc/key_share.hpp"

#include <algorithm>

#include "spmc/codec.hpp"
#include "spmc/schemes/key_share_scheme.hpp"
#include "spmc/wire.hpp"

namespace spmc::keyshare {

namespace {

using wire::kMaxIdLength;

void check_ids(const KeyShareMessage& m) {
  SPMC_CHECK(!m.sender_id.empty() && m.sender_id.size() <= kMaxIdLength);
  SPMC_CHECK(!m.recipient_id.empty() && m.recipient_id.size() <= kMaxIdLength);
}

}  // namespace

Status Lifetime::check(const Lifetime& lifetime) {
  const auto kind = static_cast<std::uint8_t>(lifetime.kind);
  if (kind > static_cast<std::uint8_t>(LifetimeKind::kDuration)) {
    return make_error(ErrorCode::kBadValue, "lifetime kind " + std::to_string(kind));
  }
  if (!lifetime.valid()) {  // KS-001: lifetime_ms is 0 iff session
    return make_error(ErrorCode::kBadValue, "lifetime_ms " + std::to_string(lifetime.duration_ms) +
                                                " does not match lifetime kind " +
                                                std::to_string(kind));
  }
  return ok_status();
}

Bytes encode(const KeySharePlain& plain) {
  SPMC_CHECK(plain.lifetime.valid());
  SPMC_CHECK(plain.master_key.size() == master_key_size(plain.suite));
  SPMC_CHECK(!plain.group || group::within_bounds(*plain.group));
  return wire::encode(plain);
}

Result<KeySharePlain> decode_plain(ByteView in) { return wire::decode<KeySharePlain>(in); }

Bytes header_bytes(const KeyShareMessage& message) {
  check_ids(message);
  codec::Writer w;
  wire::write_first<KeyShareMessage::kHeaderFields>(w, message);
  return w.take();
}

Bytes signed_bytes(const KeyShareMessage& message) {
  check_ids(message);
  SPMC_CHECK(message.sealed.size() >= kMinSealedSize && message.sealed.size() <= kMaxSealedSize);
  codec::Writer w;
  wire::write_first<KeyShareMessage::kSignedFields>(w, message);
  return w.take();
}

Bytes encode(const KeyShareMessage& message) {
  check_ids(message);
  SPMC_CHECK(message.sealed.size() >= kMinSealedSize && message.sealed.size() <= kMaxSealedSize);
  return wire::encode(message);
}

Result<KeyShareMessage> decode_message(ByteView in) { return wire::decode<KeyShareMessage>(in); }

KeySharePlain make_pairwise(Rng& rng, Suite suite, TimeMs timestamp_ms, Lifetime lifetime) {
  SPMC_CHECK(lifetime.valid());
  KeySharePlain plain;
  plain.timestamp_ms = timestamp_ms;
  plain.lifetime = lifetime;
  plain.suite = suite;
  plain.master_key = rng.bytes(master_key_size(suite));
  for (Block& n : plain.seed) {
    n = rng.block();
  }
  return plain;
}

bool fits_in_message(const KeySharePlain& plain) { return encode(plain).size() <= kMaxPlainSize; }

Bytes seal(Rng& rng, const Profile& profile, const KeySharePlain& plain, std::string_view sender_id,
           std::string_view recipient_id, const crypto::X25519Public& recipient_enc_key,
           const crypto::Ed25519Secret* sender_sign_key) {
  KeyShareMessage m{std::string(sender_id), std::string(recipient_id), {}, std::nullopt};
  const Bytes aad = profile.key_share->prepare(m, sender_sign_key);
  Bytes pt = encode(plain);
  SPMC_CHECK(pt.size() <= kMaxPlainSize);
  m.sealed = crypto::pke_seal(rng, recipient_enc_key, aad, pt);
  secure_wipe(pt);
  profile.key_share->finish(m, sender_sign_key);
  return encode(m);
}

Result<KeySharePlain> open(const Profile& profile, const KeyShareMessage& message,
                           const crypto::X25519Secret& own_enc_secret,
                           const crypto::Ed25519Public* sender_sign_key) {
  SPMC_TRY(const Bytes aad, profile.key_share->admit(message, sender_sign_key));
  auto pt = crypto::pke_open(own_enc_secret, aad, message.sealed);
  if (!pt.ok()) {  // a small-order enc is as much a bad box as a bad tag
    return make_error(ErrorCode::kDecryptFailed, "key share: " + pt.error().detail);
  }
  auto plain = decode_plain(*pt);
  secure_wipe(*pt);
  return plain;
}

}  // namespace spmc::keyshare
