// Sealing and opening envelopes (ENV-002), the two-phase receive path (RAT-009) and the
// time checks of ENV-004.
#include <limits>

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

Bytes seal(const EnvelopeHeader& header, const Block& mk, const AppPayload& payload) {
  Bytes plaintext = encode(payload);
  Envelope e{header,
             crypto::aes_gcm_seal(mk, nonce_for(header.counter), encode_header(header), plaintext)};
  secure_wipe(plaintext);
  return encode(e);
}

Result<AppPayload> open(const Envelope& envelope, const Block& mk) {
  SPMC_TRY(Bytes plaintext,
           crypto::aes_gcm_open(mk, nonce_for(envelope.header.counter),
                                encode_header(envelope.header), envelope.ciphertext));
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
