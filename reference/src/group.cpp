// GRP-002 chain separation and the wire fragment of KS-001 scope 2.
#include "spmc/group.hpp"

#include <algorithm>
#include <set>

namespace spmc::group {

void write_group_part(codec::Writer& w, const GroupPart& part) {
  SPMC_CHECK(!part.group_id.empty() && part.group_id.size() <= kMaxIdLength);
  SPMC_CHECK(!part.members.empty() && part.members.size() <= kMaxMembers);
  w.string16(part.group_id);
  w.u32(part.epoch);
  w.u16(static_cast<std::uint16_t>(part.members.size()));
  for (const std::string& member : part.members) {
    SPMC_CHECK(!member.empty() && member.size() <= kMaxIdLength);
    w.string16(member);
  }
}

Result<GroupPart> read_group_part(codec::Reader& r) {
  GroupPart part;
  SPMC_TRY(part.group_id, r.string16(1, kMaxIdLength));
  SPMC_TRY(part.epoch, r.u32());
  SPMC_TRY(std::uint16_t count, r.u16());
  if (count < 1 || count > kMaxMembers) {  // KS-001 member_count 1..1000
    return make_error(ErrorCode::kBadLength, "member_count " + std::to_string(count));
  }
  std::set<std::string> seen;
  for (std::uint16_t i = 0; i < count; ++i) {
    SPMC_TRY(std::string member, r.string16(1, kMaxIdLength));
    if (!seen.insert(member).second) {
      return make_error(ErrorCode::kBadValue, "member listed twice: " + member);
    }
    part.members.push_back(std::move(member));
  }
  return part;
}

std::optional<std::uint16_t> sender_index(const GroupPart& part, std::string_view user_id) {
  const auto it = std::find(part.members.begin(), part.members.end(), user_id);
  if (it == part.members.end()) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(it - part.members.begin());
}

Block sender_seed_tweak(std::uint16_t sender_index) {
  Block b{};
  b[14] = static_cast<std::uint8_t>(sender_index >> 8);
  b[15] = static_cast<std::uint8_t>(sender_index);
  return b;
}

std::array<Block, 4> member_seed(const std::array<Block, 4>& seed, std::uint16_t sender_index) {
  const Block tweak = sender_seed_tweak(sender_index);
  std::array<Block, 4> out{};
  for (std::size_t j = 0; j < seed.size(); ++j) {
    out[j] = xor_blocks(seed[j], tweak);
  }
  return out;
}

}  // namespace spmc::group
