// U2U message bodies (content types 2..6 of ENV-003; U2U-001..003, U2U-010).
#include "spmc/codec.hpp"
#include "spmc/u2u.hpp"

namespace spmc::u2u {

namespace {

constexpr std::size_t kNonceSize = 16;
constexpr std::size_t kDigestSize = 32;

// The body lengths each content type may have (every shape has one fixed length).
bool length_allowed(MessageType type, std::size_t n) {
  switch (type) {
    case MessageType::kOptinRequest:
    case MessageType::kOptinAccept:
      return n == 0;
    case MessageType::kHash:
      return n == kDigestSize;
    case MessageType::kAuthRequest:
      return n == 0 || n == kNonceSize;
    case MessageType::kAuthResponse:
      return n == kDigestSize || n == kNonceSize + kDigestSize;
  }
  return false;
}

}  // namespace

bool shape_allowed(const Message& m) {
  switch (m.type) {
    case MessageType::kOptinRequest:
    case MessageType::kOptinAccept:
      return !m.nonce && !m.digest;
    case MessageType::kHash:
      return !m.nonce && m.digest;
    case MessageType::kAuthRequest:
      return !m.digest;
    case MessageType::kAuthResponse:
      return m.digest.has_value();
  }
  return false;
}

std::string_view state_name(State state) {
  switch (state) {
    case State::kIdle:
      return "idle";
    case State::kOptinRequested:
      return "optin_requested";
    case State::kOptinReceived:
      return "optin_received";
    case State::kExchanging:
      return "exchanging";
    case State::kEstablished:
      return "established";
    case State::kAuthRequested:
      return "auth_requested";
    case State::kAuthenticated:
      return "authenticated";
    case State::kFailed:
      return "failed";
  }
  return "unknown";
}

Bytes encode_body(const Message& message) {
  SPMC_CHECK(shape_allowed(message));
  return wire::encode(message);
}

Result<Message> decode_body(std::uint8_t content_type, ByteView body) {
  if (content_type < 2 || content_type > 6) {
    return make_error(ErrorCode::kBadValue, "not a U2U content type");
  }
  Message m;
  m.type = static_cast<MessageType>(content_type);
  if (!length_allowed(m.type, body.size())) {
    return make_error(ErrorCode::kBadLength, "U2U body length not allowed for its type");
  }
  if (body.size() == kNonceSize || body.size() == kNonceSize + kDigestSize) {
    m.nonce.emplace();
  }
  if (body.size() == kDigestSize || body.size() == kNonceSize + kDigestSize) {
    m.digest.emplace();
  }
  codec::Reader r(body);
  SPMC_TRY_STATUS(wire::read(r, m));
  SPMC_TRY_STATUS(r.expect_end());
  return m;
}

}  // namespace spmc::u2u
