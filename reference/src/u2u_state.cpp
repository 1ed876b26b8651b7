// U2uSession invariants and its persisted form (kept in the STO-001 sealed state).
//   u16 version; u8 profile; u8 state; u8 role; u8 auth_initiator; bytes16 secret <0..256>;
//   if secret: fingerprint self (32), fingerprint peer (32);
//   u8 present (bit 0 peer_hash, 1 value, 2 own_nonce, 3 peer_nonce, 4 peer_proof);
//   then each present field, fixed size, in bit order.
#include "spmc/codec.hpp"
#include "spmc/schemes/u2u_scheme.hpp"
#include "spmc/u2u.hpp"

namespace spmc::u2u {

namespace {

constexpr std::uint16_t kStateVersion = 1;

template <std::size_t N>
Result<std::array<std::uint8_t, N>> read_array(codec::Reader& r) {
  SPMC_TRY(const Bytes raw, r.raw(N));
  std::array<std::uint8_t, N> out{};
  std::copy(raw.begin(), raw.end(), out.begin());
  return out;
}

template <std::size_t N>
Status read_optional(codec::Reader& r, bool present,
                     std::optional<std::array<std::uint8_t, N>>& out) {
  if (!present) {
    return ok_status();
  }
  SPMC_TRY(out, read_array<N>(r));
  return ok_status();
}

}  // namespace

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
  codec::Writer w;
  w.u16(kStateVersion);
  w.u8(static_cast<std::uint8_t>(m_profile->id));
  w.u8(static_cast<std::uint8_t>(m_state));
  w.u8(static_cast<std::uint8_t>(m_role));
  w.u8(m_auth_initiator ? 1 : 0);
  w.bytes16(m_secret);
  if (!m_secret.empty()) {
    w.raw(m_fps.self);
    w.raw(m_fps.peer);
  }
  const unsigned present = (m_peer_hash ? 1U : 0U) | (m_value ? 2U : 0U) | (m_own_nonce ? 4U : 0U) |
                           (m_peer_nonce ? 8U : 0U) | (m_peer_proof ? 16U : 0U);
  w.u8(static_cast<std::uint8_t>(present));
  for (const auto* digest : {&m_peer_hash, &m_value}) {
    if (*digest) {
      w.raw(**digest);
    }
  }
  for (const auto* nonce : {&m_own_nonce, &m_peer_nonce}) {
    if (*nonce) {
      w.raw(**nonce);
    }
  }
  if (m_peer_proof) {
    w.raw(*m_peer_proof);
  }
  return w.take();
}

Result<U2uSession> U2uSession::decode_state(const Profile& profile, ByteView in) {
  codec::Reader r(in);
  U2uSession s(profile);
  SPMC_TRY(const std::uint16_t version, r.u16());
  if (version != kStateVersion) {
    return make_error(ErrorCode::kBadVersion, "unknown U2U state version");
  }
  SPMC_TRY(const std::uint8_t profile_id, r.u8());
  SPMC_TRY(const std::uint8_t state, r.u8());
  SPMC_TRY(const std::uint8_t role, r.u8());
  SPMC_TRY(const std::uint8_t initiator, r.u8());
  if (profile_id != static_cast<std::uint8_t>(profile.id) ||
      state > static_cast<std::uint8_t>(State::kFailed) ||
      role > static_cast<std::uint8_t>(Role::kResponder) || initiator > 1) {
    return make_error(ErrorCode::kBadValue, "U2U state field out of range");
  }
  s.m_state = static_cast<State>(state);
  s.m_role = static_cast<Role>(role);
  s.m_auth_initiator = initiator == 1;
  SPMC_TRY(s.m_secret, r.bytes16(0, kMaxSecretBytes));
  if (!s.m_secret.empty()) {
    SPMC_TRY(s.m_fps.self, read_array<32>(r));
    SPMC_TRY(s.m_fps.peer, read_array<32>(r));
  }
  SPMC_TRY(const std::uint8_t present, r.u8());
  if (present > 31) {
    return make_error(ErrorCode::kBadValue, "unknown U2U state field");
  }
  SPMC_TRY_STATUS(read_optional(r, (present & 1U) != 0, s.m_peer_hash));
  SPMC_TRY_STATUS(read_optional(r, (present & 2U) != 0, s.m_value));
  SPMC_TRY_STATUS(read_optional(r, (present & 4U) != 0, s.m_own_nonce));
  SPMC_TRY_STATUS(read_optional(r, (present & 8U) != 0, s.m_peer_nonce));
  SPMC_TRY_STATUS(read_optional(r, (present & 16U) != 0, s.m_peer_proof));
  SPMC_TRY_STATUS(r.expect_end());
  if (!s.invariants_hold()) {
    return make_error(ErrorCode::kBadValue, "U2U state is inconsistent");
  }
  return s;
}

}  // namespace spmc::u2u
