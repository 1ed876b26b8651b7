#include "vectors.hpp"

#include <charconv>

#include "spmc/bytes.hpp"
#include "suites.hpp"

namespace spmc::vectors {

// One line per vector file; each suite lives in <name>_vectors.cpp.
std::span<const VectorSuite> all_suites() {
  static const VectorSuite kSuites[] = {
      {"codec", generate_codec_vectors, check_codec_vectors},
      {"ratchet", generate_ratchet_vectors, check_ratchet_vectors},
      {"envelope", generate_envelope_vectors, check_envelope_vectors},
      {"certificate", generate_certificate_vectors, check_certificate_vectors},
      {"key_share", generate_key_share_vectors, check_key_share_vectors},
      {"group", generate_group_vectors, check_group_vectors},
      {"u2u", generate_u2u_vectors, check_u2u_vectors},
      {"storage", generate_storage_vectors, check_storage_vectors},
  };
  return kSuites;
}

std::string render(const Json& file) { return file.dump(2) + "\n"; }

Json file_header(std::string_view type, std::string_view spec_section) {
  Json j;
  j["type"] = type;
  j["spec"] = spec_section;
  j["generator"] = "spmc vectors generate";
  j["note"] =
      "Byte strings are lowercase hex. A case with expected_error must fail with "
      "that error (spec/errors.md) and change no state.";
  return j;
}

std::string hex(std::span<const std::uint8_t> bytes) { return to_hex(bytes); }

const Json* field(const Json& object, std::string_view key) {
  if (!object.is_object()) {
    return nullptr;
  }
  const auto it = object.find(std::string(key));
  return it == object.end() ? nullptr : &*it;
}

const Json* field_array(const Json& object, std::string_view key) {
  const Json* value = field(object, key);
  return value != nullptr && value->is_array() ? value : nullptr;
}

const Json* field_object(const Json& object, std::string_view key) {
  const Json* value = field(object, key);
  return value != nullptr && value->is_object() ? value : nullptr;
}

std::optional<std::string> field_string(const Json& object, std::string_view key) {
  const Json* value = field(object, key);
  if (value == nullptr || !value->is_string()) {
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::optional<std::vector<std::uint8_t>> field_hex(const Json& object, std::string_view key) {
  const auto text = field_string(object, key);
  Bytes out;
  if (!text || !from_hex(*text, out)) {
    return std::nullopt;
  }
  return out;
}

std::optional<std::uint64_t> field_u64(const Json& object, std::string_view key) {
  const Json* value = field(object, key);
  return value == nullptr ? std::nullopt : parse_u64(*value);
}

std::optional<std::uint64_t> parse_u64(const Json& value) {
  if (!value.is_string()) {
    return std::nullopt;
  }
  const std::string s = value.get<std::string>();
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  // Canonical, as std::to_string writes it: digits only, no leading zero, no overflow.
  if (ec != std::errc() || end != s.data() + s.size() || s.empty() ||
      (s.size() > 1 && s[0] == '0')) {
    return std::nullopt;
  }
  return v;
}

std::optional<std::uint64_t> field_uint(const Json& object, std::string_view key,
                                        std::uint64_t max) {
  const Json* value = field(object, key);
  return value == nullptr ? std::nullopt : parse_uint(*value, max);
}

std::optional<std::uint64_t> parse_uint(const Json& value, std::uint64_t max) {
  // Parsing stores a non-negative integer as unsigned, a built Json (generate) as signed.
  if (!value.is_number_integer() ||
      (!value.is_number_unsigned() && value.get<std::int64_t>() < 0) ||
      value.get<std::uint64_t>() > max) {
    return std::nullopt;
  }
  return value.get<std::uint64_t>();
}

bool field_equals(const Json& object, std::string_view key, const Json& expected) {
  const Json* value = field(object, key);
  return value != nullptr && *value == expected;
}

std::string bad_field(std::string_view where, std::string_view key) {
  return std::string(where) + ": field " + std::string(key) + " missing or malformed";
}

std::optional<std::string> expect_error(const Json& c, std::string_view where, const Error* got) {
  const auto expected = field_string(c, "expected_error");
  if (!expected) {
    return bad_field(where, "expected_error");
  }
  if (got == nullptr) {
    return std::string(where) + ": succeeded but expected " + *expected;
  }
  if (error_name(got->code) != *expected) {
    return std::string(where) + ": error " + std::string(error_name(got->code)) + " (" +
           got->detail + "), expected " + *expected;
  }
  return std::nullopt;
}

std::optional<std::string> check_cases(const Json& file, const CaseCheck& check) {
  const Json* cases = field_array(file, "cases");
  if (cases == nullptr) {
    return "missing cases array";
  }
  std::size_t i = 0;
  for (const Json& c : *cases) {
    const std::string where = "case " + std::to_string(i++);
    if (!c.is_object()) {
      return where + ": not an object";
    }
    if (auto mismatch = check(c, where)) {
      return mismatch;
    }
  }
  return std::nullopt;
}

}  // namespace spmc::vectors
