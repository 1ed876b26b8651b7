// Vectors for the canonical codec (spec/wire.md WIRE-001..006): integer widths,
// length prefixes, and the errors a decoder must report.
#include "spmc/codec.hpp"
#include "suites.hpp"

namespace spmc::vectors {

namespace {

// A small record exercising every primitive: u8, u16, u32, u64, bytes16 <0..8>.
struct Sample {
  std::uint8_t a;
  std::uint16_t b;
  std::uint32_t c;
  std::uint64_t d;
  Bytes e;
};

Bytes encode_sample(const Sample& s) {
  codec::Writer w;
  w.u8(s.a);
  w.u16(s.b);
  w.u32(s.c);
  w.u64(s.d);
  w.bytes16(s.e);
  return w.take();
}

Result<Sample> decode_sample(ByteView in) {
  codec::Reader r(in);
  Sample s{};
  SPMC_TRY(s.a, r.u8());
  SPMC_TRY(s.b, r.u16());
  SPMC_TRY(s.c, r.u32());
  SPMC_TRY(s.d, r.u64());
  SPMC_TRY(s.e, r.bytes16(0, 8));
  SPMC_TRY_STATUS(r.expect_end());
  return s;
}

Json sample_json(const Sample& s) {
  Json j;
  j["u8"] = s.a;
  j["u16"] = s.b;
  j["u32"] = s.c;
  j["u64"] = std::to_string(s.d);  // as a string: JSON numbers lose 64-bit precision
  j["bytes16"] = hex(s.e);
  return j;
}

}  // namespace

Json generate_codec_vectors() {
  Json file = file_header("codec", "spec/wire.md#codec");
  Json cases = Json::array();
  const Sample samples[] = {
      {0, 0, 0, 0, {}},
      {0xff, 0xffff, 0xffffffffU, UINT64_MAX, {1, 2, 3, 4, 5, 6, 7, 8}},
      {0x12, 0x3456, 0x789abcdeU, 0x0123456789abcdefULL, {0xaa}},
  };
  for (const Sample& s : samples) {
    Json c;
    c["value"] = sample_json(s);
    c["encoded"] = hex(encode_sample(s));
    cases.push_back(c);
  }
  // The fixed part of the sample is 15 bytes (u8 u16 u32 u64) of zeros.
  const std::pair<const char*, const char*> bad[] = {
      {"00000000000000000000000000000000", "truncated"},    // length prefix cut short
      {"0000000000000000000000000000000001", "truncated"},  // one byte promised, none given
      {"0000000000000000000000000000000009000000000000000000", "bad_length"},  // 9 > the bound of 8
      {"000000000000000000000000000000000000", "trailing_bytes"},  // one byte after the end
  };
  for (const auto& [encoded, error] : bad) {
    Json c;
    c["encoded"] = encoded;
    c["expected_error"] = error;
    cases.push_back(c);
  }
  file["cases"] = cases;
  return file;
}

namespace {

std::optional<std::string> check_case(const Json& c, const std::string& where) {
  const auto encoded = field_hex(c, "encoded");
  if (!encoded) {
    return bad_field(where, "encoded");
  }
  auto decoded = decode_sample(*encoded);
  if (c.contains("expected_error")) {
    return expect_error(c, where, decoded.ok() ? nullptr : &decoded.error());
  }
  if (!decoded.ok()) {
    return where + ": decode failed: " + decoded.error().detail;
  }
  if (!field_equals(c, "value", sample_json(*decoded))) {
    return where + ": field value differs from the decoded value";
  }
  if (encode_sample(*decoded) != *encoded) {
    return where + ": re-encoding differs (not canonical)";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_codec_vectors(const Json& file) {
  return check_cases(file, check_case);
}

}  // namespace spmc::vectors
