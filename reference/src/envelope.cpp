// Envelope and AppPayload codecs (ENV-001, ENV-003). Reads like the wire schema.
#include "spmc/envelope.hpp"

#include "envelope_internal.hpp"
#include "spmc/codec.hpp"

namespace spmc::envelope {

void write_header(std::span<std::uint8_t> out, const EnvelopeHeader& h) {
  SPMC_CHECK(h.kind == Kind::kDirect || h.kind == Kind::kGroup);
  SPMC_CHECK(h.kind == Kind::kGroup || (h.epoch == 0 && h.sender_index == 0));
  SPMC_CHECK(h.sender_id.size() >= kIdMinSize && h.sender_id.size() <= kIdMaxSize);
  SPMC_CHECK(h.recipient_id.size() >= kIdMinSize && h.recipient_id.size() <= kIdMaxSize);
  codec::SpanWriter w(out);
  w.u16(kVersion);
  w.u8(static_cast<std::uint8_t>(h.kind));
  w.string16(h.sender_id);
  w.string16(h.recipient_id);
  w.u64(h.key_timestamp_ms);
  w.u32(h.epoch);
  w.u16(h.sender_index);
  w.u32(h.counter);
  w.u64(h.sent_ms);
  w.finish();
}

namespace {

Result<Kind> read_kind(codec::Reader& r) {
  SPMC_TRY(std::uint8_t kind, r.u8());
  if (kind != static_cast<std::uint8_t>(Kind::kDirect) &&
      kind != static_cast<std::uint8_t>(Kind::kGroup)) {
    return make_error(ErrorCode::kBadValue, "envelope kind " + std::to_string(kind));
  }
  return static_cast<Kind>(kind);
}

Status read_header(codec::Reader& r, EnvelopeHeader& h) {
  SPMC_TRY(std::uint16_t version, r.u16());
  if (version != kVersion) {
    return make_error(ErrorCode::kBadVersion, "envelope version " + std::to_string(version));
  }
  SPMC_TRY(h.kind, read_kind(r));
  SPMC_TRY(h.sender_id, r.string16(kIdMinSize, kIdMaxSize));
  SPMC_TRY(h.recipient_id, r.string16(kIdMinSize, kIdMaxSize));
  SPMC_TRY(h.key_timestamp_ms, r.u64());
  SPMC_TRY(h.epoch, r.u32());
  SPMC_TRY(h.sender_index, r.u16());
  // ENV-001: a direct envelope has exactly one encoding, epoch and index zero.
  if (h.kind == Kind::kDirect && (h.epoch != 0 || h.sender_index != 0)) {
    return make_error(ErrorCode::kBadValue, "direct envelope with a group epoch or index");
  }
  SPMC_TRY(h.counter, r.u32());
  SPMC_TRY(h.sent_ms, r.u64());
  return ok_status();
}

}  // namespace

Bytes encode_header(const EnvelopeHeader& header) {
  Bytes out(header_size(header));
  write_header(out, header);
  return out;
}

Bytes encode(const Envelope& envelope) {
  SPMC_CHECK(envelope.ciphertext.size() >= kMinCiphertextSize &&
             envelope.ciphertext.size() <= kMaxCiphertextSize);
  const std::size_t head_size = header_size(envelope.header);
  Bytes out(head_size + 4 + envelope.ciphertext.size());
  write_header(std::span(out).first(head_size), envelope.header);
  codec::SpanWriter w{std::span(out).subspan(head_size)};
  w.bytes32(envelope.ciphertext);
  w.finish();
  return out;
}

Result<Envelope> decode_envelope(ByteView in) {
  codec::Reader r(in);
  Envelope e;
  SPMC_TRY_STATUS(read_header(r, e.header));
  SPMC_TRY(e.ciphertext, r.bytes32(kMinCiphertextSize, kMaxCiphertextSize));
  SPMC_TRY_STATUS(r.expect_end());
  return e;
}

Bytes encode(const AppPayload& payload) {
  SPMC_CHECK(payload.type >= ContentType::kText && payload.type <= ContentType::kU2uAuthResponse);
  SPMC_CHECK(payload.body.size() <= kMaxBodySize);
  codec::Writer w(1 + 4 + payload.body.size());
  w.u8(static_cast<std::uint8_t>(payload.type));
  w.bytes32(payload.body);
  return w.take();
}

Result<AppPayload> decode_payload(ByteView in) {
  codec::Reader r(in);
  AppPayload p;
  SPMC_TRY(std::uint8_t type, r.u8());
  if (type < static_cast<std::uint8_t>(ContentType::kText) ||
      type > static_cast<std::uint8_t>(ContentType::kU2uAuthResponse)) {
    return make_error(ErrorCode::kBadValue, "content type " + std::to_string(type));
  }
  p.type = static_cast<ContentType>(type);
  SPMC_TRY(p.body, r.bytes32(0, kMaxBodySize));
  SPMC_TRY_STATUS(r.expect_end());
  return p;
}

}  // namespace spmc::envelope
