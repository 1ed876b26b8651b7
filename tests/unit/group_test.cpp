// GRP-001..GRP-010: member chain separation and the organiser's membership changes.
#include "spmc/group.hpp"

#include <gtest/gtest.h>

#include <set>

#include "spmc/group_state.hpp"

namespace spmc::group {
namespace {

const std::string kOrganiser = "OrganiserOOOOOOO";
const std::string kBob = "BobBBBBBBBBBBBBB";
const std::string kCarol = "CarolCCCCCCCCCCC";
const std::string kDave = "DaveDDDDDDDDDDDD";
constexpr TimeMs kT0 = 1'700'000'000'000;

std::array<Block, 4> sample_seed() {
  DeterministicRng rng(5, "group seed");
  return {rng.block(), rng.block(), rng.block(), rng.block()};
}

TEST(Group, TweakIsTheIndexAsA16ByteBigEndianInteger) {
  EXPECT_EQ(to_hex(sender_seed_tweak(0)), "00000000000000000000000000000000");
  EXPECT_EQ(to_hex(sender_seed_tweak(0x0102)), "00000000000000000000000000000102");
  EXPECT_EQ(to_hex(sender_seed_tweak(999)), "000000000000000000000000000003e7");
}

TEST(Group, MemberSeedOfIndexZeroIsTheOriginalSeed) {
  EXPECT_EQ(member_seed(sample_seed(), 0), sample_seed());
}

TEST(Group, MemberSeedsDifferForDistinctIndices) {
  const auto seed = sample_seed();
  std::set<Block> seen[4];
  for (std::uint16_t i = 0; i < kMaxMembers; ++i) {
    const auto m = member_seed(seed, i);
    for (std::size_t j = 0; j < 4; ++j) {
      EXPECT_TRUE(seen[j].insert(m[j]).second) << "index " << i << " slot " << j;
    }
  }
}

TEST(Group, SenderIndexIsThePositionInTheMemberList) {
  const GroupPart part{"G", 0, {kOrganiser, kBob, kCarol}};
  EXPECT_EQ(sender_index(part, kOrganiser), 0);
  EXPECT_EQ(sender_index(part, kCarol), 2);
  EXPECT_FALSE(sender_index(part, kDave).has_value());
}

GroupState make_group(const Profile& profile, DeterministicRng& rng) {
  auto g = GroupState::create(rng, profile, "Group0000000001", kOrganiser, {kBob, kCarol},
                              Suite::kAes128, keyshare::Lifetime::session(), kT0);
  SPMC_CHECK(g.ok());
  return std::move(g).value();
}

TEST(GroupState, CreationDistributesOneShareToEveryOtherMember) {
  DeterministicRng rng(6, "group state");
  const GroupState g = make_group(paper_profile(), rng);
  const MembershipChange d = g.distribution();
  EXPECT_EQ(d.recipients, (std::vector<std::string>{kBob, kCarol}));
  ASSERT_TRUE(d.share.group.has_value());
  EXPECT_EQ(d.share.group->members, (std::vector<std::string>{kOrganiser, kBob, kCarol}));
  EXPECT_EQ(d.share.group->epoch, 0U);
  EXPECT_EQ(d.share.timestamp_ms, kT0);
  EXPECT_EQ(d.share.master_key.size(), 16U);
}

// GRP-003 (finding): under the paper profile the removed member keeps K and still reads.
TEST(GroupState, PaperRemovalSendsNothingAndKeepsTheKey) {
  DeterministicRng rng(6, "group state");
  GroupState g = make_group(paper_profile(), rng);
  const keyshare::KeySharePlain before = g.share();
  auto change = g.remove(rng, kBob, kT0 + 10);
  ASSERT_TRUE(change.ok());
  EXPECT_FALSE(change->rekey_required);
  EXPECT_TRUE(change->recipients.empty());
  EXPECT_EQ(g.share(), before);  // Bob still holds this very key
  EXPECT_EQ(g.active_members(), (std::vector<std::string>{kOrganiser, kCarol}));
}

TEST(GroupState, HardenedRemovalRekeysWithoutTheRemovedMember) {
  DeterministicRng rng(6, "group state");
  GroupState g = make_group(hardened_profile(), rng);
  const keyshare::KeySharePlain before = g.share();
  auto change = g.remove(rng, kBob, kT0 + 10);
  ASSERT_TRUE(change.ok());
  EXPECT_TRUE(change->rekey_required);
  EXPECT_EQ(change->recipients, (std::vector<std::string>{kCarol}));
  EXPECT_NE(change->share.master_key, before.master_key);
  EXPECT_NE(change->share.seed, before.seed);
  EXPECT_EQ(change->share.group->epoch, 1U);
  EXPECT_EQ(change->share.group->members, (std::vector<std::string>{kOrganiser, kCarol}));
  EXPECT_EQ(change->share.timestamp_ms, kT0 + 10);
  EXPECT_EQ(g.share(), change->share);
}

TEST(GroupState, PaperAddSendsTheCurrentKeyToTheNewcomerOnly) {
  DeterministicRng rng(6, "group state");
  GroupState g = make_group(paper_profile(), rng);
  const keyshare::KeySharePlain before = g.share();
  auto change = g.add(rng, kDave, kT0 + 10);
  ASSERT_TRUE(change.ok());
  EXPECT_FALSE(change->rekey_required);
  EXPECT_EQ(change->recipients, (std::vector<std::string>{kDave}));
  EXPECT_EQ(change->share.master_key, before.master_key);
  EXPECT_EQ(change->share.timestamp_ms, before.timestamp_ms);
  EXPECT_EQ(change->share.group->members,
            (std::vector<std::string>{kOrganiser, kBob, kCarol, kDave}));
}

TEST(GroupState, PaperReaddedMemberKeepsItsSenderIndex) {
  DeterministicRng rng(6, "group state");
  GroupState g = make_group(paper_profile(), rng);
  ASSERT_TRUE(g.remove(rng, kBob, kT0 + 1).ok());
  ASSERT_TRUE(g.add(rng, kDave, kT0 + 2).ok());
  auto back = g.add(rng, kBob, kT0 + 3);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->recipients, (std::vector<std::string>{kBob}));
  // Indices are never reused within a key: a reused index would repeat a key stream.
  EXPECT_EQ(back->share.group->members,
            (std::vector<std::string>{kOrganiser, kBob, kCarol, kDave}));
}

TEST(GroupState, HardenedAddRekeysEveryone) {
  DeterministicRng rng(6, "group state");
  GroupState g = make_group(hardened_profile(), rng);
  const keyshare::KeySharePlain before = g.share();
  auto change = g.add(rng, kDave, kT0 + 10);
  ASSERT_TRUE(change.ok());
  EXPECT_TRUE(change->rekey_required);
  EXPECT_EQ(change->recipients, (std::vector<std::string>{kBob, kCarol, kDave}));
  EXPECT_NE(change->share.master_key, before.master_key);
  EXPECT_EQ(change->share.group->epoch, 1U);
}

TEST(GroupState, RekeyTimestampStrictlyIncreasesWithinOneMillisecond) {
  DeterministicRng rng(6, "group state");
  GroupState g = make_group(hardened_profile(), rng);
  ASSERT_TRUE(g.add(rng, kDave, kT0).ok());
  EXPECT_EQ(g.share().timestamp_ms, kT0 + 1);
  ASSERT_TRUE(g.remove(rng, kDave, kT0).ok());
  EXPECT_EQ(g.share().timestamp_ms, kT0 + 2);
  EXPECT_EQ(g.share().group->epoch, 2U);
}

TEST(GroupState, RefusedChangesLeaveTheStateUnchanged) {
  DeterministicRng rng(6, "group state");
  GroupState g = make_group(hardened_profile(), rng);
  const keyshare::KeySharePlain share = g.share();
  const auto active = g.active_members();
  EXPECT_EQ(g.add(rng, kBob, kT0 + 1).code(), ErrorCode::kBadState);
  EXPECT_EQ(g.add(rng, "", kT0 + 1).code(), ErrorCode::kBadLength);
  EXPECT_EQ(g.remove(rng, kDave, kT0 + 1).code(), ErrorCode::kNotMember);
  EXPECT_EQ(g.remove(rng, kOrganiser, kT0 + 1).code(), ErrorCode::kBadState);
  EXPECT_EQ(g.share(), share);
  EXPECT_EQ(g.active_members(), active);
}

TEST(GroupState, CreationRejectsRepeatedMembers) {
  DeterministicRng rng(6, "group state");
  EXPECT_EQ(GroupState::create(rng, paper_profile(), "G", kOrganiser, {kBob, kBob}, Suite::kAes128,
                               keyshare::Lifetime::session(), kT0)
                .code(),
            ErrorCode::kBadValue);
  EXPECT_EQ(GroupState::create(rng, paper_profile(), "G", kOrganiser, {kOrganiser}, Suite::kAes128,
                               keyshare::Lifetime::session(), kT0)
                .code(),
            ErrorCode::kBadValue);
}

// KS-002 bounds the sealed box at 4096 bytes, so a group of 16-character ids tops out near
// 210 members although KS-001 allows 1000 (reported as a contract inconsistency).
// Proves: KS-005
TEST(GroupState, GroupWhoseShareCannotBeSealedIsRefused) {
  DeterministicRng rng(6, "group state");
  std::vector<std::string> others;
  for (int i = 0; i < 300; ++i) {
    std::string id = "Member" + std::to_string(i);
    id.resize(16, 'x');
    others.push_back(id);
  }
  EXPECT_EQ(GroupState::create(rng, hardened_profile(), "G", kOrganiser, others, Suite::kAes256,
                               keyshare::Lifetime::session(), kT0)
                .code(),
            ErrorCode::kBadLength);
  others.resize(150);
  auto g = GroupState::create(rng, hardened_profile(), "G", kOrganiser, others, Suite::kAes256,
                              keyshare::Lifetime::session(), kT0);
  ASSERT_TRUE(g.ok());
  EXPECT_TRUE(keyshare::fits_in_message(g->share()));
}

}  // namespace
}  // namespace spmc::group
