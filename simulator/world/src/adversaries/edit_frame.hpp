#pragma once
// Helpers shared by the attacks that rewrite what the server sends or receives.
#include <optional>

#include "spmc/certificate.hpp"
#include "spmc/channel.hpp"
#include "spmc/server.hpp"
#include "spmc/server_proto.hpp"

namespace spmc::sim {

// The proto message inside a channel data frame, changed by `edit` (which returns whether
// it changed anything); nothing when the frame is not a data frame or was left alone.
template <class Edit>
inline std::optional<Bytes> edit_frame(ByteView frame, Edit edit) {
  auto f = channel::decode(frame);
  if (!f.ok() || f->kind != channel::FrameKind::kData) {
    return std::nullopt;
  }
  auto m = proto::decode(f->payload);
  if (!m.ok() || !edit(*m)) {
    return std::nullopt;
  }
  f->payload = proto::encode(*m);
  return channel::encode(*f);
}

inline std::optional<cert::PublicKey> certified_key(const server::Account* account,
                                                    bool encryption) {
  if (account == nullptr) {
    return std::nullopt;
  }
  auto c = cert::decode(encryption ? account->enc_cert : account->sign_cert);
  if (!c.ok()) {
    return std::nullopt;
  }
  return c->public_key;
}

}  // namespace spmc::sim
