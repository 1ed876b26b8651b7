#pragma once
// A PersistentState with every field a phone fills, built from the reference's own parts
// (no phone, no server), for the STO-010 codec's tests: keys and certificates, two contacts
// (one with a send chain, a receive chain holding skipped keys and an established U2U
// session), a contact request, a key-share book, a group this phone organises after a
// removal (replaced share, organiser state) and one it joined, outbox, held and history.
#include <string>
#include <utility>

#include "spmc/certificate.hpp"
#include "spmc/group_state.hpp"
#include "spmc/key_share_book.hpp"
#include "spmc/phone.hpp"
#include "spmc/rng.hpp"
#include "support/u2u_pair.hpp"

namespace spmc::phone::testing {

inline const std::string kAlice = "AliceAAAAAAAAAAA";
inline const std::string kBob = "BobBBBBBBBBBBBBB";
inline const std::string kCarol = "CarolCCCCCCCCCCC";
inline const std::string kDave = "DaveDDDDDDDDDDDD";
inline constexpr TimeMs kT0 = 1'700'000'000'000;

inline ratchet::SeedFile seed_of(const keyshare::KeySharePlain& share, std::uint16_t index = 0) {
  return ratchet::SeedFile{group::member_seed(share.seed, index)};
}

inline PersistentState sample_state(const Profile& profile, std::uint64_t seed = 1) {
  DeterministicRng rng(seed, "phone state sample");
  const crypto::Ed25519KeyPair ca = crypto::ed25519_generate(rng);
  auto certify = [&](const std::string& user, std::uint64_t serial, cert::Usage usage,
                     const cert::PublicKey& key) {
    return cert::issue(ca.secret_key, serial, user, usage, key, kT0, kT0 + 365ULL * 86'400'000);
  };
  PersistentState s;
  s.account = AccountState::kReady;
  s.email = "alice@example.org";
  s.password = bytes_of("correct horse");
  s.user_id = kAlice;
  s.sign_keys = crypto::ed25519_generate(rng);
  s.enc_keys = crypto::x25519_generate(rng);
  s.sign_cert = certify(kAlice, 1, cert::Usage::kSignature, s.sign_keys.public_key);
  s.enc_cert = certify(kAlice, 2, cert::Usage::kEncryption, s.enc_keys.public_key);
  s.revoked = {3, 7};

  const Limits& limits = profile.limits;
  const Suite suite = profile.default_suite;
  const keyshare::KeySharePlain mine = keyshare::make_pairwise(rng, suite, kT0, {});
  const keyshare::KeySharePlain bobs = keyshare::make_pairwise(rng, suite, kT0 + 5, {});
  Contact bob{certify(kBob, 4, cert::Usage::kSignature, crypto::ed25519_generate(rng).public_key),
              certify(kBob, 5, cert::Usage::kEncryption, crypto::x25519_generate(rng).public_key),
              std::nullopt,
              mine.timestamp_ms,
              mine.lifetime,
              {},
              std::nullopt};
  bob.send.emplace(mine.suite, mine.master_key, seed_of(mine));
  SPMC_CHECK(bob.send->next().ok() && bob.send->next().ok());
  ratchet::ReceiveChain from_bob(bobs.suite, bobs.master_key, seed_of(bobs), limits);
  SPMC_CHECK(from_bob.accept(3).ok());  // keeps the keys of 0, 1 and 2
  bob.receive.emplace(bobs.timestamp_ms, std::move(from_bob));
  u2u::testing::U2uPair pair(profile, seed);
  SPMC_CHECK(pair.establish("blue whale", "blue whale"));
  bob.u2u.emplace(pair.a);
  s.contacts.emplace(kBob, std::move(bob));
  s.contacts.emplace(
      kCarol,
      Contact{certify(kCarol, 8, cert::Usage::kSignature, crypto::ed25519_generate(rng).public_key),
              certify(kCarol, 9, cert::Usage::kEncryption, crypto::x25519_generate(rng).public_key),
              std::nullopt,
              0,
              {},
              {},
              std::nullopt});
  s.pending_requests = {kDave};

  // A group this phone organises; Carol is removed again (a new epoch under a rekeying
  // policy, the same key under the paper's).
  auto created = group::GroupState::create(rng, profile, kAlice + "-g1", kAlice, {kBob, kCarol},
                                           suite, {}, kT0 + 10);
  SPMC_CHECK(created.ok());
  group::GroupState organised = std::move(created).value();
  GroupMembership own;
  own.organiser = kAlice;
  own.share = organised.share();
  SPMC_CHECK(organised.remove(rng, kCarol, kT0 + 20).ok());
  if (organised.share().master_key != own.share.master_key) {
    own.replaced.emplace(own.share.timestamp_ms, own.share);
  }
  own.share = organised.share();
  own.send.emplace(own.share.suite, own.share.master_key, seed_of(own.share, 0));
  SPMC_CHECK(own.send->next().ok());
  own.receive.emplace(
      std::pair{own.share.timestamp_ms, std::uint16_t{1}},
      ratchet::ReceiveChain(own.share.suite, own.share.master_key, seed_of(own.share, 1), limits));
  own.organiser_state.emplace(std::move(organised));
  const std::string own_id = kAlice + "-g1";

  // A group Bob organises, Alice its member 1.
  keyshare::KeySharePlain joined = keyshare::make_pairwise(rng, suite, kT0 + 30, {});
  joined.group = group::GroupPart{kBob + "-g1", 0, {kBob, kAlice}};
  GroupMembership member;
  member.organiser = kBob;
  member.share = joined;
  member.my_index = 1;

  keyshare::KeyShareBook book(kAlice);
  auto accepted = book.validate(bobs, kBob, kT0 + 40, limits);
  SPMC_CHECK(accepted.ok());
  book.accept(std::move(accepted).value());
  auto accepted_group = book.validate(joined, kBob, kT0 + 40, limits);
  SPMC_CHECK(accepted_group.ok());
  book.accept(std::move(accepted_group).value());
  s.book.emplace(std::move(book));
  s.groups.emplace(own_id, std::move(own));
  s.groups.emplace(kBob + "-g1", std::move(member));

  s.last_message_id = 42;
  s.next_group_number = 2;
  s.next_out = 6;
  s.outbox.emplace(2, OutItem{OutOp::kRelay, kBob, proto::PayloadKind::kEnvelope,
                              bytes_of("sealed envelope"), kT0 + 50, false});
  s.outbox.emplace(5,
                   OutItem{OutOp::kAddContact, kDave, proto::PayloadKind::kEnvelope, {}, 0, false});
  s.held.push_back(HeldEnvelope{kCarol, bytes_of("early envelope"), kT0 + 60});
  s.offset_ms = -1234;
  s.history.push_back(HistoryEntry{kBob, kAlice, true, false, kT0 + 70, bytes_of("hi Bob")});
  s.history.push_back(HistoryEntry{own_id, kBob, false, true, kT0 + 80, bytes_of("hi all")});
  s.history_bytes = 12;
  return s;
}

}  // namespace spmc::phone::testing
