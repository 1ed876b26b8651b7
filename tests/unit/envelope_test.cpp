// Envelope (ENV-001..ENV-004): codec errors, AEAD binding of every header field, and the
// two-phase receive leaving the chain untouched on any failure (RAT-009).
#include "spmc/envelope.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "spmc/codec.hpp"
#include "spmc/rng.hpp"

namespace spmc::envelope {
namespace {

using ratchet::ReceiveChain;
using ratchet::SendChain;

struct Fixture {
  Bytes key;
  ratchet::SeedFile seed;
  Fixture() {
    DeterministicRng rng(5, "envelope unit");
    key = rng.bytes(16);
    for (Block& b : seed.n) {
      b = rng.block();
    }
  }
  SendChain sender() const { return SendChain(Suite::kAes128, key, seed); }
  ReceiveChain receiver() const { return ReceiveChain(Suite::kAes128, key, seed, Limits{}); }
};

EnvelopeHeader header_for(std::uint32_t counter) {
  EnvelopeHeader h;
  h.kind = Kind::kGroup;
  h.sender_id = "AliceAliceAlice1";
  h.recipient_id = "group42";
  h.key_timestamp_ms = 1700000000000ULL;
  h.epoch = 3;
  h.sender_index = 2;
  h.counter = counter;
  h.sent_ms = 1700000000500ULL + counter;
  return h;
}

const AppPayload kHello{ContentType::kText, bytes_of("hello")};

TEST(Envelope, SealThenOpenWithChainRoundTrips) {
  Fixture f;
  SendChain s = f.sender();
  ReceiveChain r = f.receiver();
  const auto mk = s.next();
  const Bytes wire = seal(header_for(mk->counter), mk->key, kHello);
  const auto env = decode_envelope(wire);
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env->header, header_for(0));
  EXPECT_EQ(encode(*env), wire);
  const auto opened = open_with_chain(*env, r);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, kHello);
  EXPECT_EQ(open_with_chain(*env, r).code(), ErrorCode::kReplay);
}

// The composition ENV-002 names, built by hand from the AEAD primitive.
TEST(Envelope, NonceIsZeroPaddedCounterAndAadIsTheHeader) {
  const Block mk{1, 2, 3};
  const EnvelopeHeader h = header_for(0x01020304);
  EXPECT_EQ(to_hex(nonce_for(0x01020304)), "000000000000000001020304");
  const Bytes ct = crypto::aes_gcm_seal(mk, nonce_for(h.counter), encode_header(h), encode(kHello));
  codec::Writer w;
  w.raw(encode_header(h));
  w.bytes32(ct);
  EXPECT_EQ(seal(h, mk, kHello), w.data());
  EXPECT_EQ(to_hex(encode(kHello)), "010000000568656c6c6f");
}

// Each mutation of the header must fail authentication and leave the chain unchanged.
TEST(Envelope, TamperedHeaderFieldIsDecryptFailedAndChainUnchanged) {
  Fixture f;
  SendChain s = f.sender();
  const auto mk = s.next();
  const Envelope good{header_for(0),
                      decode_envelope(seal(header_for(0), mk->key, kHello))->ciphertext};
  std::vector<std::function<void(EnvelopeHeader&)>> tampers = {
      [](EnvelopeHeader& h) { h.kind = Kind::kDirect, h.epoch = 0, h.sender_index = 0; },
      [](EnvelopeHeader& h) { h.sender_id = "MalloryMallory12"; },
      [](EnvelopeHeader& h) { h.recipient_id = "group43"; },
      [](EnvelopeHeader& h) { h.key_timestamp_ms += 1; },
      [](EnvelopeHeader& h) { h.epoch += 1; },
      [](EnvelopeHeader& h) { h.sender_index += 1; },
      [](EnvelopeHeader& h) { h.sent_ms += 1; },
  };
  for (std::size_t i = 0; i < tampers.size(); ++i) {
    ReceiveChain r = f.receiver();
    const Bytes before = r.encode_state();
    Envelope bad = good;
    tampers[i](bad.header);
    const auto opened = open_with_chain(bad, r);
    ASSERT_FALSE(opened.ok()) << i;
    EXPECT_EQ(opened.code(), ErrorCode::kDecryptFailed) << i;
    EXPECT_EQ(r.encode_state(), before) << i;
  }
  ReceiveChain r = f.receiver();
  EXPECT_TRUE(open_with_chain(good, r).ok());
}

TEST(Envelope, TamperedCounterCiphertextOrKeyIsRejectedAndChainUnchanged) {
  Fixture f;
  SendChain s = f.sender();
  ASSERT_TRUE(s.next().ok());
  const auto mk = s.next();  // counter 1
  const Envelope good = *decode_envelope(seal(header_for(1), mk->key, kHello));
  ReceiveChain r = f.receiver();
  const Bytes before = r.encode_state();
  Envelope other_counter = good;
  other_counter.header.counter = 2;
  EXPECT_EQ(open_with_chain(other_counter, r).code(), ErrorCode::kDecryptFailed);
  EXPECT_EQ(r.encode_state(), before);
  for (std::size_t i = 0; i < good.ciphertext.size(); ++i) {
    Envelope bad = good;
    bad.ciphertext[i] ^= 0x80;
    EXPECT_EQ(open_with_chain(bad, r).code(), ErrorCode::kDecryptFailed) << i;
    EXPECT_EQ(r.encode_state(), before) << i;
  }
  ReceiveChain wrong(Suite::kAes128, Bytes(16, 0), f.seed, Limits{});
  const Bytes wrong_before = wrong.encode_state();
  EXPECT_EQ(open_with_chain(good, wrong).code(), ErrorCode::kDecryptFailed);
  EXPECT_EQ(wrong.encode_state(), wrong_before);
  EXPECT_TRUE(open_with_chain(good, r).ok());
}

