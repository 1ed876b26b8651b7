#include "vectors.hpp"

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

std::optional<std::vector<std::uint8_t>> field_hex(const Json& object, std::string_view key) {
  const auto it = object.find(std::string(key));
  if (it == object.end() || !it->is_string()) {
    return std::nullopt;
  }
  Bytes out;
  if (!from_hex(it->get<std::string>(), out)) {
    return std::nullopt;
  }
  return out;
}

}  // namespace spmc::vectors
