#pragma once
// JSON views of key shares shared by the key_share and group vector suites: a decoded
// share is turned into fields and compared with the case, so no check ever has to encode
// a value built from (possibly mutated) JSON.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "spmc/key_share.hpp"
#include "vectors.hpp"

namespace spmc::vectors::ks {

// 64-bit numbers are decimal strings; nothing when missing or not a decimal number.
std::optional<std::uint64_t> field_u64(const Json& object, std::string_view key);
std::optional<std::uint64_t> parse_u64(const Json& value);

// timestamp_ms, lifetime_kind, lifetime_ms, suite, seed_numbers, master_key and, for
// scope 2, group_id, epoch, members.
Json plain_fields(const keyshare::KeySharePlain& plain);

// Whether every field plain_fields() yields has the same value in the case.
bool plain_fields_match(const Json& c, const keyshare::KeySharePlain& plain);

// The first mismatch between a case's expected_error and an actual result, or nothing.
std::optional<std::string> expect_error(const Json& c, const std::string& where, const Error* got);

}  // namespace spmc::vectors::ks
