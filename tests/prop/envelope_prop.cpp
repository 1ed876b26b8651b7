// Envelope properties: canonical codecs (ENV-001, ENV-003) and that no single changed
// byte of a sealed envelope opens or moves the receiving chain (ENV-002, RAT-009).
#include <gtest/gtest.h>
// rapidcheck/gtest.h needs gtest declared first.
#include <rapidcheck/gtest.h>

#include "spmc/envelope.hpp"
#include "spmc/rng.hpp"

namespace spmc::envelope {
namespace {

std::string arbitrary_id() {
  const auto n = *rc::gen::inRange<std::size_t>(kIdMinSize, kIdMaxSize + 1);
  return *rc::gen::container<std::string>(n, rc::gen::arbitrary<char>());
}

EnvelopeHeader arbitrary_header() {
  EnvelopeHeader h;
  h.kind = *rc::gen::element(Kind::kDirect, Kind::kGroup);
  h.sender_id = arbitrary_id();
  h.recipient_id = arbitrary_id();
  h.key_timestamp_ms = *rc::gen::arbitrary<std::uint64_t>();
  if (h.kind == Kind::kGroup) {
    h.epoch = *rc::gen::arbitrary<std::uint32_t>();
    h.sender_index = *rc::gen::arbitrary<std::uint16_t>();
  }
  h.counter = *rc::gen::arbitrary<std::uint32_t>();
  h.sent_ms = *rc::gen::arbitrary<std::uint64_t>();
  return h;
}

AppPayload arbitrary_payload() {
  AppPayload p;
  p.type = static_cast<ContentType>(*rc::gen::inRange<int>(1, 7));
  p.body = *rc::gen::container<Bytes>(rc::gen::arbitrary<std::uint8_t>());
  return p;
}

// Any decodable byte string re-encodes to itself: one encoding per value.
template <typename Decode>
void check_canonical_under_mutation(Bytes wire, Decode decode) {
  const auto pos = *rc::gen::inRange<std::size_t>(0, wire.size());
  wire[pos] ^= *rc::gen::inRange<int>(1, 256);
  const auto decoded = decode(wire);
  if (decoded.ok()) {
    RC_ASSERT(encode(*decoded) == wire);
  }
}

RC_GTEST_PROP(Envelope, CodecRoundTripsAndIsCanonical, ()) {
  const auto n = *rc::gen::inRange<std::size_t>(kMinCiphertextSize, 300);
  const Envelope e{arbitrary_header(),
                   *rc::gen::container<Bytes>(n, rc::gen::arbitrary<std::uint8_t>())};
  const Bytes wire = encode(e);
  const auto decoded = decode_envelope(wire);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == e);
  check_canonical_under_mutation(wire, [](ByteView b) { return decode_envelope(b); });
}

RC_GTEST_PROP(AppPayload, CodecRoundTripsAndIsCanonical, ()) {
  const AppPayload p = arbitrary_payload();
  const Bytes wire = encode(p);
  const auto decoded = decode_payload(wire);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == p);
  check_canonical_under_mutation(wire, [](ByteView b) { return decode_payload(b); });
}

struct Chains {
  Bytes key;
  ratchet::SeedFile seed;
  explicit Chains(std::uint64_t s) {
    DeterministicRng rng(s, "envelope prop");
    key = rng.bytes(16);
    for (Block& b : seed.n) {
      b = rng.block();
    }
  }
};

RC_GTEST_PROP(Envelope, AnyChangedByteIsRejectedAndLeavesTheChainUnchanged, ()) {
  const Chains c(*rc::gen::arbitrary<std::uint64_t>());
  ratchet::SendChain s(Suite::kAes128, c.key, c.seed);
  const auto mk = s.next();
  EnvelopeHeader h = arbitrary_header();
  h.counter = mk->counter;
  Bytes wire = seal(h, mk->key, arbitrary_payload());
  const auto pos = *rc::gen::inRange<std::size_t>(0, wire.size());
  wire[pos] ^= *rc::gen::inRange<int>(1, 256);
  const auto env = decode_envelope(wire);
  if (!env.ok()) {
    return;  // rejected by the codec; the chain was never consulted
  }
  ratchet::ReceiveChain r(Suite::kAes128, c.key, c.seed, Limits{});
  const Bytes before = r.encode_state();
  RC_ASSERT(!open_with_chain(*env, r).ok());
  RC_ASSERT(r.encode_state() == before);
}

RC_GTEST_PROP(Envelope, AnyDeliveryOrderOpensEveryMessage, ()) {
  const Chains c(*rc::gen::arbitrary<std::uint64_t>());
  ratchet::SendChain s(Suite::kAes128, c.key, c.seed);
  const auto n = *rc::gen::inRange<std::size_t>(1, 40);
  std::vector<std::pair<Bytes, AppPayload>> sent;
  for (std::size_t i = 0; i < n; ++i) {
    const auto mk = s.next();
    EnvelopeHeader h = arbitrary_header();
    h.counter = mk->counter;
    AppPayload p = arbitrary_payload();
    sent.emplace_back(seal(h, mk->key, p), p);
  }
  const auto order =
      *rc::gen::unique<std::vector<std::size_t>>(n, rc::gen::inRange<std::size_t>(0, n));
  ratchet::ReceiveChain r(Suite::kAes128, c.key, c.seed, Limits{});
  for (std::size_t i : order) {
    const auto opened = open_with_chain(*decode_envelope(sent[i].first), r);
    RC_ASSERT(opened.ok());
    RC_ASSERT(*opened == sent[i].second);
  }
  RC_ASSERT(r.skipped_count() == 0U);
}

}  // namespace
}  // namespace spmc::envelope
