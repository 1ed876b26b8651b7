// The U2U formulas (U2U-002, U2U-003, U2U-010, Fig. 4) and the dictionary attack on an
// exchanged SHA-256(secret).
#include "spmc/codec.hpp"
#include "spmc/u2u.hpp"

namespace spmc::u2u {

namespace {

Bytes concat(ByteView a, ByteView b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

ByteView view_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

crypto::Digest secret_hash(std::string_view secret) { return crypto::sha256(view_of(secret)); }

crypto::Digest paper_value(std::string_view secret_self, const crypto::Digest& h_peer) {
  Bytes input = concat(view_of(secret_self), h_peer);
  const crypto::Digest out = crypto::sha256(input);
  secure_wipe(input);
  return out;
}

crypto::Digest figure_value(const crypto::Digest& h_self, const crypto::Digest& h_peer) {
  return crypto::sha256(concat(h_peer, h_self));
}

crypto::Digest hardened_value(const crypto::Digest& h_self, const crypto::Digest& h_peer,
                              const KeyFingerprints& fingerprints, Role role) {
  SPMC_CHECK(role != Role::kNone);
  const bool initiator = role == Role::kInitiator;
  codec::Writer w;
  w.raw(view_of("SPMC U2U-010 v1"));
  w.raw(initiator ? h_self : h_peer);
  w.raw(initiator ? h_peer : h_self);
  w.raw(initiator ? fingerprints.self : fingerprints.peer);
  w.raw(initiator ? fingerprints.peer : fingerprints.self);
  return crypto::sha256(w.data());
}

crypto::Digest hardened_response(const crypto::Digest& value, const Nonce& peer_nonce,
                                 const Nonce& own_nonce) {
  return crypto::hmac_sha256(value, concat(peer_nonce, own_nonce));
}

std::optional<std::string> dictionary_attack(const crypto::Digest& observed_hash,
                                             std::string_view alphabet, std::size_t max_len,
                                             std::uint64_t& guesses) {
  guesses = 0;
  if (alphabet.empty()) {
    return std::nullopt;
  }
  for (std::size_t len = 1; len <= max_len; ++len) {
    std::vector<std::size_t> digits(len, 0);  // odometer over alphabet indices
    std::string candidate(len, alphabet[0]);
    while (true) {
      ++guesses;
      if (secret_hash(candidate) == observed_hash) {
        return candidate;
      }
      std::size_t i = len;
      while (i > 0 && digits[i - 1] + 1 == alphabet.size()) {
        digits[i - 1] = 0;
        candidate[i - 1] = alphabet[0];
        --i;
      }
      if (i == 0) {
        break;
      }
      candidate[i - 1] = alphabet[++digits[i - 1]];
    }
  }
  return std::nullopt;
}

}  // namespace spmc::u2u
