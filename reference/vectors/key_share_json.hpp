#pragma once
// JSON views of key shares shared by the key_share and group vector suites: a decoded
// share is turned into fields and compared with the case, so no check ever has to encode
// a value built from (possibly mutated) JSON.
#include "spmc/key_share.hpp"
#include "vectors.hpp"

namespace spmc::vectors::ks {

// timestamp_ms, lifetime_kind, lifetime_ms, suite, seed_numbers, master_key and, for
// scope 2, group_id, epoch, members.
Json plain_fields(const keyshare::KeySharePlain& plain);

// The first field plain_fields() yields that is missing or different in the case (or
// "group_id" when the case names a group and the share has none); nothing when all match.
std::optional<std::string> plain_fields_mismatch(const Json& c,
                                                 const keyshare::KeySharePlain& plain);

// A negative case on an encoded plain share: description, plain (hex), expected_error.
Json plain_error_case(const char* description, const Bytes& plain, const char* error);

// `b` with the byte at `at` set to `value` (for malformed encodings).
Bytes changed(Bytes b, std::size_t at, std::uint8_t value);

}  // namespace spmc::vectors::ks
