#pragma once
// JSON text for the scenario loader, read more strictly than nlohmann::json::parse does on
// its own: a NUL byte (the library's lexer takes it for the end of input and ignores the rest)
// and a key repeated in one object (the library keeps the last) are errors, not silent
// changes of meaning. Errors are one line: "<source>: <path>: <reason>".
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "spmc/result.hpp"

namespace spmc::sim {

Result<nlohmann::json> parse_strict_json(std::string_view text, const std::string& source);

}  // namespace spmc::sim
