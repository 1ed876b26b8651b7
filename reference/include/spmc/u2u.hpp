#pragma once
// Mutual user-to-user authentication (paper section 3.5, Fig. 4; contract U2U-001..010).
// U2uSession is a pure per-peer state machine for one local user and one peer: user
// actions and received messages go in, the messages to send come out. Carrying them
// (AppPayload content types 2..6, ENV-003, inside envelopes) is the caller's job.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spmc/bytes.hpp"
#include "spmc/crypto.hpp"
#include "spmc/profile.hpp"
#include "spmc/result.hpp"
#include "spmc/rng.hpp"
#include "spmc/wire_traits.hpp"

namespace spmc::u2u {

using Nonce = std::array<std::uint8_t, 16>;

// The AppPayload content type of each message (ENV-003).
enum class MessageType : std::uint8_t {
  kOptinRequest = 2,
  kOptinAccept = 3,
  kHash = 4,
  kAuthRequest = 5,
  kAuthResponse = 6,
};

// Bodies (all fixed length, so each shape has exactly one encoding):
//   optin_request, optin_accept: empty.
//   hash: SHA-256(secret), 32 bytes (U2U-002).
//   auth_request: empty (paper) or the requester's fresh nonce, 16 bytes (U2U-010).
//   auth_response: SHA-256(secret), 32 bytes (paper, U2U-003) or the sender's nonce
//   (16) followed by HMAC-SHA256(v, peer_nonce || own_nonce) (32), 48 bytes (U2U-010).
// The type travels as the content type, outside the body; the body's length says which of
// the two optional fields it holds (decode_body engages them before reading).
struct Message {
  MessageType type = MessageType::kOptinRequest;
  std::optional<Nonce> nonce;
  std::optional<crypto::Digest> digest;
  friend bool operator==(const Message&, const Message&) = default;
  static auto fields(auto& m) {
    return wire::fields<wire::Optional<wire::Raw>, wire::Optional<wire::Raw>>(m.nonce, m.digest);
  }
};

using U2uMessage = Message;

// True when the fields present are those the type's body carries.
bool shape_allowed(const Message& message);
Bytes encode_body(const Message& message);
Result<Message> decode_body(std::uint8_t content_type, ByteView body);

// Certified encryption-key fingerprints as this phone sees them (U2U-010): its own, and
// the one the server handed out for the peer. The caller computes them (32-byte digests).
struct KeyFingerprints {
  crypto::Digest self{};
  crypto::Digest peer{};
  friend bool operator==(const KeyFingerprints&, const KeyFingerprints&) = default;
  static auto fields(auto& m) { return wire::fields<wire::Raw, wire::Raw>(m.self, m.peer); }
};

// Who asked for the opt-in; fixes the order of the hardened value's inputs so both
// phones compute the same bytes.
enum class Role : std::uint8_t { kNone = 0, kInitiator = 1, kResponder = 2 };

enum class State : std::uint8_t {
  kIdle = 0,
  kOptinRequested = 1,
  kOptinReceived = 2,
  kExchanging = 3,
  kEstablished = 4,
  kAuthRequested = 5,
  kAuthenticated = 6,
  kFailed = 7,
};
std::string_view state_name(State state);

inline constexpr std::size_t kMaxSecretBytes = 256;

// Pure formulas (also used by the attack tooling and the vectors).
crypto::Digest secret_hash(std::string_view secret);
// U2U-002, the text's formula: v_self = SHA-256(secret_self || h_peer).
crypto::Digest paper_value(std::string_view secret_self, const crypto::Digest& h_peer);
// Fig. 4's formula at the phone of "self": SHA-256(h_peer || h_self). Needs no secret,
// so anyone who saw both exchanged hashes can compute it (ambiguity A-09).
crypto::Digest figure_value(const crypto::Digest& h_self, const crypto::Digest& h_peer);
// U2U-010: SHA-256("SPMC U2U-010 v1" || h_I || h_R || fp_I || fp_R), I = the opt-in
// initiator, as this phone sees the fingerprints. Both phones get the same value unless
// a key was substituted between them.
crypto::Digest hardened_value(const crypto::Digest& h_self, const crypto::Digest& h_peer,
                              const KeyFingerprints& fingerprints, Role role);
// U2U-010: HMAC-SHA256(key = v, peer_nonce || own_nonce).
crypto::Digest hardened_response(const crypto::Digest& value, const Nonce& peer_nonce,
                                 const Nonce& own_nonce);

// Brute force of an observed SHA-256(secret): every string over `alphabet` of length
// 1..max_len, shortest first, in alphabet order. `guesses` counts hashes computed.
std::optional<std::string> dictionary_attack(const crypto::Digest& observed_hash,
                                             std::string_view alphabet, std::size_t max_len,
                                             std::uint64_t& guesses);

struct Outgoing {
  std::vector<Message> messages;
};

class U2uScheme;
struct AuthRound;

class U2uSession {
 public:
  explicit U2uSession(const Profile& profile) : m_profile(&profile) {}

