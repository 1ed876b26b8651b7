#pragma once
// Group key distribution (spec contract GRP-001..GRP-010): the group part of a scope-2 key
// share and the per-member chain separation. The organiser's bookkeeping lives in
// group_state.hpp; this header has no dependency on the key share so both can include it.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spmc/bytes.hpp"
#include "spmc/result.hpp"
#include "spmc/wire_traits.hpp"

namespace spmc::group {

inline constexpr std::size_t kMaxMembers = 1000;  // KS-001 member_count 1..1000
inline constexpr std::size_t kMaxIdLength = wire::kMaxIdLength;

// KS-001 scope 2: which group, which epoch, and the member list whose order gives each
// member's sender_index. Wire fragment (inside KeySharePlain): string16 group_id; u32 epoch;
// u16 member_count (1..1000, else bad_length); member_count x string16. Duplicate members are
// rejected (bad_value): a member list with a repeated id would give one user two sender indices.
struct GroupPart {
  std::string group_id;
  std::uint32_t epoch = 0;
  std::vector<std::string> members;

  bool operator==(const GroupPart&) const = default;

  static Status admit_member_count(const GroupPart& part, std::uint16_t count);
  static Status add_member(const GroupPart& part, std::vector<std::string>& members,
                           std::string&& member);
  static auto fields(auto& m) {
    using Members = wire::Seq<std::uint16_t, wire::Id, admit_member_count, add_member>;
    return wire::fields<wire::Id, wire::U32, Members>(m.group_id, m.epoch,
                                                      wire::with(m, m.members));
  }
};

// Whether the part fits its wire bounds (ids of 1..64 bytes, 1..1000 members): encoding one
// that does not is a programmer error.
bool within_bounds(const GroupPart& part);

// The member's position in the list, i.e. its sender_index, if it is a member.
std::optional<std::uint16_t> sender_index(const GroupPart& part, std::string_view user_id);

// GRP-002 block(i): i as a 16-byte big-endian integer.
Block sender_seed_tweak(std::uint16_t sender_index);

// GRP-002: the seed the member at sender_index sends with, n_j XOR block(i) for each slot.
// Index 0 keeps the organiser's seed unchanged.
std::array<Block, 4> member_seed(const std::array<Block, 4>& seed, std::uint16_t sender_index);

}  // namespace spmc::group
