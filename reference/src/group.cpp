// GRP-002 chain separation and the wire fragment of KS-001 scope 2.
#include "spmc/group.hpp"

#include <algorithm>

namespace spmc::group {

bool within_bounds(const GroupPart& part) {
  const auto id_ok = [](const std::string& id) { return !id.empty() && id.size() <= kMaxIdLength; };
  return id_ok(part.group_id) && !part.members.empty() && part.members.size() <= kMaxMembers &&
         std::all_of(part.members.begin(), part.members.end(), id_ok);
}

Status GroupPart::admit_member_count(const GroupPart&, std::uint16_t count) {
  if (count < 1 || count > kMaxMembers) {  // KS-001 member_count 1..1000
    return make_error(ErrorCode::kBadLength, "member_count " + std::to_string(count));
  }
  return ok_status();
}

Status GroupPart::add_member(const GroupPart&, std::vector<std::string>& members,
                             std::string&& member) {
  // Linear: at most 1000 short ids, and no second container to keep in step.
  if (std::find(members.begin(), members.end(), member) != members.end()) {
    return make_error(ErrorCode::kBadValue, "member listed twice: " + member);
  }
  members.push_back(std::move(member));
  return ok_status();
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
