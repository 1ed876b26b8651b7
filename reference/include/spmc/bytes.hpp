#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace spmc {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;
using Block = std::array<std::uint8_t, 16>;  // one AES block

std::string to_hex(ByteView bytes);
// Returns false on odd length or a non-hex digit.
bool from_hex(std::string_view hex, Bytes& out);
Bytes bytes_of(std::string_view text);
Block xor_blocks(const Block& a, const Block& b);
// Constant-time equality (length is not secret).
bool equal_ct(ByteView a, ByteView b);
// Overwrites memory the compiler may not elide (key erasure).
void secure_wipe(std::span<std::uint8_t> bytes);

}  // namespace spmc
