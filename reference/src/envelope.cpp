// Envelope and AppPayload codecs (ENV-001, ENV-003). Reads like the wire schema.
#include "spmc/envelope.hpp"

#include "envelope_internal.hpp"
#include "spmc/codec.hpp"

namespace spmc::envelope {

namespace {

// ENV-001's bounds, which the encoders assert (a violation is a programmer error).
void check_header(const EnvelopeHeader& h) {
  SPMC_CHECK(h.kind == Kind::kDirect || h.kind == Kind::kGroup);
  SPMC_CHECK(h.kind == Kind::kGroup || (h.epoch == 0 && h.sender_index == 0));
  SPMC_CHECK(h.sender_id.size() >= kIdMinSize && h.sender_id.size() <= kIdMaxSize);
  SPMC_CHECK(h.recipient_id.size() >= kIdMinSize && h.recipient_id.size() <= kIdMaxSize);
}

}  // namespace

void write_header(std::span<std::uint8_t> out, const EnvelopeHeader& h) {
  check_header(h);
  codec::SpanWriter w(out);
  wire::write(w, h);
  w.finish();
}

Bytes encode_header(const EnvelopeHeader& header) {
  Bytes out(header_size(header));
  write_header(out, header);
  return out;
}

Bytes encode(const Envelope& envelope) {
  check_header(envelope.header);
  SPMC_CHECK(envelope.ciphertext.size() >= kMinCiphertextSize &&
             envelope.ciphertext.size() <= kMaxCiphertextSize);
  return wire::encode(envelope);
}

Result<Envelope> decode_envelope(ByteView in) { return wire::decode<Envelope>(in); }

Bytes encode(const AppPayload& payload) {
  SPMC_CHECK(payload.type >= ContentType::kText && payload.type <= ContentType::kU2uAuthResponse);
  SPMC_CHECK(payload.body.size() <= kMaxBodySize);
  return wire::encode(payload);
}

Result<AppPayload> decode_payload(ByteView in) { return wire::decode<AppPayload>(in); }

}  // namespace spmc::envelope
