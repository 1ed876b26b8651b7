// Codec properties of CERT-001, KS-001 and KS-002: decode inverts encode, every proper
// prefix is truncated, and no other byte string decodes to a value (canonical encoding).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "key_share_gen.hpp"
#include "spmc/key_share_book.hpp"

namespace spmc {
namespace {

// Decoding b' either fails or yields a value that encodes back to exactly b'.
template <typename Decode, typename Encode>
void check_canonical_after_mutation(const Bytes& good, Decode decode, Encode encode) {
  Bytes mutated = good;
  const auto at = *rc::gen::inRange<std::size_t>(0, mutated.size());
  mutated[at] ^= *rc::gen::inRange<int>(1, 256);
  auto decoded = decode(mutated);
  if (decoded.ok()) {
    RC_ASSERT(encode(*decoded) == mutated);
  }
  const auto cut = *rc::gen::inRange<std::size_t>(0, good.size());
  auto prefix = decode(ByteView(good).first(cut));
  RC_ASSERT(!prefix.ok());
  RC_ASSERT(prefix.code() == ErrorCode::kTruncated);
  Bytes longer = good;
  longer.push_back(*rc::gen::arbitrary<std::uint8_t>());
  RC_ASSERT(decode(longer).code() == ErrorCode::kTrailingBytes);
}

RC_GTEST_PROP(CertificateCodec, RoundTripsEveryCertificate, ()) {
  const cert::Certificate c = *testgen::certificate();
  auto decoded = cert::decode(cert::encode(c));
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == c);
}

RC_GTEST_PROP(CertificateCodec, EncodingIsCanonical, ()) {
  const Bytes good = cert::encode(*testgen::certificate());
  check_canonical_after_mutation(
      good, [](ByteView b) { return cert::decode(b); },
      [](const cert::Certificate& c) { return cert::encode(c); });
}

RC_GTEST_PROP(KeySharePlainCodec, RoundTripsEveryShareOfBothScopes, ()) {
  const keyshare::KeySharePlain p = *testgen::key_share_plain();
  RC_CLASSIFY(p.group.has_value(), "group scope");
  auto decoded = keyshare::decode_plain(keyshare::encode(p));
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == p);
}

RC_GTEST_PROP(KeySharePlainCodec, EncodingIsCanonical, ()) {
  const Bytes good = keyshare::encode(*testgen::key_share_plain());
  check_canonical_after_mutation(
      good, [](ByteView b) { return keyshare::decode_plain(b); },
      [](const keyshare::KeySharePlain& p) { return keyshare::encode(p); });
}

RC_GTEST_PROP(KeyShareMessageCodec, RoundTripsEveryMessage, ()) {
  const keyshare::KeyShareMessage m = *testgen::key_share_message();
  auto decoded = keyshare::decode_message(keyshare::encode(m));
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == m);
}

RC_GTEST_PROP(KeyShareMessageCodec, EncodingIsCanonical, ()) {
  const Bytes good = keyshare::encode(*testgen::key_share_message());
  check_canonical_after_mutation(
      good, [](ByteView b) { return keyshare::decode_message(b); },
      [](const keyshare::KeyShareMessage& m) { return keyshare::encode(m); });
}

// KS-015: whatever share is offered, a refusal leaves the book byte-for-byte unchanged.
RC_GTEST_PROP(KeyShareBookProp, RefusalNeverChangesTheBook, ()) {
  keyshare::KeyShareBook book("Receiver00000001");
  const auto senders = std::vector<std::string>{"Alice", "Carol"};
  const auto offers = *rc::gen::inRange(1, 12);
  for (int i = 0; i < offers; ++i) {
    keyshare::KeySharePlain p = *testgen::key_share_plain();
    p.timestamp_ms = *rc::gen::inRange<TimeMs>(0, 20);
    if (p.group && *rc::gen::arbitrary<bool>()) {
      p.group->group_id = "G";
      if (!group::sender_index(*p.group, "Receiver00000001")) {
        p.group->members.push_back("Receiver00000001");
      }
    }
    const TimeMs now = *rc::gen::inRange<TimeMs>(0, 20);
    const Bytes before = keyshare::encode(book);
    auto accepted = book.validate(p, *rc::gen::elementOf(senders), now, Limits{});
    if (!accepted.ok()) {
      RC_ASSERT(keyshare::encode(book) == before);
      continue;
    }
    book.accept(std::move(accepted).value());
    auto decoded = keyshare::decode_book(keyshare::encode(book));
    RC_ASSERT(decoded.ok());
    RC_ASSERT(*decoded == book);
  }
}

}  // namespace
}  // namespace spmc
