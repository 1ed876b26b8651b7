// U2U authentication (U2U-001..003, U2U-010): the state machine, its wire bodies, its
// persisted form, and the paper's weaknesses recorded as finding tests.
#include "spmc/u2u.hpp"

#include <gtest/gtest.h>

#include <set>

#include "spmc/schemes/u2u_scheme.hpp"
#include "support/u2u_pair.hpp"

namespace spmc::u2u {
namespace {

using testing::U2uPair;

const Profile* const kProfiles[] = {&paper_profile(), &hardened_profile()};

Message make(MessageType type, const Profile& profile) {
  Message m{type, {}, {}};
  const bool nonced = type == MessageType::kAuthRequest || type == MessageType::kAuthResponse;
  if (nonced && profile.u2u->challenges()) {
    m.nonce = Nonce{7};
  }
  if (type == MessageType::kHash || type == MessageType::kAuthResponse) {
    m.digest = crypto::sha256(bytes_of("some secret"));
  }
  return m;
}

TEST(U2u, MatchingSecretsAuthenticateBothSides) {
  for (const Profile* profile : kProfiles) {
    for (const bool a_first : {false, true}) {
      U2uPair pair(*profile);
      ASSERT_TRUE(pair.establish("correct horse", "battery staple"));
      EXPECT_EQ(pair.a.state(), State::kEstablished);
      EXPECT_EQ(pair.b.state(), State::kEstablished);
      ASSERT_TRUE(pair.authenticate("correct horse", "battery staple", a_first));
      EXPECT_TRUE(pair.a.auth_status().ok()) << profile->name;
      EXPECT_TRUE(pair.b.auth_status().ok()) << profile->name;
    }
  }
}

TEST(U2u, WrongSecretOnEitherSideGivesMismatchOnBothSides) {
  for (const Profile* profile : kProfiles) {
    for (const bool wrong_a : {false, true}) {
      U2uPair pair(*profile);
      ASSERT_TRUE(pair.establish("alpha", "beta"));
      ASSERT_TRUE(pair.authenticate(wrong_a ? "alphA" : "alpha", wrong_a ? "beta" : "betA"));
      EXPECT_EQ(pair.a.auth_status().code(), ErrorCode::kU2uMismatch) << profile->name;
      EXPECT_EQ(pair.b.auth_status().code(), ErrorCode::kU2uMismatch) << profile->name;
      EXPECT_EQ(pair.a.state(), State::kFailed);
    }
  }
}

TEST(U2u, AnotherRoundCanFollowAFailedOne) {
  for (const Profile* profile : kProfiles) {
    U2uPair pair(*profile);
    ASSERT_TRUE(pair.establish("alpha", "beta"));
    ASSERT_TRUE(pair.authenticate("wrong", "beta"));
    ASSERT_EQ(pair.a.state(), State::kFailed);
    ASSERT_TRUE(pair.authenticate("alpha", "beta"));
    EXPECT_TRUE(pair.a.auth_status().ok());
    EXPECT_TRUE(pair.b.auth_status().ok());
  }
}

struct Snapshot {
  std::string label;
  U2uSession session;
  std::set<MessageType> valid;
};

// One session in every state the pair passes through, with the messages it may take.
std::vector<Snapshot> snapshots(const Profile& p) {
  using T = MessageType;
  std::vector<Snapshot> out;
  U2uPair pair(p);
  out.push_back({"idle", pair.a, {T::kOptinRequest}});
  EXPECT_TRUE(pair.from_a(pair.a.request_optin()));
  out.push_back({"optin_requested", pair.a, {T::kOptinAccept}});
  out.push_back({"optin_received", pair.b, {}});
  EXPECT_TRUE(pair.from_b(pair.b.accept_optin()));
  out.push_back({"exchanging", pair.a, {T::kHash}});
  EXPECT_TRUE(pair.from_a(pair.a.provide_secret("sa", pair.fps_a())));
  out.push_back({"exchanging, own hash sent", pair.a, {T::kHash}});
  out.push_back({"exchanging, peer hash held", pair.b, {}});
  EXPECT_TRUE(pair.from_b(pair.b.provide_secret("sb", pair.fps_b())));
  out.push_back({"established", pair.a, {T::kAuthRequest}});
  EXPECT_TRUE(pair.from_a(pair.a.request_auth(pair.rng())));
  out.push_back({"auth requester", pair.a, {T::kAuthResponse}});
  // Hardened: the asked side answers first, so it cannot take a response yet.
  out.push_back(
      {"auth asked", pair.b, p.u2u->challenges() ? std::set<T>{} : std::set<T>{T::kAuthResponse}});
  EXPECT_TRUE(pair.from_b(pair.b.provide_auth_secret(pair.rng(), "sb", pair.fps_b())));
  out.push_back({"auth requester, response held", pair.a, {}});
  EXPECT_TRUE(pair.from_a(pair.a.provide_auth_secret(pair.rng(), "sa", pair.fps_a())));
  out.push_back({"authenticated", pair.a, {T::kAuthRequest}});
  EXPECT_TRUE(pair.authenticate("bad", "sb"));
  out.push_back({"failed", pair.a, {T::kAuthRequest}});
  return out;
}

TEST(U2u, OutOfStateMessagesAreBadStateAndChangeNothing) {
  const MessageType all[] = {MessageType::kOptinRequest, MessageType::kOptinAccept,
                             MessageType::kHash, MessageType::kAuthRequest,
                             MessageType::kAuthResponse};
  for (const Profile* profile : kProfiles) {
    for (const Snapshot& snap : snapshots(*profile)) {
      for (const MessageType type : all) {
        U2uSession s = snap.session;
        const auto r = s.handle(make(type, *profile));
        const std::string where = std::string(profile->name) + " " + snap.label + " type " +
                                  std::to_string(static_cast<int>(type));
        if (snap.valid.contains(type)) {
          EXPECT_TRUE(r.ok() || r.code() != ErrorCode::kBadState) << where;
          continue;
        }
        ASSERT_FALSE(r.ok()) << where;
        EXPECT_EQ(r.code(), ErrorCode::kBadState) << where;
        EXPECT_TRUE(s == snap.session) << where;
      }
    }
  }
}

TEST(U2u, UserActionsOutOfStateAreBadStateAndChangeNothing) {
  for (const Profile* profile : kProfiles) {
    DeterministicRng rng(3, "actions");
    for (const Snapshot& snap : snapshots(*profile)) {
      U2uSession s = snap.session;
      const State st = s.state();
      const auto check = [&](const Result<Outgoing>& r, bool allowed, const char* what) {
        if (!allowed) {
          ASSERT_FALSE(r.ok()) << snap.label << " " << what;
          EXPECT_EQ(r.code(), ErrorCode::kBadState);
          EXPECT_TRUE(s == snap.session) << snap.label << " " << what;
        }
        s = snap.session;
      };
      check(s.request_optin(), st == State::kIdle, "request_optin");
      check(s.accept_optin(), st == State::kOptinReceived, "accept_optin");
      check(s.provide_secret("x"), st == State::kExchanging, "provide_secret");
      const bool settled =
          st == State::kEstablished || st == State::kAuthenticated || st == State::kFailed;
      check(s.request_auth(rng), settled, "request_auth");
      check(s.provide_auth_secret(rng, "x"), st == State::kAuthRequested, "provide_auth_secret");
    }
  }
}

TEST(U2u, SecretEnteredTwiceIsBadState) {
  U2uPair pair(paper_profile());
  ASSERT_TRUE(pair.from_a(pair.a.request_optin()));
  ASSERT_TRUE(pair.from_b(pair.b.accept_optin()));
  ASSERT_TRUE(pair.a.provide_secret("one").ok());
  const U2uSession before = pair.a;
  EXPECT_EQ(pair.a.provide_secret("two").code(), ErrorCode::kBadState);
  EXPECT_TRUE(pair.a == before);
}

// Proves: U2U-004
TEST(U2u, EmptyOrOverlongSecretIsBadLength) {
  U2uPair pair(paper_profile());
  ASSERT_TRUE(pair.from_a(pair.a.request_optin()));
  ASSERT_TRUE(pair.from_b(pair.b.accept_optin()));
  const U2uSession before = pair.a;
  EXPECT_EQ(pair.a.provide_secret("").code(), ErrorCode::kBadLength);
  EXPECT_EQ(pair.a.provide_secret(std::string(kMaxSecretBytes + 1, 'x')).code(),
            ErrorCode::kBadLength);
  EXPECT_TRUE(pair.a == before);
}

TEST(U2u, NonceShapeNotMatchingTheProfileIsBadValue) {
  for (const Profile* profile : kProfiles) {
    const Profile& other = profile->u2u->binds_keys() ? paper_profile() : hardened_profile();
    U2uPair pair(*profile);
    ASSERT_TRUE(pair.establish("a", "b"));
    const U2uSession before = pair.a;
    EXPECT_EQ(pair.a.handle(make(MessageType::kAuthRequest, other)).code(), ErrorCode::kBadValue);
    EXPECT_TRUE(pair.a == before);
  }
}

TEST(U2u, BodiesRoundTripAndHaveFixedLengths) {
  for (const Profile* profile : kProfiles) {
    for (std::uint8_t t = 2; t <= 6; ++t) {
      const Message m = make(static_cast<MessageType>(t), *profile);
      const Bytes body = encode_body(m);
      const auto decoded = decode_body(t, body);
      ASSERT_TRUE(decoded.ok());
      EXPECT_TRUE(*decoded == m);
      Bytes longer = body;
      longer.push_back(0);
      EXPECT_EQ(decode_body(t, longer).code(), ErrorCode::kBadLength);
    }
  }
  EXPECT_EQ(decode_body(1, {}).code(), ErrorCode::kBadValue);
  EXPECT_EQ(decode_body(7, {}).code(), ErrorCode::kBadValue);
  EXPECT_EQ(decode_body(4, Bytes(31, 0)).code(), ErrorCode::kBadLength);
}

TEST(U2u, StateSurvivesEncodingAtEveryStep) {
  for (const Profile* profile : kProfiles) {
    for (const Snapshot& snap : snapshots(*profile)) {
      const Bytes encoded = snap.session.encode_state();
      const auto decoded = U2uSession::decode_state(*profile, encoded);
      ASSERT_TRUE(decoded.ok()) << snap.label << ": " << decoded.error().detail;
      EXPECT_TRUE(*decoded == snap.session) << snap.label;
      EXPECT_EQ(decoded->encode_state(), encoded) << snap.label;
    }
  }
}

TEST(U2u, RestoredSessionFinishesAuthentication) {
  for (const Profile* profile : kProfiles) {
    U2uPair pair(*profile);
    ASSERT_TRUE(pair.establish("sa", "sb"));
    auto restored = U2uSession::decode_state(*profile, pair.a.encode_state());
    ASSERT_TRUE(restored.ok());
    pair.a = *restored;
    ASSERT_TRUE(pair.authenticate("sa", "sb"));
    EXPECT_TRUE(pair.a.auth_status().ok());
  }
}

TEST(U2u, DecodeStateRejectsOtherProfileTrailingBytesAndInconsistency) {
  U2uPair pair(paper_profile());
  ASSERT_TRUE(pair.establish("sa", "sb"));
  const Bytes encoded = pair.a.encode_state();
  EXPECT_EQ(U2uSession::decode_state(hardened_profile(), encoded).code(), ErrorCode::kBadValue);
  Bytes longer = encoded;
  longer.push_back(0);
  EXPECT_EQ(U2uSession::decode_state(paper_profile(), longer).code(), ErrorCode::kTrailingBytes);
  Bytes shorter(encoded.begin(), encoded.end() - 1);
  EXPECT_EQ(U2uSession::decode_state(paper_profile(), shorter).code(), ErrorCode::kTruncated);
  Bytes idle_with_value = encoded;
  idle_with_value[3] = 0;  // state := idle, but a value is present
  EXPECT_EQ(U2uSession::decode_state(paper_profile(), idle_with_value).code(),
            ErrorCode::kBadValue);
}

TEST(U2uPaper, StoredValueIsTheTextFormula) {
  U2uPair pair(paper_profile());
  ASSERT_TRUE(pair.establish("secret A", "secret B"));
  EXPECT_EQ(*pair.a.stored_value(), paper_value("secret A", secret_hash("secret B")));
  EXPECT_EQ(*pair.b.stored_value(), paper_value("secret B", secret_hash("secret A")));
  EXPECT_NE(*pair.a.stored_value(), *pair.b.stored_value());  // section 3.5 step 3
}

// Finding: Fig. 4's value H(H(sB) || H(sA)) needs no secret: whoever reads the two
// exchanged u2u_hash messages (e.g. a server that substituted keys) computes it.
TEST(U2uPaper, FigureValueIsComputableFromExchangedHashesAlone) {
  U2uPair pair(paper_profile());
  ASSERT_TRUE(pair.establish("secret A", "secret B"));
  crypto::Digest h_a{};
  crypto::Digest h_b{};
  for (const Message& m : pair.sent_by_a) {
    if (m.type == MessageType::kHash) {
      h_a = *m.digest;
    }
  }
  for (const Message& m : pair.sent_by_b) {
    if (m.type == MessageType::kHash) {
      h_b = *m.digest;
    }
  }
  ASSERT_EQ(h_a, secret_hash("secret A"));
  ASSERT_EQ(h_b, secret_hash("secret B"));
  // A's Fig. 4 value is SHA-256(h_B || h_A), from the wire bytes alone.
  Bytes wire_b_then_a(h_b.begin(), h_b.end());
  wire_b_then_a.insert(wire_b_then_a.end(), h_a.begin(), h_a.end());
  EXPECT_EQ(figure_value(h_a, h_b), crypto::sha256(wire_b_then_a));
  EXPECT_NE(figure_value(h_a, h_b), figure_value(h_b, h_a));
}

// Finding: the paper's authentication response is SHA-256(secret), the same bytes every
// round, so a recording of B's earlier response authenticates "B" to A without B's user.
TEST(U2uPaper, ReplayedHashAuthenticates) {
  U2uPair pair(paper_profile());
  ASSERT_TRUE(pair.establish("secret A", "secret B"));
  ASSERT_TRUE(pair.authenticate("secret A", "secret B"));
  const Message recorded = pair.sent_by_b.back();
  ASSERT_EQ(recorded.type, MessageType::kAuthResponse);

  ASSERT_TRUE(pair.a.request_auth(pair.rng()).ok());
  ASSERT_TRUE(pair.a.handle(recorded).ok());  // injected; B takes no part
  ASSERT_TRUE(pair.a.provide_auth_secret(pair.rng(), "secret A").ok());
  EXPECT_TRUE(pair.a.auth_status().ok());
}

// Finding: the paper's values ignore the keys, so a server that substituted B's key (and
// relays everything) leaves U2U authentication succeeding.
TEST(U2uPaper, KeySubstitutionGoesUnnoticed) {
  U2uPair pair(paper_profile());
  pair.a_sees_b = crypto::sha256(bytes_of("server's key"));
  ASSERT_TRUE(pair.establish("secret A", "secret B"));
  ASSERT_TRUE(pair.authenticate("secret A", "secret B"));
  EXPECT_TRUE(pair.a.auth_status().ok());
  EXPECT_TRUE(pair.b.auth_status().ok());
}

TEST(U2uHardened, BothPhonesStoreTheSameBoundValue) {
  U2uPair pair(hardened_profile());
  ASSERT_TRUE(pair.establish("secret A", "secret B"));
  const auto h_a = secret_hash("secret A");
  const auto h_b = secret_hash("secret B");
  EXPECT_EQ(*pair.a.stored_value(), *pair.b.stored_value());
  EXPECT_EQ(*pair.a.stored_value(), hardened_value(h_a, h_b, pair.fps_a(), Role::kInitiator));
}

TEST(U2uHardened, ReplayedResponseIsRejected) {
  U2uPair pair(hardened_profile());
  ASSERT_TRUE(pair.establish("secret A", "secret B"));
  ASSERT_TRUE(pair.authenticate("secret A", "secret B"));
  ASSERT_TRUE(pair.a.auth_status().ok());
  const Message recorded = pair.sent_by_b.back();
  ASSERT_EQ(recorded.type, MessageType::kAuthResponse);

  ASSERT_TRUE(pair.a.request_auth(pair.rng()).ok());
  ASSERT_TRUE(pair.a.handle(recorded).ok());
  ASSERT_TRUE(pair.a.provide_auth_secret(pair.rng(), "secret A", pair.fps_a()).ok());
  EXPECT_EQ(pair.a.auth_status().code(), ErrorCode::kU2uMismatch);
}

TEST(U2uHardened, SubstitutedFingerprintFailsAuthentication) {
  for (const bool at_optin : {true, false}) {
    U2uPair pair(hardened_profile());
    const crypto::Digest servers_key = crypto::sha256(bytes_of("server's key"));
    if (at_optin) {
      pair.a_sees_b = servers_key;
    }
    ASSERT_TRUE(pair.establish("secret A", "secret B"));
    pair.a_sees_b = servers_key;  // substituted later: the recomputed value differs
    ASSERT_TRUE(pair.authenticate("secret A", "secret B"));
    EXPECT_EQ(pair.a.auth_status().code(), ErrorCode::kU2uMismatch) << at_optin;
    EXPECT_EQ(pair.b.auth_status().code(), ErrorCode::kU2uMismatch) << at_optin;
  }
}

TEST(U2uHardened, ReflectedNonceIsBadValue) {
  U2uPair pair(hardened_profile());
  ASSERT_TRUE(pair.establish("secret A", "secret B"));
  const auto request = pair.a.request_auth(pair.rng());
  ASSERT_TRUE(request.ok());
  const U2uSession before = pair.a;
  Message reflected{MessageType::kAuthResponse, request->messages.at(0).nonce, crypto::Digest{}};
  EXPECT_EQ(pair.a.handle(reflected).code(), ErrorCode::kBadValue);
  EXPECT_TRUE(pair.a == before);
}

TEST(U2u, DictionaryAttackRecoversShortSecret) {
  std::uint64_t guesses = 0;
  const auto found = dictionary_attack(secret_hash("cab"), "abc", 4, guesses);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, "cab");
  // Lengths 1 and 2 (3 + 9 guesses), then "cab" is index 2*9 + 0*3 + 1 = 19 of length 3.
  EXPECT_EQ(guesses, 3U + 9U + 20U);
  EXPECT_FALSE(dictionary_attack(secret_hash("abcd"), "abc", 3, guesses).has_value());
  EXPECT_EQ(guesses, 3U + 9U + 27U);
}

}  // namespace
}  // namespace spmc::u2u
