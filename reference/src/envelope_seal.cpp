// Sealing and opening envelopes (ENV-002), the two-phase receive path (RAT-009) and the
// time checks of ENV-004.
#include <array>
#include <limits>

#include "envelope_internal.hpp"
#include "spmc/envelope.hpp"

namespace spmc::envelope {

crypto::GcmNonce nonce_for(std::uint32_t counter) {
  crypto::GcmNonce nonce{};  // ENV-002: 8 zero bytes, then the counter big-endian
  nonce[8] = static_cast<std::uint8_t>(counter >> 24);
  nonce[9] = static_cast<std::uint8_t>(counter >> 16);
  nonce[10] = static_cast<std::uint8_t>(counter >> 8);
  nonce[11] = static_cast<std::uint8_t>(counter);
  return nonce;
}

// Byte for byte encode(Envelope{header, aes_gcm_seal(mk, nonce, encode_header(header),
// encode(payload))}), built in one buffer of its exact size (one allocation, as the bare seal
// needs): the header is written once and is the AAD where it lies; the payload encoding is written
// where its ciphertext goes and GCM encrypts it in place, so no plaintext copy is left to wipe.
// This path should cost little more than the seal alone (issue 7).
Bytes seal(const EnvelopeHeader& header, const Block& mk, const AppPayload& payload) {
  SPMC_CHECK(payload.type >= ContentType::kText && payload.type <= ContentType::kU2uAuthResponse);
  SPMC_CHECK(payload.body.size() <= kMaxBodySize);
  const std::size_t pt_size = wire::size(payload);  // encode(payload), ENV-003
  const std::size_t ct_size = pt_size + crypto::kGcmTagSize;
  const std::size_t head_size = header_size(header);
  Bytes out(head_size + 4 + ct_size);
  write_header(std::span(out).first(head_size), header);
  codec::SpanWriter w{std::span(out).subspan(head_size)};
  w.u32(static_cast<std::uint32_t>(ct_size));  // the ciphertext's prefix, then its plaintext
  wire::write(w, payload);
  w.skip(crypto::kGcmTagSize);
  w.finish();
  const std::span<std::uint8_t> ct = std::span(out).last(ct_size);
  crypto::aes_gcm_seal_into(mk, nonce_for(header.counter), ByteView(out).first(head_size),
                            ct.first(pt_size), ct);
  return out;
}

Result<AppPayload> open(const Envelope& envelope, const Block& mk) {
  // The AAD is the header re-encoded (ENV-002), on the stack: no allocation per message.
  std::array<std::uint8_t, kMaxHeaderSize> aad;
  const std::size_t head_size = header_size(envelope.header);
  SPMC_CHECK(head_size <= aad.size());  // ids within ENV-001's bounds (decode checked them)
  write_header(std::span(aad).first(head_size), envelope.header);
  SPMC_TRY(Bytes plaintext,
           crypto::aes_gcm_open(mk, nonce_for(envelope.header.counter),
                                ByteView(aad).first(head_size), envelope.ciphertext));
  auto payload = decode_payload(plaintext);
  secure_wipe(plaintext);
  return payload;
}

Result<AppPayload> open_with_chain(const Envelope& envelope, ratchet::ReceiveChain& chain) {
  SPMC_TRY(ratchet::PendingKey pending, chain.prepare(envelope.header.counter));
  SPMC_TRY(AppPayload payload, open(envelope, pending.key));
  chain.commit(std::move(pending));  // only now: RAT-009
  return payload;
}

Status check_times(const EnvelopeHeader& header, TimeMs now_ms, std::optional<TimeMs> key_end_ms,
                   TimeMs max_future_skew_ms) {
  const TimeMs latest = now_ms > std::numeric_limits<TimeMs>::max() - max_future_skew_ms
                            ? std::numeric_limits<TimeMs>::max()
                            : now_ms + max_future_skew_ms;
  if (header.sent_ms > latest) {
    return make_error(ErrorCode::kStaleTimestamp, "envelope sent in the future");
  }
  if (key_end_ms && header.sent_ms >= *key_end_ms) {  // KS-012: valid while sent < end
    return make_error(ErrorCode::kExpired, "message key share expired before sent_ms");
  }
  return ok_status();
}

}  // namespace spmc::envelope
