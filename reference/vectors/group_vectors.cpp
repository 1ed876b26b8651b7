// Vectors for group key distribution (contract GRP-002, KS-001 scope 2): the per-member
// seed n_j XOR block(i), and the plain encodings of group key shares with the decode
// errors of their group part.
#include "key_share_json.hpp"
#include "spmc/group.hpp"
#include "suites.hpp"

namespace spmc::vectors {

namespace {

Bytes seed_bytes(const keyshare::Seed& seed) {
  Bytes out;
  for (const Block& n : seed) {
    out.insert(out.end(), n.begin(), n.end());
  }
  return out;
}

std::optional<keyshare::Seed> seed_from(const Json& c, std::string_view key) {
  const auto b = field_hex(c, key);
  if (!b || b->size() != 64) {
    return std::nullopt;
  }
  keyshare::Seed seed{};
  for (std::size_t j = 0; j < 4; ++j) {
    std::copy_n(b->begin() + static_cast<std::ptrdiff_t>(16 * j), 16, seed[j].begin());
  }
  return seed;
}

Json seed_case(const keyshare::Seed& seed, std::uint16_t index) {
  Json j;
  j["description"] = "member seed for sender_index " + std::to_string(index);
  j["seed_numbers"] = hex(seed_bytes(seed));
  j["sender_index"] = index;
  j["tweak"] = hex(group::sender_seed_tweak(index));
  j["member_seed_numbers"] = hex(seed_bytes(group::member_seed(seed, index)));
  return j;
}

Json share_case(const char* description, const keyshare::KeySharePlain& plain) {
  Json j;
  j["description"] = description;
  j.update(ks::plain_fields(plain));
  j["plain"] = hex(keyshare::encode(plain));
  return j;
}

void add_share_cases(Rng& rng, Json& cases) {
  keyshare::KeySharePlain small = keyshare::make_pairwise(rng, Suite::kAes128, 1'700'000'000'000,
                                                          keyshare::Lifetime::session());
  small.group = group::GroupPart{"Grp1", 0, {"Org5hJk2LmNb7QwE"}};
  keyshare::KeySharePlain three = keyshare::make_pairwise(rng, Suite::kAes256, 1'700'000'123'456,
                                                          keyshare::Lifetime::duration(86'400'000));
  three.group = group::GroupPart{"Friends0Group001",
                                 4'294'967'295U,
                                 {"Org5hJk2LmNb7QwE", "Bob4RtY8uIo1pAsD", "Carol3Ee9Ff0Gg1H"}};
  cases.push_back(share_case("one member (the organiser), epoch 0", small));
  cases.push_back(share_case("three members, epoch 2^32-1", three));
  // Group part of `three` starts after 22 + 64 + 32 bytes; its member_count after the id.
  const Bytes good = keyshare::encode(three);
  const std::size_t part_at = 22 + 64 + 32;
  const std::size_t count_at = part_at + 2 + 16 + 4;
  Bytes duplicate = good;
  std::copy_n(good.begin() + static_cast<std::ptrdiff_t>(count_at + 2), 18,
              duplicate.begin() + static_cast<std::ptrdiff_t>(count_at + 2 + 18));
  cases.push_back(ks::plain_error_case("member listed twice", duplicate, "bad_value"));
  cases.push_back(
      ks::plain_error_case("member_count 0", ks::changed(good, count_at + 1, 0), "bad_length"));
  cases.push_back(ks::plain_error_case(
      "member_count 1001", ks::changed(ks::changed(good, count_at, 0x03), count_at + 1, 0xe9),
      "bad_length"));
  cases.push_back(
      ks::plain_error_case("empty group id", ks::changed(good, part_at + 1, 0), "bad_length"));
  cases.push_back(ks::plain_error_case("member_count 4 with 3 members",
                                       ks::changed(good, count_at + 1, 4), "truncated"));
}

std::optional<std::string> check_seed_case(const Json& c, const std::string& where) {
  const auto seed = seed_from(c, "seed_numbers");
  const auto wire_index = field_uint(c, "sender_index", 0xffff);
  if (!seed) {
    return bad_field(where, "seed_numbers");
  }
  if (!wire_index) {
    return bad_field(where, "sender_index");
  }
  const auto index = static_cast<std::uint16_t>(*wire_index);
  const Block tweak = group::sender_seed_tweak(index);
  if (field_hex(c, "tweak") != Bytes(tweak.begin(), tweak.end())) {
    return where + ": field tweak differs";
  }
  if (field_hex(c, "member_seed_numbers") != seed_bytes(group::member_seed(*seed, index))) {
    return where + ": field member_seed_numbers differs";
  }
  return std::nullopt;
}

std::optional<std::string> check_share_case(const Json& c, const std::string& where) {
  const auto plain = field_hex(c, "plain");
  if (!plain) {
    return bad_field(where, "plain");
  }
  auto decoded = keyshare::decode_plain(*plain);
  if (c.contains("expected_error")) {
    return expect_error(c, where, decoded.ok() ? nullptr : &decoded.error());
  }
  if (!decoded.ok()) {
    return where + ": plain does not decode: " + decoded.error().detail;
  }
  if (!decoded->group) {
    return where + ": plain is not a group share";
  }
  if (const auto key = ks::plain_fields_mismatch(c, *decoded)) {
    return where + ": field " + *key + " differs from the decoded plain";
  }
  if (keyshare::encode(*decoded) != *plain) {
    return where + ": re-encoding differs (not canonical)";
  }
  return std::nullopt;
}

}  // namespace

Json generate_group_vectors() {
  Json file = file_header("group", "spec/contract.md#group-grp-");
  DeterministicRng rng(0x6752, "vectors/group");
  const keyshare::Seed seed{rng.block(), rng.block(), rng.block(), rng.block()};
  Json cases = Json::array();
  for (std::uint16_t index : {0, 1, 2, 255, 256, 999, 65535}) {
    cases.push_back(seed_case(seed, index));
  }
  add_share_cases(rng, cases);
  file["cases"] = cases;
  return file;
}

std::optional<std::string> check_group_vectors(const Json& file) {
  return check_cases(file, [](const Json& c, const std::string& where) {
    return c.contains("sender_index") ? check_seed_case(c, where) : check_share_case(c, where);
  });
}

}  // namespace spmc::vectors
