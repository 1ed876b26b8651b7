// KS-001/KS-002 codecs and the KS-003 seal/open of a key share.
#include "spmc/key_share.hpp"

#include <algorithm>

#include "spmc/codec.hpp"
#include "spmc/schemes/key_share_scheme.hpp"
#include "spmc/wire.hpp"

namespace spmc::keyshare {

namespace {

using wire::kMaxIdLength;

Result<Scope> read_scope(codec::Reader& r) {
  SPMC_TRY(std::uint8_t v, r.u8());
  if (v != static_cast<std::uint8_t>(Scope::kPairwise) &&
      v != static_cast<std::uint8_t>(Scope::kGroup)) {
    return make_error(ErrorCode::kBadValue, "key share scope " + std::to_string(v));
  }
  return static_cast<Scope>(v);
}

Result<Lifetime> read_lifetime(codec::Reader& r) {
  SPMC_TRY(std::uint8_t kind, r.u8());
  SPMC_TRY(std::uint64_t ms, r.u64());
  if (kind > static_cast<std::uint8_t>(LifetimeKind::kDuration)) {
    return make_error(ErrorCode::kBadValue, "lifetime kind " + std::to_string(kind));
  }
  const Lifetime lifetime{static_cast<LifetimeKind>(kind), ms};
  if (!lifetime.valid()) {  // KS-001: lifetime_ms is 0 iff session
    return make_error(ErrorCode::kBadValue, "lifetime_ms " + std::to_string(ms) +
                                                " does not match lifetime kind " +
                                                std::to_string(kind));
  }
  return lifetime;
}

Status check_version(codec::Reader& r, std::string_view what) {
  SPMC_TRY(std::uint16_t version, r.u16());
  if (version != kVersion) {
    return make_error(ErrorCode::kBadVersion,
                      std::string(what) + " version " + std::to_string(version));
  }
  return ok_status();
}

void check_ids(const KeyShareMessage& m) {
  SPMC_CHECK(!m.sender_id.empty() && m.sender_id.size() <= kMaxIdLength);
  SPMC_CHECK(!m.recipient_id.empty() && m.recipient_id.size() <= kMaxIdLength);
}

}  // namespace

Bytes encode(const KeySharePlain& plain) {
  SPMC_CHECK(plain.lifetime.valid());
  SPMC_CHECK(plain.master_key.size() == master_key_size(plain.suite));
  codec::Writer w;
  w.u16(kVersion);
  w.u8(static_cast<std::uint8_t>(plain.scope()));
  w.u64(plain.timestamp_ms);
  w.u8(static_cast<std::uint8_t>(plain.lifetime.kind));
  w.u64(plain.lifetime.duration_ms);
  w.u16(static_cast<std::uint16_t>(plain.suite));
  for (const Block& n : plain.seed) {
    w.raw(n);
  }
  w.raw(plain.master_key);
  if (plain.group) {
    group::write_group_part(w, *plain.group);
  }
  return w.take();
}

Result<KeySharePlain> decode_plain(ByteView in) {
  codec::Reader r(in);
  KeySharePlain plain;
  SPMC_TRY_STATUS(check_version(r, "key share"));
  SPMC_TRY(Scope scope, read_scope(r));
  SPMC_TRY(plain.timestamp_ms, r.u64());
  SPMC_TRY(plain.lifetime, read_lifetime(r));
  SPMC_TRY(std::uint16_t suite, r.u16());
  SPMC_TRY(plain.suite, suite_from_wire(suite));
  for (Block& n : plain.seed) {
    SPMC_TRY(n, r.block());
  }
  SPMC_TRY(plain.master_key, r.raw(master_key_size(plain.suite)));
  if (scope == Scope::kGroup) {
    SPMC_TRY(plain.group, group::read_group_part(r));
  }
  SPMC_TRY_STATUS(r.expect_end());
  return plain;
}

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
