#pragma once
// How a profile's U2U authentication computes and proves its value (U2U-002, U2U-003,
// U2U-010). U2uSession runs the state machine (which messages are valid when); the scheme
// owns what differs between profiles: the stored value, whether auth messages carry fresh
// nonces, who answers first, and how a round is judged.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "spmc/crypto.hpp"
#include "spmc/result.hpp"
#include "spmc/rng.hpp"
#include "spmc/u2u.hpp"

namespace spmc::u2u {

// One authentication round as the session holds it, lent to the scheme for one step. The
// session writes back the nonces the scheme may set.
struct AuthRound {
  bool initiator = false;                   // this phone asked for the round
  std::string_view secret;                  // entered this round; empty until the user gives it
  KeyFingerprints fps;                      // given with the secret
  Role role = Role::kNone;                  // opt-in role, orders the value's inputs
  std::optional<crypto::Digest> peer_hash;  // opt-in hash, when the scheme keeps it
  std::optional<crypto::Digest> value;      // the stored value
  std::optional<Nonce> own_nonce;
  std::optional<Nonce> peer_nonce;
  std::optional<crypto::Digest> peer_proof;  // the peer's auth response digest
};

class U2uScheme {
 public:
  virtual ~U2uScheme() = default;
  virtual std::string_view name() const = 0;
  // Recorded in the U2U session state (PRO-006), so a state is never read under another
  // scheme; a new scheme takes the next unused number.
  virtual std::uint8_t state_tag() const = 0;
  // The stored value binds both certified encryption-key fingerprints, so a key
  // substituted between the phones changes it (U2U-010).
  virtual bool binds_keys() const = 0;
  // Auth requests and responses carry fresh nonces (U2U-010), so a recorded response
  // does not verify in another round.
  virtual bool challenges() const = 0;
  // The peer's opt-in hash stays in the state after the exchange (to recompute the value).
  virtual bool keeps_peer_hash() const = 0;

  // The value stored once the opt-in exchange completes.
  virtual crypto::Digest value(std::string_view secret, const crypto::Digest& peer_hash,
                               const KeyFingerprints& fps, Role role) const = 0;
  // The nonce of this phone's auth request, drawn from rng, or none.
  virtual std::optional<Nonce> request_nonce(Rng& rng) const = 0;
  // The user entered the auth secret: the messages to send now.
  virtual std::vector<Message> on_auth_secret(Rng& rng, AuthRound& round) const = 0;
  // The peer's auth response, before the session keeps its digest.
  virtual Status admit_response(const Message& response, AuthRound& round) const = 0;
  // Both halves are in: whether the round authenticates; may add this phone's last message.
  virtual bool finish(const AuthRound& round, std::vector<Message>& out) const = 0;
  // The round's nonce bookkeeping is consistent (session invariants).
  virtual bool round_consistent(const AuthRound& round) const = 0;
};

// U2U-002/U2U-003: v = SHA-256(secret || h_peer), auth by re-sent hashes, no nonces.
const U2uScheme& paper_u2u();
// U2U-010: value bound to both key fingerprints, HMAC challenge-response with fresh nonces.
const U2uScheme& bound_u2u();

}  // namespace spmc::u2u