// An authentic envelope whose plaintext is not an AppPayload still commits nothing.
TEST(Envelope, AuthenticButMalformedPayloadLeavesChainUnchanged) {
  Fixture f;
  SendChain s = f.sender();
  const auto mk = s.next();
  const EnvelopeHeader h = header_for(0);
  const Bytes bad_plain = {7, 0, 0, 0, 0};  // content type 7 is unknown
  const Envelope env{h, crypto::aes_gcm_seal(mk->key, nonce_for(0), encode_header(h), bad_plain)};
  ReceiveChain r = f.receiver();
  const Bytes before = r.encode_state();
  EXPECT_EQ(open_with_chain(env, r).code(), ErrorCode::kBadValue);
  EXPECT_EQ(r.encode_state(), before);
}

Bytes sample_wire() { return seal(header_for(9), Block{}, kHello); }

TEST(Envelope, DecodeRejectsTruncationAndTrailingBytes) {
  const Bytes wire = sample_wire();
  for (std::size_t n = 0; n < wire.size(); ++n) {
    EXPECT_EQ(decode_envelope(ByteView(wire).first(n)).code(), ErrorCode::kTruncated) << n;
  }
  Bytes longer = wire;
  longer.push_back(0);
  EXPECT_EQ(decode_envelope(longer).code(), ErrorCode::kTrailingBytes);
}

TEST(Envelope, DecodeRejectsBadVersionKindIdsAndDirectWithEpoch) {
  Bytes wire = sample_wire();
  Bytes v = wire;
  v[1] = 2;
  EXPECT_EQ(decode_envelope(v).code(), ErrorCode::kBadVersion);
  for (std::uint8_t kind : {0, 3, 255}) {
    Bytes k = wire;
    k[2] = kind;
    EXPECT_EQ(decode_envelope(k).code(), ErrorCode::kBadValue);
  }
  Bytes direct = wire;
  direct[2] = 1;  // group header with epoch 3 relabelled direct
  EXPECT_EQ(decode_envelope(direct).code(), ErrorCode::kBadValue);
  Bytes empty_id = wire;
  empty_id[3] = 0;
  empty_id[4] = 0;
  EXPECT_EQ(decode_envelope(empty_id).code(), ErrorCode::kBadLength);
}

TEST(Envelope, CiphertextLengthBoundsAreEnforced) {
  const Bytes header = encode_header(header_for(0));
  auto with_ciphertext_length = [&](std::uint32_t n) {
    codec::Writer w;
    w.raw(header);
    w.bytes32(Bytes(n, 0));
    return w.take();
  };
  EXPECT_EQ(decode_envelope(with_ciphertext_length(15)).code(), ErrorCode::kBadLength);
  EXPECT_TRUE(decode_envelope(with_ciphertext_length(16)).ok());
  EXPECT_TRUE(decode_envelope(with_ciphertext_length(kMaxCiphertextSize)).ok());
  EXPECT_EQ(decode_envelope(with_ciphertext_length(kMaxCiphertextSize + 1)).code(),
            ErrorCode::kBadLength);
}

TEST(Envelope, LargestPayloadSealsAndOpens) {
  const AppPayload big{ContentType::kU2uHash, Bytes(kMaxBodySize, 0xab)};
  const Block mk{9};
  const auto env = decode_envelope(seal(header_for(0), mk, big));
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(*open(*env, mk), big);
}

TEST(AppPayload, DecodeRejectsBadTypeLengthTruncationAndTrailing) {
  EXPECT_EQ(decode_payload(Bytes{0, 0, 0, 0, 0}).code(), ErrorCode::kBadValue);
  EXPECT_EQ(decode_payload(Bytes{7, 0, 0, 0, 0}).code(), ErrorCode::kBadValue);
  EXPECT_TRUE(decode_payload(Bytes{6, 0, 0, 0, 0}).ok());
  EXPECT_EQ(decode_payload(Bytes{1, 0, 1, 0, 1}).code(), ErrorCode::kBadLength);  // 65537
  EXPECT_EQ(decode_payload(Bytes{1, 0, 0, 0, 2, 'a'}).code(), ErrorCode::kTruncated);
  EXPECT_EQ(decode_payload(Bytes{1, 0, 0, 0, 0, 'a'}).code(), ErrorCode::kTrailingBytes);
}

TEST(Envelope, TimesFromTheFutureOrAfterKeyEndAreRejected) {
  EnvelopeHeader h = header_for(0);
  h.sent_ms = 1000;
  EXPECT_TRUE(check_times(h, 1000, std::nullopt, 0).ok());
  EXPECT_TRUE(check_times(h, 900, std::nullopt, 100).ok());
  EXPECT_EQ(check_times(h, 899, std::nullopt, 100).code(), ErrorCode::kStaleTimestamp);
  EXPECT_TRUE(check_times(h, 1000, 1001, 0).ok());
  EXPECT_EQ(check_times(h, 1000, 1000, 0).code(), ErrorCode::kExpired);
  EXPECT_TRUE(check_times(h, UINT64_MAX, std::nullopt, UINT64_MAX).ok());
}

}  // namespace
}  // namespace spmc::envelope
