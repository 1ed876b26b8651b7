#pragma once
// The organiser's view of a group (contract GRP-001, GRP-003, GRP-010): who is in it and
// which scope-2 key share is current. Pure bookkeeping: it returns the share to send and
// the recipients; sealing and sending are the caller's.
#include <string>
#include <vector>

#include "spmc/group.hpp"
#include "spmc/key_share.hpp"
#include "spmc/profile.hpp"
#include "spmc/rng.hpp"

namespace spmc::group {

struct MembershipChange {
  // GRP-010: a new epoch with a fresh K and seed was started (a rekeying policy).
  bool rekey_required = false;
  keyshare::KeySharePlain share;        // what to send (the current share)
  std::vector<std::string> recipients;  // to whom; empty when nothing is sent
};

class GroupPolicy;

class GroupState {
 public:
  // GRP-001: the organiser draws K and the seed; it is member 0, `others` follow in order.
  // Fails on a bad or repeated id (bad_length / bad_value) or a group whose share would not
  // fit a KeyShareMessage (bad_length).
  static Result<GroupState> create(Rng& rng, const Profile& profile, std::string group_id,
                                   std::string organiser, const std::vector<std::string>& others,
                                   Suite suite, keyshare::Lifetime lifetime, TimeMs now);

  // STO-010: the state a phone's store kept, rebuilt under the profile's group policy (the
  // store names no policy: PRO-006). `share` is a scope-2 share within its wire bounds that
  // fits a KeySharePlain message; `active` starts with the share's first member (the
  // organiser), lists only members of the share, none twice. Else bad_value (bad_length for
  // a share that does not fit).
  static Result<GroupState> restore(const Profile& profile, keyshare::KeySharePlain share,
                                    std::vector<std::string> active);

  // The first distribution: the current share to every member but the organiser.
  MembershipChange distribution() const;

  // The profile's group policy picks the share and its recipients (paper: the newcomer gets
  // the current K and seed; hardened: a new epoch for everyone). A user already active ->
  // bad_state. State is unchanged on any error.
  Result<MembershipChange> add(Rng& rng, const std::string& user_id, TimeMs now);
  // By the group policy (paper, GRP-003: nothing is sent, the removed user keeps K and stays
  // in the share's list, so its sender index is never reused; hardened: a new epoch without
  // the user). Not a member -> not_member; the organiser -> bad_state.
  Result<MembershipChange> remove(Rng& rng, const std::string& user_id, TimeMs now);

  // KS-016: the organiser's own copy of the current share.
  const keyshare::KeySharePlain& share() const { return m_share; }
  const std::vector<std::string>& active_members() const { return m_active; }
  const std::string& organiser() const { return m_active.front(); }

 private:
  GroupState(const GroupPolicy& policy, keyshare::KeySharePlain share);
  GroupState(const GroupPolicy& policy, keyshare::KeySharePlain share,
             std::vector<std::string> active);

  const GroupPolicy* m_policy;
  keyshare::KeySharePlain m_share;    // its member list: everyone who holds this K
  std::vector<std::string> m_active;  // members the organiser counts; m_active[0] organiser
};

}  // namespace spmc::group
