#pragma once
// Profile files (simulator/profiles/README.md, PRO-008): a profile as data, one JSON object
// that names a scheme for each part (the names of spmc/schemes/catalog.hpp) and sets limits,
// either in full or as changes to a built-in (`"base"`). The same object may stand inline as a
// scenario's "profile". Errors are one line, "<source>: <field path>: <reason>", e.g.
//   my.json: key_share: unknown scheme 'sgned' (one of: paper, signed)
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "spmc/profile.hpp"
#include "spmc/result.hpp"

namespace spmc::sim {

// The longest profile name and description the reader accepts, in bytes.
inline constexpr std::size_t kProfileNameMaxBytes = 64;
inline constexpr std::size_t kProfileDescriptionMaxBytes = 200;
// A profile file is small; anything larger is refused before it is read.
inline constexpr std::uint64_t kMaxProfileBytes = 64 * 1024;

// `value` at `path` ("" for a file's root, "profile" inline in a scenario) of `source`.
Result<Profile> profile_from_json(const nlohmann::json& value, const std::string& source,
                                  const std::string& path);
Result<Profile> parse_profile(std::string_view json_text, std::string_view source);
Result<Profile> load_profile(const std::string& path);
// Every field, in schema order, without "base": profile_from_json(dump) gives it back.
nlohmann::ordered_json profile_to_json(const Profile& profile);

// The built-in profiles, simulator/profiles/<name>.json compiled in, `paper` first.
std::span<const Profile> builtin_profiles();
// nullptr when `name` is no built-in.
const Profile* builtin_profile(std::string_view name);
// The compiled-in text of a built-in's file ("" when none), for `spmc profiles --show`.
std::string_view builtin_profile_json(std::string_view name);

// "key_share signed, limits.max_forward 500": the fields where `p` differs from `base`, in
// schema order; "" when none.
std::string profile_changes(const Profile& base, const Profile& p);

}  // namespace spmc::sim
