// GRP-010: every membership change starts a new epoch (fresh K and seed) sent to everyone
// who stays, so a removed member cannot read what follows and a newcomer what preceded.
#include "spmc/schemes/group_policy.hpp"

namespace spmc::group {

namespace {

class RekeyPolicy final : public GroupPolicy {
 public:
  std::string_view name() const override { return "rekey"; }

  MembershipChange on_add(Rng& rng, const keyshare::KeySharePlain& current,
                          const std::vector<std::string>& active, const std::string& /*user_id*/,
                          TimeMs now) const override {
    return MembershipChange{true, next_epoch(rng, current, active, now),
                            members_but_organiser(active)};
  }

  MembershipChange on_remove(Rng& rng, const keyshare::KeySharePlain& current,
                             const std::vector<std::string>& active, TimeMs now) const override {
    return MembershipChange{true, next_epoch(rng, current, active, now),
                            members_but_organiser(active)};
  }
};

}  // namespace

const GroupPolicy& rekey_group_policy() {
  static const RekeyPolicy kPolicy;
  return kPolicy;
}

}  // namespace spmc::group
