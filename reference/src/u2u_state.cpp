// U2uSession invariants and its persisted form (kept in the STO-001 sealed state; the field
// list is U2uSession::fields in u2u.hpp).
#include "spmc/codec.hpp"
#include "spmc/schemes/u2u_scheme.hpp"
#include "spmc/u2u.hpp"

namespace spmc::u2u {

bool U2uSession::invariants_hold() const {
  if ((m_state == State::kIdle) != (m_role == Role::kNone)) {
    return false;
  }
  const bool valued = m_state >= State::kEstablished;
  if (m_value.has_value() != valued || m_secret.size() > kMaxSecretBytes) {
    return false;
  }
  const bool may_hold_secret = m_state == State::kExchanging || m_state == State::kAuthRequested;
  if (!m_secret.empty() && !may_hold_secret) {
    return false;
  }
  if (m_secret.empty() && m_fps != KeyFingerprints{}) {
    return false;
  }
  if (m_state == State::kExchanging) {
    if (!m_secret.empty() && m_peer_hash) {
      return false;  // the exchange would have finished
    }
  } else if (m_peer_hash.has_value() != (valued && scheme().keeps_peer_hash())) {
    return false;  // paper keeps v_self only; hardened keeps h_peer to recompute (U2U-010)
  }
  if (m_state != State::kAuthRequested) {
    return !m_own_nonce && !m_peer_nonce && !m_peer_proof && !m_auth_initiator;
  }
  return auth_invariants_hold();
}

bool U2uSession::auth_invariants_hold() const {
  if (!m_secret.empty() && m_peer_proof) {
    return false;  // the round would have finished
  }
  return scheme().round_consistent(auth_round());
}

Bytes U2uSession::encode_state() const {
  SPMC_CHECK(invariants_hold());
  return wire::encode(*this);
}

std::uint8_t U2uSession::scheme_tag(const U2uSession& s) { return s.m_profile->u2u->state_tag(); }

Result<U2uSession> U2uSession::decode_state(const Profile& profile, ByteView in) {
  codec::Reader r(in);
  U2uSession s(profile);
  SPMC_TRY_STATUS(wire::read(r, s));
  SPMC_TRY_STATUS(r.expect_end());
  if (!s.invariants_hold()) {
    return make_error(ErrorCode::kBadValue, "U2U state is inconsistent");
  }
  return s;
}

}  // namespace spmc::u2u
