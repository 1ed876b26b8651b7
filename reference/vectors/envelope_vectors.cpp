// Vectors for the envelope (ENV-001..ENV-003): header fields, message key and payload in,
// the exact envelope bytes out; negative cases name the error decode or open must give.
#include <variant>

#include "spmc/codec.hpp"
#include "spmc/envelope.hpp"
#include "spmc/rng.hpp"
#include "suites.hpp"

namespace spmc::vectors {

namespace {

using envelope::AppPayload;
using envelope::ContentType;
using envelope::EnvelopeHeader;
using envelope::Kind;

Json header_json(const EnvelopeHeader& h) {
  Json j;
  j["kind"] = static_cast<int>(h.kind);
  j["sender_id"] = h.sender_id;
  j["recipient_id"] = h.recipient_id;
  j["key_timestamp_ms"] = std::to_string(h.key_timestamp_ms);
  j["epoch"] = h.epoch;
  j["sender_index"] = h.sender_index;
  j["counter"] = h.counter;
  j["sent_ms"] = std::to_string(h.sent_ms);
  return j;
}

std::optional<std::string> read_id(const Json& c, const char* key) {
  auto id = field_string(c, key);
  return id && id->size() <= envelope::kIdMaxSize ? id : std::nullopt;
}

// Rebuilds the header through the envelope decoder (so invalid fields are refused) by
// encoding the JSON's fields; returns the name of a missing or malformed field instead.
std::variant<EnvelopeHeader, std::string> read_header(const Json& c) {
  const auto kind = field_uint(c, "kind", 0xff);
  const auto epoch = field_uint(c, "epoch", 0xffffffffU);
  const auto index = field_uint(c, "sender_index", 0xffff);
  const auto counter = field_uint(c, "counter", 0xffffffffU);
  const auto ts = field_u64(c, "key_timestamp_ms");
  const auto sent = field_u64(c, "sent_ms");
  const auto sender = read_id(c, "sender_id");
  const auto recipient = read_id(c, "recipient_id");
  const std::pair<bool, const char*> present[] = {
      {kind.has_value(), "kind"},           {epoch.has_value(), "epoch"},
      {index.has_value(), "sender_index"},  {counter.has_value(), "counter"},
      {ts.has_value(), "key_timestamp_ms"}, {sent.has_value(), "sent_ms"},
      {sender.has_value(), "sender_id"},    {recipient.has_value(), "recipient_id"},
  };
  for (const auto& [ok, name] : present) {
    if (!ok) {
      return std::string(name);
    }
  }
  codec::Writer w;
  w.u16(envelope::kVersion);
  w.u8(static_cast<std::uint8_t>(*kind));
  w.string16(*sender);
  w.string16(*recipient);
  w.u64(*ts);
  w.u32(static_cast<std::uint32_t>(*epoch));
  w.u16(static_cast<std::uint16_t>(*index));
  w.u32(static_cast<std::uint32_t>(*counter));
  w.u64(*sent);
  w.bytes32(Bytes(envelope::kMinCiphertextSize, 0));
  const auto e = envelope::decode_envelope(w.data());
  if (!e.ok()) {
    return std::string("kind");  // the only field the decoder can still refuse
  }
  return e->header;
}

std::optional<Block> read_block(const Json& c, const char* key) {
  const auto b = field_hex(c, key);
  if (!b || b->size() != 16) {
    return std::nullopt;
  }
  Block out{};
  std::copy(b->begin(), b->end(), out.begin());
  return out;
}

Json positive_case(Rng& rng, const EnvelopeHeader& h, const AppPayload& p) {
  const Block mk = rng.block();
  Json c = header_json(h);
  c["mk"] = hex(mk);
  c["content_type"] = static_cast<int>(p.type);
  c["body"] = hex(p.body);
  c["envelope"] = hex(envelope::seal(h, mk, p));
  return c;
}

Json negative_case(const Bytes& wire, const Block& mk, const char* error) {
  return Json{{"envelope", hex(wire)}, {"mk", hex(mk)}, {"expected_error", error}};
}

void add_negative_cases(Json& cases, Rng& rng, const EnvelopeHeader& h) {
  const Block mk = rng.block();
  const Bytes good = envelope::seal(h, mk, AppPayload{ContentType::kText, bytes_of("hi")});
  Bytes tag = good;
  tag.back() ^= 0x01;
  cases.push_back(negative_case(tag, mk, "decrypt_failed"));
  cases.push_back(negative_case(Bytes(good.begin(), good.end() - 1), mk, "truncated"));
  Bytes trailing = good;
  trailing.push_back(0);
  cases.push_back(negative_case(trailing, mk, "trailing_bytes"));
  Bytes kind = good;
  kind[2] = 3;
  cases.push_back(negative_case(kind, mk, "bad_value"));
  Bytes version = good;
  version[1] = 2;
  cases.push_back(negative_case(version, mk, "bad_version"));
  // An authentic envelope whose plaintext names content type 7.
  const Bytes bad_plain = {7, 0, 0, 0, 0};
  codec::Writer w;
  w.raw(envelope::encode_header(h));
  w.bytes32(crypto::aes_gcm_seal(mk, envelope::nonce_for(h.counter), envelope::encode_header(h),
                                 bad_plain));
  cases.push_back(negative_case(w.data(), mk, "bad_value"));
}

std::optional<std::string> check_negative(const Json& c, const std::string& where) {
  const auto wire = field_hex(c, "envelope");
  const auto mk = read_block(c, "mk");
  if (!wire) {
    return bad_field(where, "envelope");
  }
  if (!mk) {
    return bad_field(where, "mk");
  }
  const auto e = envelope::decode_envelope(*wire);
  if (!e.ok()) {
    return expect_error(c, where, &e.error());
  }
  const auto opened = envelope::open(*e, *mk);
  return expect_error(c, where, opened.ok() ? nullptr : &opened.error());
}

std::optional<std::string> check_positive(const Json& c, const std::string& where) {
  const auto header = read_header(c);
  if (const auto* bad = std::get_if<std::string>(&header)) {
    return bad_field(where, *bad);
  }
  const EnvelopeHeader& h = std::get<EnvelopeHeader>(header);
  const auto mk = read_block(c, "mk");
  const auto body = field_hex(c, "body");
  const auto wire = field_hex(c, "envelope");
  const auto type = field_uint(c, "content_type", 0xff);
  const std::pair<bool, const char*> present[] = {{mk.has_value(), "mk"},
                                                  {body.has_value(), "body"},
                                                  {wire.has_value(), "envelope"},
                                                  {type.has_value(), "content_type"}};
  for (const auto& [ok, name] : present) {
    if (!ok) {
      return bad_field(where, name);
    }
  }
  const auto opened = envelope::decode_envelope(*wire);
  if (!opened.ok() || opened->header != h) {
    return where + ": envelope header differs from the fields";
  }
  const auto p = envelope::open(*opened, *mk);
  if (!p.ok() || static_cast<std::uint64_t>(p->type) != *type || p->body != *body) {
    return where + ": envelope does not open to the payload";
  }
  if (envelope::seal(h, *mk, *p) != *wire) {
    return where + ": sealing the fields does not give the envelope bytes";
  }
  return std::nullopt;
}

std::optional<std::string> check_case(const Json& c, const std::string& where) {
  return c.contains("expected_error") ? check_negative(c, where) : check_positive(c, where);
}

}  // namespace

Json generate_envelope_vectors() {
  Json file = file_header("envelope", "spec/contract.md#envelope-env-");
  DeterministicRng rng(0x454e56, "vectors envelope");
  Json cases = Json::array();
  const EnvelopeHeader direct{
      Kind::kDirect,   "Ab3dEf7hIj1lMn0p", "Qr5tUv9xYz2bCd4f", 1700000000000ULL, 0, 0, 0,
      1700000012345ULL};
  const EnvelopeHeader group{
      Kind::kGroup, "Qr5tUv9xYz2bCd4f", "family-chat", 1700000300000ULL, 3, 2,
      37,           1700000400000ULL};
  EnvelopeHeader empty = direct;
  empty.counter = 0xfffffffeU;  // the last counter a sender may use (RAT-003)
  cases.push_back(positive_case(rng, direct, {ContentType::kText, bytes_of("hello, world")}));
  cases.push_back(positive_case(rng, group, {ContentType::kU2uHash, rng.bytes(32)}));
  cases.push_back(positive_case(rng, empty, {ContentType::kU2uOptinRequest, {}}));
  add_negative_cases(cases, rng, group);
  file["cases"] = cases;
  return file;
}

std::optional<std::string> check_envelope_vectors(const Json& file) {
  return check_cases(file, check_case);
}

}  // namespace spmc::vectors
