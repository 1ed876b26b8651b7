// The paper's groups (GRP-003): one key for the group's life. A newcomer is appended to the
// share's member list (every other sender index stays) and gets the current K and seed; a
// removed member is told nothing, keeps K and stays in the list, so its index is never reused.
#include <algorithm>

#include "spmc/schemes/group_policy.hpp"

namespace spmc::group {

namespace {

class KeepKeyPolicy final : public GroupPolicy {
 public:
  std::string_view name() const override { return "keep_key"; }

  MembershipChange on_add(Rng& /*rng*/, const keyshare::KeySharePlain& current,
                          const std::vector<std::string>& /*active*/, const std::string& user_id,
                          TimeMs /*now*/) const override {
    keyshare::KeySharePlain next = current;  // same K, seed, epoch and timestamp
    std::vector<std::string>& members = next.group->members;
    if (std::find(members.begin(), members.end(), user_id) == members.end()) {
      members.push_back(user_id);
    }
    return MembershipChange{false, std::move(next), {user_id}};
  }

  MembershipChange on_remove(Rng& /*rng*/, const keyshare::KeySharePlain& current,
                             const std::vector<std::string>& /*active*/,
                             TimeMs /*now*/) const override {
    return MembershipChange{false, current, {}};
  }
};

}  // namespace

const GroupPolicy& keep_key_group_policy() {
  static const KeepKeyPolicy kPolicy;
  return kPolicy;
}

}  // namespace spmc::group
