#pragma once
// How a profile protects a key share on the wire (KS-003, KS-020): what the sealed box binds
// as AAD and whether the message is signed. keyshare::seal/open do the box; the scheme owns
// every choice that differs between profiles, so no caller decides whether to sign.
#include <string_view>

#include "spmc/bytes.hpp"
#include "spmc/crypto.hpp"
#include "spmc/key_share.hpp"
#include "spmc/result.hpp"

namespace spmc::keyshare {

class KeyShareScheme {
 public:
  virtual ~KeyShareScheme() = default;
  virtual std::string_view name() const = 0;
  // Messages carry a signature by the sender's certified key (what vectors and attack
  // tooling need to know; the protocol code just calls the three steps below).
  virtual bool signs() const = 0;

  // Before sealing: marks `message` (ids set, no box yet) as this scheme's format and returns
  // the AAD the box binds. `sign_key` is the sender's certified key; a scheme that signs
  // requires it, one that does not ignores it.
  virtual Bytes prepare(KeyShareMessage& message, const crypto::Ed25519Secret* sign_key) const = 0;
  // After sealing: completes `message` (its signature, if the scheme signs).
  virtual void finish(KeyShareMessage& message, const crypto::Ed25519Secret* sign_key) const = 0;
  // Before opening: checks `message` is authentic as the scheme requires (sender_key is the
  // certified key of message.sender_id) and returns the AAD to open its box with.
  virtual Result<Bytes> admit(const KeyShareMessage& message,
                              const crypto::Ed25519Public* sender_key) const = 0;
};

// The paper's share: encrypted to the recipient only, empty AAD, never signed (KS-003).
const KeyShareScheme& paper_key_share();
// KS-020: header bound as AAD, Ed25519 signature over the message.
const KeyShareScheme& signed_key_share();

}  // namespace spmc::keyshare
