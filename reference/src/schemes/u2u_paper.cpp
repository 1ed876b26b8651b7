// The paper's U2U (U2U-002, U2U-003): the stored value is SHA-256(secret_self || h_peer);
// to authenticate, each phone re-sends SHA-256(secret) and checks the peer's against the
// stored value. No nonces, so a recorded response verifies again (REQ-5.replay), and the
// value depends on the hashes only, so a substituted key goes unnoticed.
#include "spmc/schemes/u2u_scheme.hpp"

namespace spmc::u2u {

namespace {

class PaperU2u final : public U2uScheme {
 public:
  std::string_view name() const override { return "paper"; }
  std::uint8_t state_tag() const override { return 1; }
  bool binds_keys() const override { return false; }
  bool challenges() const override { return false; }
  bool keeps_peer_hash() const override { return false; }  // U2U-002: v_self only

  crypto::Digest value(std::string_view secret, const crypto::Digest& peer_hash,
                       const KeyFingerprints& /*fps*/, Role /*role*/) const override {
    return paper_value(secret, peer_hash);
  }

  std::optional<Nonce> request_nonce(Rng& /*rng*/) const override { return std::nullopt; }

  std::vector<Message> on_auth_secret(Rng& /*rng*/, AuthRound& round) const override {
    // U2U-003: each phone sends SHA-256(secret) again.
    return {Message{MessageType::kAuthResponse, {}, secret_hash(round.secret)}};
  }

  Status admit_response(const Message& /*response*/, AuthRound& /*round*/) const override {
    return ok_status();
  }

  bool finish(const AuthRound& round, std::vector<Message>& /*out*/) const override {
    // U2U-003: SHA-256(entered_secret_self || received_hash) against the stored v_self.
    return equal_ct(paper_value(round.secret, *round.peer_proof), *round.value);
  }

  bool round_consistent(const AuthRound& round) const override {
    return !round.own_nonce && !round.peer_nonce;
  }
};

}  // namespace

const U2uScheme& paper_u2u() {
  static const PaperU2u kScheme;
  return kScheme;
}

}  // namespace spmc::u2u
