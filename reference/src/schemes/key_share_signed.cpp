// KS-020: the header (version, both ids, flags) is bound as the box's AAD and the whole
// message is signed with the sender's certified Ed25519 key, so a share names its real
// sender and recipient.
#include "spmc/schemes/key_share_scheme.hpp"

namespace spmc::keyshare {

namespace {

class SignedKeyShare final : public KeyShareScheme {
 public:
  std::string_view name() const override { return "signed"; }
  bool signs() const override { return true; }

  Bytes prepare(KeyShareMessage& message, const crypto::Ed25519Secret* sign_key) const override {
    SPMC_CHECK(sign_key != nullptr);
    message.signature.emplace();  // sets the flag the AAD carries; finish() fills the value
    return header_bytes(message);
  }

  void finish(KeyShareMessage& message, const crypto::Ed25519Secret* sign_key) const override {
    SPMC_CHECK(sign_key != nullptr);
    message.signature = crypto::ed25519_sign(*sign_key, signed_bytes(message));
  }

  Result<Bytes> admit(const KeyShareMessage& message,
                      const crypto::Ed25519Public* sender_key) const override {
    SPMC_CHECK(sender_key != nullptr);
    if (!message.signature) {
      return make_error(ErrorCode::kBadSignature, "hardened key share is not signed");
    }
    if (!crypto::ed25519_verify(*sender_key, signed_bytes(message), *message.signature)) {
      return make_error(ErrorCode::kBadSignature, "key share signature does not verify");
    }
    return header_bytes(message);
  }
};

}  // namespace

const KeyShareScheme& signed_key_share() {
  static const SignedKeyShare kScheme;
  return kScheme;
}

}  // namespace spmc::keyshare