  // Opt-in phase (U2U-001, U2U-002).
  Result<Outgoing> request_optin();
  Result<Outgoing> accept_optin();
  // Fingerprints are read by a scheme that binds keys (U2U-010) only.
  Result<Outgoing> provide_secret(std::string_view secret, const KeyFingerprints& fps = {});

  // Authentication phase (U2U-003, U2U-010). Nonces are drawn from rng (if the scheme uses
  // them).
  Result<Outgoing> request_auth(Rng& rng);
  Result<Outgoing> provide_auth_secret(Rng& rng, std::string_view secret,
                                       const KeyFingerprints& fps = {});

  // A received message. Invalid for the current state: kBadState, nothing changed.
  Result<Outgoing> handle(const Message& message);

  State state() const { return m_state; }
  Role role() const { return m_role; }
  // Ok once authenticated; kU2uMismatch after a failed round; kBadState otherwise.
  Status auth_status() const;
  // The stored value (U2U-002 / U2U-010) once established.
  const std::optional<crypto::Digest>& stored_value() const { return m_value; }

  // For the local store (STO-001 sealed state). Decoding checks the U2U scheme matches.
  Bytes encode_state() const;
  static Result<U2uSession> decode_state(const Profile& profile, ByteView in);

  friend bool operator==(const U2uSession&, const U2uSession&) = default;

 private:
  const U2uScheme& scheme() const;
  AuthRound auth_round() const;
  Status check_shape(const Message& message) const;
  Result<Outgoing> on_optin_request();
  Result<Outgoing> on_optin_accept();
  Result<Outgoing> on_hash(const Message& message);
  Result<Outgoing> on_auth_request(const Message& message);
  Result<Outgoing> on_auth_response(const Message& message);
  Outgoing finish_exchange_if_ready(Outgoing out);
  Outgoing finish_auth_if_ready(Outgoing out);
  void clear_transient();
  bool invariants_hold() const;
  bool auth_invariants_hold() const;

  // The stored form (STO-001 sealed state), read back by decode_state:
  //   u16 version; u8 scheme_tag; u8 state; u8 role; u8 auth_initiator; bytes16 secret <0..256>;
  //   if secret: fingerprint self (32), fingerprint peer (32);
  //   u8 present (bit 0 peer_hash, 1 value, 2 own_nonce, 3 peer_nonce, 4 peer_proof);
  //   then each present field, fixed size, in bit order.
  friend struct wire::Access;
  static constexpr std::uint16_t kStateVersion = 1;
  // The U2U scheme's state tag (PRO-006): a state is never read under another scheme.
  static std::uint8_t scheme_tag(const U2uSession& s);
  static bool holds_secret(const U2uSession& s) { return !s.m_secret.empty(); }
  static auto fields(auto& m) {
    using Ver = wire::Version<std::uint16_t, kStateVersion, "U2U state">;
    using SchemeTag = wire::Match<wire::U8, scheme_tag, "U2U state scheme">;
    using StateField = wire::Enum<State, State::kIdle, State::kFailed, "U2U state">;
    using RoleField = wire::Enum<Role, Role::kNone, Role::kResponder, "U2U role">;
    using Initiator = wire::Bool<"U2U auth initiator">;
    using Secret = wire::Bytes16<0, kMaxSecretBytes>;
    using Fingerprints = wire::If<wire::Struct<KeyFingerprints>>;
    using Present = wire::PresenceBits<"U2U state fields">;
    using Value = wire::Optional<wire::Raw>;  // a digest or a nonce
    return wire::fields<Ver, SchemeTag, StateField, RoleField, Initiator, Secret, Fingerprints,
                        Present, Value, Value, Value, Value, Value>(
        wire::fixed, m, m.m_state, m.m_role, m.m_auth_initiator, m.m_secret,
        wire::when<holds_secret>(m, m.m_fps),
        wire::optionals(m.m_peer_hash, m.m_value, m.m_own_nonce, m.m_peer_nonce, m.m_peer_proof),
        m.m_peer_hash, m.m_value, m.m_own_nonce, m.m_peer_nonce, m.m_peer_proof);
  }

  const Profile* m_profile;
  State m_state = State::kIdle;
  Role m_role = Role::kNone;
  bool m_auth_initiator = false;
  Bytes m_secret;         // entered secret awaiting the peer's message; wiped after use
  KeyFingerprints m_fps;  // given with m_secret, zero without it
  std::optional<crypto::Digest> m_peer_hash;  // opt-in hash; kept if the scheme keeps it
  std::optional<crypto::Digest> m_value;
  std::optional<Nonce> m_own_nonce;
  std::optional<Nonce> m_peer_nonce;
  std::optional<crypto::Digest> m_peer_proof;  // auth response: paper hash / hardened HMAC
};

}  // namespace spmc::u2u
