// U2U authentication state machine (paper section 3.5, Fig. 4; U2U-001..010).
#include "spmc/u2u.hpp"

#include "spmc/codec.hpp"
#include "spmc/schemes/u2u_scheme.hpp"

namespace spmc::u2u {

namespace {

Status check_secret(std::string_view secret) {
  if (secret.empty() || secret.size() > kMaxSecretBytes) {
    return make_error(ErrorCode::kBadLength, "secret must be 1..256 bytes");
  }
  return ok_status();
}

Error bad_state(State state, std::string_view what) {
  return make_error(ErrorCode::kBadState,
                    std::string(what) + " not valid in state " + std::string(state_name(state)));
}

bool is_settled(State s) {
  return s == State::kEstablished || s == State::kAuthenticated || s == State::kFailed;
}

}  // namespace

// ---- opt-in phase ----

Result<Outgoing> U2uSession::request_optin() {
  if (m_state != State::kIdle) {
    return bad_state(m_state, "request_optin");
  }
  m_state = State::kOptinRequested;
  m_role = Role::kInitiator;
  return Outgoing{{Message{MessageType::kOptinRequest, {}, {}}}};
}

Result<Outgoing> U2uSession::accept_optin() {
  if (m_state != State::kOptinReceived) {
    return bad_state(m_state, "accept_optin");
  }
  m_state = State::kExchanging;
  return Outgoing{{Message{MessageType::kOptinAccept, {}, {}}}};
}

Result<Outgoing> U2uSession::provide_secret(std::string_view secret, const KeyFingerprints& fps) {
  if (m_state != State::kExchanging || !m_secret.empty()) {
    return bad_state(m_state, "provide_secret");
  }
  SPMC_TRY_STATUS(check_secret(secret));
  m_secret.assign(secret.begin(), secret.end());
  m_fps = fps;
  // U2U-002: the phone sends h_self = SHA-256(secret).
  Outgoing out{{Message{MessageType::kHash, {}, secret_hash(secret)}}};
  return finish_exchange_if_ready(std::move(out));
}

Result<Outgoing> U2uSession::on_optin_request() {
  if (m_state != State::kIdle) {
    return bad_state(m_state, "optin_request");
  }
  m_state = State::kOptinReceived;
  m_role = Role::kResponder;
  return Outgoing{};
}

Result<Outgoing> U2uSession::on_optin_accept() {
  if (m_state != State::kOptinRequested) {
    return bad_state(m_state, "optin_accept");
  }
  m_state = State::kExchanging;
  return Outgoing{};
}

Result<Outgoing> U2uSession::on_hash(const Message& message) {
  if (m_state != State::kExchanging || m_peer_hash) {
    return bad_state(m_state, "u2u_hash");
  }
  m_peer_hash = *message.digest;
  return finish_exchange_if_ready(Outgoing{});
}

Outgoing U2uSession::finish_exchange_if_ready(Outgoing out) {
  if (m_secret.empty() || !m_peer_hash) {
    return out;
  }
  const std::string_view secret(reinterpret_cast<const char*>(m_secret.data()), m_secret.size());
  m_value = scheme().value(secret, *m_peer_hash, m_fps, m_role);
  if (!scheme().keeps_peer_hash()) {
    m_peer_hash.reset();
  }
  m_state = State::kEstablished;
  clear_transient();
  SPMC_CHECK(invariants_hold());
  return out;
}

// ---- authentication phase ----

Result<Outgoing> U2uSession::request_auth(Rng& rng) {
  if (!is_settled(m_state)) {
    return bad_state(m_state, "request_auth");
  }
  clear_transient();
  m_auth_initiator = true;
  m_state = State::kAuthRequested;
  m_own_nonce = scheme().request_nonce(rng);
  return Outgoing{{Message{MessageType::kAuthRequest, m_own_nonce, {}}}};
}

Result<Outgoing> U2uSession::on_auth_request(const Message& message) {
  if (!is_settled(m_state)) {
    return bad_state(m_state, "u2u_auth_request");
  }
  clear_transient();
  m_auth_initiator = false;
  m_state = State::kAuthRequested;
  m_peer_nonce = message.nonce;
  return Outgoing{};
}

Result<Outgoing> U2uSession::provide_auth_secret(Rng& rng, std::string_view secret,
                                                 const KeyFingerprints& fps) {
  if (m_state != State::kAuthRequested || !m_secret.empty()) {
    return bad_state(m_state, "provide_auth_secret");
  }
  SPMC_TRY_STATUS(check_secret(secret));
  m_secret.assign(secret.begin(), secret.end());
  m_fps = fps;
  AuthRound round = auth_round();
  Outgoing out{scheme().on_auth_secret(rng, round)};
  m_own_nonce = round.own_nonce;
  return finish_auth_if_ready(std::move(out));
}

Result<Outgoing> U2uSession::on_auth_response(const Message& message) {
  if (m_state != State::kAuthRequested || m_peer_proof) {
    return bad_state(m_state, "u2u_auth_response");
  }
  AuthRound round = auth_round();
  SPMC_TRY_STATUS(scheme().admit_response(message, round));
  m_peer_nonce = round.peer_nonce;
  m_peer_proof = message.digest;
  return finish_auth_if_ready(Outgoing{});
}

Outgoing U2uSession::finish_auth_if_ready(Outgoing out) {
  if (m_secret.empty() || !m_peer_proof) {
    SPMC_CHECK(invariants_hold());
    return out;
  }
  const bool ok = scheme().finish(auth_round(), out.messages);
  m_state = ok ? State::kAuthenticated : State::kFailed;
  clear_transient();
  SPMC_CHECK(invariants_hold());
  return out;
}

const U2uScheme& U2uSession::scheme() const { return *m_profile->u2u; }

AuthRound U2uSession::auth_round() const {
  return AuthRound{
      .initiator = m_auth_initiator,
      .secret = std::string_view(reinterpret_cast<const char*>(m_secret.data()), m_secret.size()),
      .fps = m_fps,
      .role = m_role,
      .peer_hash = m_peer_hash,
      .value = m_value,
      .own_nonce = m_own_nonce,
      .peer_nonce = m_peer_nonce,
      .peer_proof = m_peer_proof,
  };
}

void U2uSession::clear_transient() {
  secure_wipe(m_secret);
  m_secret.clear();
  m_fps = {};
  m_own_nonce.reset();
  m_peer_nonce.reset();
  m_peer_proof.reset();
  if (m_state != State::kAuthRequested) {
    m_auth_initiator = false;
  }
}

Status U2uSession::check_shape(const Message& message) const {
  if (!shape_allowed(message)) {
    return make_error(ErrorCode::kBadValue, "U2U message has the wrong fields for its type");
  }
  const bool wants_nonce =
      message.type == MessageType::kAuthRequest || message.type == MessageType::kAuthResponse;
  if (wants_nonce && message.nonce.has_value() != scheme().challenges()) {
    return make_error(ErrorCode::kBadValue, "U2U nonce presence does not match the profile");
  }
  return ok_status();
}

Result<Outgoing> U2uSession::handle(const Message& message) {
  SPMC_TRY_STATUS(check_shape(message));
  switch (message.type) {
    case MessageType::kOptinRequest:
      return on_optin_request();
    case MessageType::kOptinAccept:
      return on_optin_accept();
    case MessageType::kHash:
      return on_hash(message);
    case MessageType::kAuthRequest:
      return on_auth_request(message);
    case MessageType::kAuthResponse:
      return on_auth_response(message);
  }
  return make_error(ErrorCode::kBadValue, "unknown U2U message type");
}

Status U2uSession::auth_status() const {
  if (m_state == State::kAuthenticated) {
    return ok_status();
  }
  if (m_state == State::kFailed) {
    return make_error(ErrorCode::kU2uMismatch, "U2U values do not match");
  }
  return bad_state(m_state, "auth_status");
}

}  // namespace spmc::u2u
