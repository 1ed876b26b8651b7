#include "key_share_json.hpp"

#include <charconv>

namespace spmc::vectors::ks {

std::optional<std::uint64_t> field_u64(const Json& object, std::string_view key) {
  const auto it = object.find(std::string(key));
  if (it == object.end()) {
    return std::nullopt;
  }
  return parse_u64(*it);
}

std::optional<std::uint64_t> parse_u64(const Json& value) {
  if (!value.is_string()) {
    return std::nullopt;
  }
  const std::string s = value.get<std::string>();
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
    return std::nullopt;
  }
  return v;
}

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

bool plain_fields_match(const Json& c, const keyshare::KeySharePlain& plain) {
  const Json fields = plain_fields(plain);
  for (const auto& [key, value] : fields.items()) {
    if (!c.contains(key) || c[key] != value) {
      return false;
    }
  }
  // A case naming a group must decode to a group share, and the other way round.
  return c.contains("group_id") == plain.group.has_value();
}

std::optional<std::string> expect_error(const Json& c, const std::string& where, const Error* got) {
  const std::string expected = c.value("expected_error", "");
  if (got == nullptr) {
    return where + ": succeeded but expected " + expected;
  }
  if (error_name(got->code) != expected) {
    return where + ": error " + std::string(error_name(got->code)) + " (" + got->detail +
           "), expected " + expected;
  }
  return std::nullopt;
}

}  // namespace spmc::vectors::ks
