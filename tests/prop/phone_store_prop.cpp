// The phone state's store layout (STO-010) under random input: random small states round-trip
// to the same bytes, and random damage to a rich state's encoding is either refused with a
// typed error or is itself a canonical encoding (never a crash, never a non-canonical accept).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "spmc/phone_store.hpp"
#include "support/phone_state_sample.hpp"

namespace spmc::phone {
namespace {

const Profile& gen_profile() { return **rc::gen::element(&paper_profile(), &hardened_profile()); }

std::string gen_id() {
  const std::size_t n = *rc::gen::inRange<std::size_t>(1, 9);
  return *rc::gen::container<std::string>(n, rc::gen::inRange('a', 'z'));
}

Bytes gen_bytes(std::size_t max) {
  const std::size_t n = *rc::gen::inRange<std::size_t>(0, max + 1);
  return *rc::gen::container<Bytes>(n, rc::gen::arbitrary<std::uint8_t>());
}

// Every part with no nested encoding, at random (keys, chains and sessions are the sample's).
PersistentState gen_small_state() {
  PersistentState s;
  s.account = *rc::gen::element(AccountState::kNew, AccountState::kSignedUp,
                                AccountState::kVerified, AccountState::kReady);
  s.email = *rc::gen::container<std::string>(*rc::gen::inRange<std::size_t>(0, 20),
                                             rc::gen::inRange('a', 'z'));
  s.password = gen_bytes(20);
  s.user_id = *rc::gen::element(std::string(), gen_id());
  s.revoked = *rc::gen::container<std::set<std::uint64_t>>(rc::gen::arbitrary<std::uint64_t>());
  const std::size_t requests = *rc::gen::inRange<std::size_t>(0, 4);
  for (std::size_t i = 0; i < requests; ++i) {
    s.pending_requests.insert(gen_id());
  }
  s.last_message_id = *rc::gen::arbitrary<std::uint64_t>();
  s.next_group_number = *rc::gen::arbitrary<std::uint64_t>();
  s.next_out = *rc::gen::inRange<std::uint64_t>(1, 1000);
  const std::size_t out = *rc::gen::inRange<std::size_t>(0, 4);
  for (std::size_t i = 0; i < out; ++i) {
    OutItem item{*rc::gen::element(OutOp::kRelay, OutOp::kAddContact, OutOp::kAcceptContact),
                 gen_id(),
                 *rc::gen::element(proto::PayloadKind::kKeyShare, proto::PayloadKind::kEnvelope),
                 gen_bytes(40),
                 *rc::gen::arbitrary<std::uint64_t>(),
                 false};
    s.outbox.emplace(*rc::gen::inRange<std::uint64_t>(0, s.next_out), std::move(item));
  }
  const std::size_t held = *rc::gen::inRange<std::size_t>(0, 3);
  for (std::size_t i = 0; i < held; ++i) {
    s.held.push_back(HeldEnvelope{gen_id(), gen_bytes(40), *rc::gen::arbitrary<std::uint64_t>()});
  }
  s.offset_ms = *rc::gen::arbitrary<std::int64_t>();
  const std::size_t history = *rc::gen::inRange<std::size_t>(0, 5);
  for (std::size_t i = 0; i < history; ++i) {
    HistoryEntry e{gen_id(),
                   gen_id(),
                   *rc::gen::arbitrary<bool>(),
                   *rc::gen::arbitrary<bool>(),
                   *rc::gen::arbitrary<std::uint64_t>(),
                   gen_bytes(30)};
    s.history_bytes += e.body.size();
    s.history.push_back(std::move(e));
  }
  return s;
}

// Proves: STO-010
RC_GTEST_PROP(PhoneStore, RandomSmallStatesRoundTripToTheSameBytes, ()) {
  const Profile& profile = gen_profile();
  const PersistentState s = gen_small_state();
  const Bytes bytes = encode_state(s);
  auto decoded = decode_state(bytes, profile);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(encode_state(*decoded) == bytes);
  RC_ASSERT(decoded->history == s.history);
  RC_ASSERT(decoded->history_bytes == s.history_bytes);
  RC_ASSERT(decoded->offset_ms == s.offset_ms);
  RC_ASSERT(decoded->revoked == s.revoked);
}

// Proves: STO-010
RC_GTEST_PROP(PhoneStore, DamagedEncodingsAreRefusedOrCanonical, ()) {
  const Profile& profile = gen_profile();
  static const Bytes kPaper = encode_state(testing::sample_state(paper_profile()));
  static const Bytes kHardened = encode_state(testing::sample_state(hardened_profile()));
  Bytes bytes = &profile == &paper_profile() ? kPaper : kHardened;
  const std::size_t edits = *rc::gen::inRange<std::size_t>(1, 4);
  for (std::size_t i = 0; i < edits && !bytes.empty(); ++i) {
    const std::size_t at = *rc::gen::inRange<std::size_t>(0, bytes.size());
    switch (*rc::gen::inRange(0, 4)) {
      case 0:
        bytes[at] ^= static_cast<std::uint8_t>(1U << *rc::gen::inRange(0, 8));
        break;
      case 1:
        bytes[at] = *rc::gen::arbitrary<std::uint8_t>();
        break;
      case 2:
        bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(at));
        break;
      default:
        bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                     *rc::gen::arbitrary<std::uint8_t>());
        break;
    }
  }
  auto decoded = decode_state(bytes, profile);
  if (decoded.ok()) {
    RC_ASSERT(encode_state(*decoded) == bytes);
  } else {
    RC_ASSERT(static_cast<int>(decoded.error().code) >= static_cast<int>(ErrorCode::kTruncated));
    RC_ASSERT(static_cast<int>(decoded.error().code) <= static_cast<int>(ErrorCode::kBadState));
  }
}

}  // namespace
}  // namespace spmc::phone
