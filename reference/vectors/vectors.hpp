#pragma once
// Test vectors (spec/vectors/*.json): one file per primitive, generated from a labelled
// deterministic RNG so `spmc vectors generate` rewrites them byte-identically, and
// checked case by case by recomputation (mlswg/mls-implementations style).
#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>

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
// Reads a hex field; returns nothing when missing or not valid hex.
std::optional<std::vector<std::uint8_t>> field_hex(const Json& object, std::string_view key);

}  // namespace spmc::vectors
