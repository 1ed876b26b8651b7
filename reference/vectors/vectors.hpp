#pragma once
// Test vectors (spec/vectors/*.json): one file per primitive, generated from a labelled
// deterministic RNG so `spmc vectors generate` rewrites them byte-identically, and
// checked case by case by recomputation (mlswg/mls-implementations style).
#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "spmc/result.hpp"

namespace spmc::vectors {

using Json = nlohmann::ordered_json;

struct VectorSuite {
  std::string_view name;  // file stem: spec/vectors/<name>.json
  Json (*generate)();
  // Recomputes every case of a parsed file; returns the first mismatch, or nothing.
  std::optional<std::string> (*check)(const Json& file);
};

std::span<const VectorSuite> all_suites();

// The exact bytes `generate` writes for a suite (pretty JSON, trailing newline).
std::string render(const Json& file);

// Helpers shared by the suite files.
Json file_header(std::string_view type, std::string_view spec_section);
std::string hex(std::span<const std::uint8_t> bytes);

// Checked reads for check(): a vector file is untrusted input, and on a const Json
// operator[] with a missing key is undefined behaviour while get<T>() of another type
// throws. Each returns nothing (or nullptr) when the key is missing, the value has another
// type, or `object` is not an object; a check then reports bad_field(where, key).
const Json* field(const Json& object, std::string_view key);
const Json* field_array(const Json& object, std::string_view key);
const Json* field_object(const Json& object, std::string_view key);
std::optional<std::string> field_string(const Json& object, std::string_view key);
// Reads a hex field; returns nothing when missing or not valid hex.
std::optional<std::vector<std::uint8_t>> field_hex(const Json& object, std::string_view key);
// 64-bit numbers are canonical decimal strings (JSON numbers lose precision above 2^53).
std::optional<std::uint64_t> field_u64(const Json& object, std::string_view key);
std::optional<std::uint64_t> parse_u64(const Json& value);
// Small numbers are plain JSON unsigned integers; nothing when above `max`.
std::optional<std::uint64_t> field_uint(const Json& object, std::string_view key,
                                        std::uint64_t max);
std::optional<std::uint64_t> parse_uint(const Json& value, std::uint64_t max);
// Whether the field exists and equals `expected` (any type).
bool field_equals(const Json& object, std::string_view key, const Json& expected);

// "<where>: field <key> missing or malformed".
std::string bad_field(std::string_view where, std::string_view key);

// A negative case's check: `got` (nullptr: success) must be the error its string field
// expected_error names; returns the first mismatch, or nothing.
std::optional<std::string> expect_error(const Json& c, std::string_view where, const Error* got);

// Runs `check(case, "case <i>")` on each case of file["cases"], after checking that
// "cases" is an array of objects; returns the first mismatch, or nothing.
using CaseCheck = std::function<std::optional<std::string>(const Json&, const std::string&)>;
std::optional<std::string> check_cases(const Json& file, const CaseCheck& check);

// A hex field of exactly N bytes; false when missing, not hex or of another length.
template <std::size_t N>
bool fixed_hex(const Json& c, std::string_view key, std::array<std::uint8_t, N>& out) {
  const auto b = field_hex(c, key);
  if (!b || b->size() != N) {
    return false;
  }
  std::copy(b->begin(), b->end(), out.begin());
  return true;
}

}  // namespace spmc::vectors
