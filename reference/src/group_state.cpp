// GRP-001/GRP-003/GRP-010: organiser-side membership changes.
#include "spmc/group_state.hpp"

#include <algorithm>
#include <cstdint>
#include <set>

#include "spmc/schemes/group_policy.hpp"

namespace spmc::group {

namespace {

Status check_id(const std::string& id) {
  if (id.empty() || id.size() > kMaxIdLength) {
    return make_error(ErrorCode::kBadLength, "id length " + std::to_string(id.size()));
  }
  return ok_status();
}

Status check_members(const GroupPart& part) {
  SPMC_TRY_STATUS(check_id(part.group_id));
  if (part.members.size() > kMaxMembers) {
    return make_error(ErrorCode::kBadLength, "more than 1000 members");
  }
  std::set<std::string> seen;
  for (const std::string& m : part.members) {
    SPMC_TRY_STATUS(check_id(m));
    if (!seen.insert(m).second) {
      return make_error(ErrorCode::kBadValue, "member listed twice: " + m);
    }
  }
  return ok_status();
}

// Whether the share can be sent at all (KS-002 bounds the sealed box at 4096 bytes).
Status check_fits(const keyshare::KeySharePlain& share) {
  if (!keyshare::fits_in_message(share)) {
    return make_error(ErrorCode::kBadLength, "group key share too large for a key share message");
  }
  return ok_status();
}

bool contains(const std::vector<std::string>& list, const std::string& id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

}  // namespace

GroupState::GroupState(const GroupPolicy& policy, keyshare::KeySharePlain share)
    : m_policy(&policy), m_share(std::move(share)), m_active(m_share.group->members) {}

Result<GroupState> GroupState::create(Rng& rng, const Profile& profile, std::string group_id,
                                      std::string organiser, const std::vector<std::string>& others,
                                      Suite suite, keyshare::Lifetime lifetime, TimeMs now) {
  SPMC_CHECK(lifetime.valid());
  GroupPart part{std::move(group_id), 0, {std::move(organiser)}};
  part.members.insert(part.members.end(), others.begin(), others.end());
  SPMC_TRY_STATUS(check_members(part));
  keyshare::KeySharePlain share = keyshare::make_pairwise(rng, suite, now, lifetime);
  share.group = std::move(part);
  SPMC_TRY_STATUS(check_fits(share));
  return GroupState(*profile.group, std::move(share));
}

GroupState::GroupState(const GroupPolicy& policy, keyshare::KeySharePlain share,
                       std::vector<std::string> active)
    : m_policy(&policy), m_share(std::move(share)), m_active(std::move(active)) {}

Result<GroupState> GroupState::restore(const Profile& profile, keyshare::KeySharePlain share,
                                       std::vector<std::string> active) {
  if (!share.group) {
    return make_error(ErrorCode::kBadValue, "organiser state holds a pairwise share");
  }
  SPMC_TRY_STATUS(check_members(*share.group));
  SPMC_TRY_STATUS(check_fits(share));
  const std::vector<std::string>& members = share.group->members;
  if (active.empty() || members.empty() || active.front() != members.front()) {
    return make_error(ErrorCode::kBadValue, "organiser state does not start with the organiser");
  }
  std::set<std::string> seen;
  for (const std::string& m : active) {
    if (!contains(members, m)) {
      return make_error(ErrorCode::kBadValue, "active member not in the share: " + m);
    }
    if (!seen.insert(m).second) {
      return make_error(ErrorCode::kBadValue, "active member listed twice: " + m);
    }
  }
  return GroupState(*profile.group, std::move(share), std::move(active));
}

MembershipChange GroupState::distribution() const {
  return MembershipChange{false, m_share, members_but_organiser(m_active)};
}

Result<MembershipChange> GroupState::add(Rng& rng, const std::string& user_id, TimeMs now) {
  SPMC_TRY_STATUS(check_id(user_id));
  if (contains(m_active, user_id)) {
    return make_error(ErrorCode::kBadState, user_id + " is already a member");
  }
  std::vector<std::string> active = m_active;
  active.push_back(user_id);
  MembershipChange change = m_policy->on_add(rng, m_share, active, user_id, now);
  SPMC_TRY_STATUS(check_members(*change.share.group));
  SPMC_TRY_STATUS(check_fits(change.share));
  m_share = change.share;
  m_active = std::move(active);
  return change;
}

Result<MembershipChange> GroupState::remove(Rng& rng, const std::string& user_id, TimeMs now) {
  if (!contains(m_active, user_id)) {
    return make_error(ErrorCode::kNotMember, user_id + " is not a member");
  }
  if (user_id == organiser()) {
    return make_error(ErrorCode::kBadState, "the organiser cannot leave its own group");
  }
  std::vector<std::string> active = m_active;
  active.erase(std::find(active.begin(), active.end(), user_id));
  MembershipChange change = m_policy->on_remove(rng, m_share, active, now);
  m_share = change.share;
  m_active = std::move(active);
  return change;
}

keyshare::KeySharePlain next_epoch(Rng& rng, const keyshare::KeySharePlain& current,
                                   std::vector<std::string> members, TimeMs now) {
  // KS-010: receivers accept only a strictly newer timestamp, even within one millisecond.
  const TimeMs timestamp = std::max(now, current.timestamp_ms + 1);
  SPMC_CHECK(current.group->epoch < UINT32_MAX);
  keyshare::KeySharePlain share =
      keyshare::make_pairwise(rng, current.suite, timestamp, current.lifetime);
  share.group = GroupPart{current.group->group_id, current.group->epoch + 1, std::move(members)};
  return share;
}

std::vector<std::string> members_but_organiser(const std::vector<std::string>& active) {
  return std::vector<std::string>(active.begin() + 1, active.end());
}

}  // namespace spmc::group
