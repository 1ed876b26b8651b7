// U2U-010: the stored value binds both certified encryption-key fingerprints, and each round
// is an HMAC challenge-response under it with fresh nonces. The side that was asked answers
// first with its own nonce; the requester answers once it holds that nonce.
#include "spmc/schemes/u2u_scheme.hpp"

namespace spmc::u2u {

namespace {

crypto::Digest value_from_entered(const AuthRound& round) {
  return hardened_value(secret_hash(round.secret), *round.peer_hash, round.fps, round.role);
}

Message own_response(const AuthRound& round, const crypto::Digest& key) {
  return Message{MessageType::kAuthResponse, round.own_nonce,
                 hardened_response(key, *round.peer_nonce, *round.own_nonce)};
}

Nonce fresh_nonce(Rng& rng) {
  Nonce nonce{};
  rng.fill(nonce);
  return nonce;
}

class BoundU2u final : public U2uScheme {
 public:
  std::string_view name() const override { return "bound"; }
  std::uint8_t state_tag() const override { return 2; }
  bool binds_keys() const override { return true; }
  bool challenges() const override { return true; }
  bool keeps_peer_hash() const override { return true; }  // to recompute the value at auth

  crypto::Digest value(std::string_view secret, const crypto::Digest& peer_hash,
                       const KeyFingerprints& fps, Role role) const override {
    return hardened_value(secret_hash(secret), peer_hash, fps, role);
  }

  std::optional<Nonce> request_nonce(Rng& rng) const override { return fresh_nonce(rng); }

  std::vector<Message> on_auth_secret(Rng& rng, AuthRound& round) const override {
    if (round.initiator) {
      return {};  // the requester answers in finish(), once it holds the peer's nonce
    }
    round.own_nonce = fresh_nonce(rng);
    return {own_response(round, value_from_entered(round))};
  }

  Status admit_response(const Message& response, AuthRound& round) const override {
    if (!round.initiator && round.secret.empty()) {
      return make_error(ErrorCode::kBadState,
                        "u2u_auth_response before our own response not valid in state " +
                            std::string(state_name(State::kAuthRequested)));
    }
    if (round.initiator && *response.nonce == *round.own_nonce) {
      return make_error(ErrorCode::kBadValue, "peer nonce equals our own (reflection)");
    }
    if (!round.initiator && *response.nonce != *round.peer_nonce) {
      return make_error(ErrorCode::kBadValue, "response nonce differs from the request's");
    }
    round.peer_nonce = response.nonce;
    return ok_status();
  }

  bool finish(const AuthRound& round, std::vector<Message>& out) const override {
    // Our own user's entry must give the stored value, and the peer's HMAC must verify
    // under it over (our nonce || its nonce), as the peer saw them.
    const crypto::Digest key = value_from_entered(round);
    const bool local_ok = equal_ct(key, *round.value);
    const bool peer_ok = equal_ct(
        *round.peer_proof, hardened_response(*round.value, *round.own_nonce, *round.peer_nonce));
    if (round.initiator) {
      out.push_back(own_response(round, key));
    }
    return local_ok && peer_ok;
  }

  bool round_consistent(const AuthRound& round) const override {
    if (round.initiator) {
      return round.own_nonce && round.peer_proof.has_value() == round.peer_nonce.has_value();
    }
    return round.peer_nonce && round.own_nonce.has_value() == !round.secret.empty() &&
           !round.peer_proof;
  }
};

}  // namespace

const U2uScheme& bound_u2u() {
  static const BoundU2u kScheme;
  return kScheme;
}

}  // namespace spmc::u2u
