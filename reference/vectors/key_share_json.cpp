#include "key_share_json.hpp"

namespace spmc::vectors::ks {

Json plain_fields(const keyshare::KeySharePlain& plain) {
  Json j;
  j["timestamp_ms"] = std::to_string(plain.timestamp_ms);
  j["lifetime_kind"] = static_cast<int>(plain.lifetime.kind);
  j["lifetime_ms"] = std::to_string(plain.lifetime.duration_ms);
  j["suite"] = static_cast<int>(plain.suite);
  Bytes seed;
  for (const Block& n : plain.seed) {
    seed.insert(seed.end(), n.begin(), n.end());
  }
  j["seed_numbers"] = hex(seed);
  j["master_key"] = hex(plain.master_key);
  if (plain.group) {
    j["group_id"] = plain.group->group_id;
    j["epoch"] = plain.group->epoch;
    j["members"] = plain.group->members;
  }
  return j;
}

std::optional<std::string> plain_fields_mismatch(const Json& c,
                                                 const keyshare::KeySharePlain& plain) {
  const Json fields = plain_fields(plain);
  for (const auto& [key, value] : fields.items()) {
    if (!field_equals(c, key, value)) {
      return key;
    }
  }
  // A case naming a group must decode to a group share, and the other way round.
  if (c.contains("group_id") != plain.group.has_value()) {
    return std::string("group_id");
  }
  return std::nullopt;
}

Json plain_error_case(const char* description, const Bytes& plain, const char* error) {
  Json j;
  j["description"] = description;
  j["plain"] = hex(plain);
  j["expected_error"] = error;
  return j;
}

Bytes changed(Bytes b, std::size_t at, std::uint8_t value) {
  b.at(at) = value;
  return b;
}

}  // namespace spmc::vectors::ks
