#pragma once
// What a group's organiser does on a membership change (GRP-003, GRP-010): keep the key and
// tell only the newcomer, or start a new epoch for everyone. GroupState does the
// bookkeeping and the checks; the policy decides the share to send and its recipients.
#include <string>
#include <string_view>
#include <vector>

#include "spmc/clock.hpp"
#include "spmc/group_state.hpp"
#include "spmc/key_share.hpp"
#include "spmc/rng.hpp"

namespace spmc::group {

class GroupPolicy {
 public:
  virtual ~GroupPolicy() = default;
  virtual std::string_view name() const = 0;

  // `user_id` joins; `active` already lists it last (organiser first). Returns the share the
  // group holds afterwards and to whom it is sent.
  virtual MembershipChange on_add(Rng& rng, const keyshare::KeySharePlain& current,
                                  const std::vector<std::string>& active,
                                  const std::string& user_id, TimeMs now) const = 0;
  // A member left; `active` no longer lists it.
  virtual MembershipChange on_remove(Rng& rng, const keyshare::KeySharePlain& current,
                                     const std::vector<std::string>& active, TimeMs now) const = 0;
};

// GRP-010's new epoch: a fresh K and seed for `members`, stamped strictly after `current`.
keyshare::KeySharePlain next_epoch(Rng& rng, const keyshare::KeySharePlain& current,
                                   std::vector<std::string> members, TimeMs now);
// Every active member but the organiser (active[0]).
std::vector<std::string> members_but_organiser(const std::vector<std::string>& active);

// The paper (GRP-003): the newcomer gets the current K; a removed member keeps it.
const GroupPolicy& keep_key_group_policy();
// GRP-010: a new epoch on every membership change.
const GroupPolicy& rekey_group_policy();

}  // namespace spmc::group
