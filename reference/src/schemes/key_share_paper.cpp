// The paper's key share (KS-003): the box is sealed to the recipient with an empty AAD and the
// message carries no signature, so anyone holding the recipient's public key can make one.
#include "spmc/schemes/key_share_scheme.hpp"

namespace spmc::keyshare {

namespace {

class PaperKeyShare final : public KeyShareScheme {
 public:
  std::string_view name() const override { return "paper"; }
  bool signs() const override { return false; }

  Bytes prepare(KeyShareMessage& /*message*/,
                const crypto::Ed25519Secret* /*sign_key*/) const override {
    return {};
  }

  void finish(KeyShareMessage& /*message*/,
              const crypto::Ed25519Secret* /*sign_key*/) const override {}

  Result<Bytes> admit(const KeyShareMessage& message,
                      const crypto::Ed25519Public* /*sender_key*/) const override {
    if (message.signature) {
      // The paper format has no signature; a signed share is another profile's message.
      return make_error(ErrorCode::kBadValue, "signed key share under the paper profile");
    }
    return Bytes{};
  }
};

}  // namespace

const KeyShareScheme& paper_key_share() {
  static const PaperKeyShare kScheme;
  return kScheme;
}

}  // namespace spmc::keyshare
