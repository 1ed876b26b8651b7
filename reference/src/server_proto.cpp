// One schema-like encode/decode pair for every server message (SRV-001).
#include "spmc/server_proto.hpp"

#include "spmc/codec.hpp"

namespace spmc::proto {

namespace {

using codec::Reader;
using codec::Writer;

constexpr std::uint8_t kTypeOf[] = {1,  2,  3,  4,  5,  6,  7,  8,  9, 64,
                                    65, 66, 67, 68, 69, 70, 71, 72, 73};

void put(Writer& w, const SignUp& m) {
  w.string16(m.email);
  w.bytes16(m.password);
}
void put(Writer& w, const VerifyEmail& m) {
  w.string16(m.user_id);
  w.string16(m.code);
}
void put(Writer& w, const Login& m) {
  w.string16(m.user_id);
  w.bytes16(m.password);
}
void put(Writer& w, const RequestCertificates& m) {
  w.bytes16(m.sign_public);
  w.bytes16(m.enc_public);
}
void put(Writer&, const TimeSync&) {}
void put(Writer& w, const AddContact& m) { w.string16(m.target); }
void put(Writer& w, const AcceptContact& m) { w.string16(m.requester); }
void put(Writer& w, const Send& m) {
  w.string16(m.to);
  w.u8(static_cast<std::uint8_t>(m.kind));
  w.bytes32(m.payload);
}
void put(Writer& w, const Ack& m) { w.u64(m.message_id); }
void put(Writer&, const Ok&) {}
void put(Writer& w, const Failure& m) {
  w.u16(m.code);
  w.string16(m.detail);
}
void put(Writer& w, const SignedUp& m) { w.string16(m.user_id); }
void put(Writer& w, const LoggedIn& m) {
  w.u64(m.server_time_ms);
  w.u32(static_cast<std::uint32_t>(m.revoked.size()));
  for (std::uint64_t s : m.revoked) {
    w.u64(s);
  }
}
void put(Writer& w, const Certificates& m) {
  w.bytes16(m.sign_cert);
  w.bytes16(m.enc_cert);
}
void put(Writer& w, const Time& m) { w.u64(m.server_time_ms); }
void put(Writer& w, const ContactRequest& m) {
  w.u64(m.message_id);
  w.string16(m.from);
  w.bytes16(m.sign_cert);
  w.bytes16(m.enc_cert);
}
void put(Writer& w, const ContactAdded& m) {
  w.u64(m.message_id);
  w.string16(m.user_id);
  w.bytes16(m.sign_cert);
  w.bytes16(m.enc_cert);
}
void put(Writer& w, const Deliver& m) {
  w.u64(m.message_id);
  w.string16(m.from);
  w.u8(static_cast<std::uint8_t>(m.kind));
  w.u64(m.server_time_ms);
  w.bytes32(m.payload);
}
void put(Writer& w, const Accepted& m) { w.u64(m.message_id); }

Result<std::string> id(Reader& r) { return r.string16(1, kMaxIdLength); }
Result<Bytes> cert(Reader& r) { return r.bytes16(1, kMaxCertLength); }
Result<PayloadKind> kind(Reader& r) {
  SPMC_TRY(std::uint8_t k, r.u8());
  if (k != 1 && k != 2) {
    return make_error(ErrorCode::kBadValue, "payload kind " + std::to_string(k));
  }
  return static_cast<PayloadKind>(k);
}

Result<Body> get_body(std::uint8_t type, Reader& r) {
  switch (type) {
    case 1: {
      SignUp m;
      SPMC_TRY(m.email, r.string16(3, kMaxEmailLength));
      SPMC_TRY(m.password, r.bytes16(1, kMaxPasswordLength));
      return Body{m};
    }
    case 2: {
      VerifyEmail m;
      SPMC_TRY(m.user_id, id(r));
      SPMC_TRY(m.code, r.string16(1, 32));
      return Body{m};
    }
    case 3: {
      Login m;
      SPMC_TRY(m.user_id, id(r));
      SPMC_TRY(m.password, r.bytes16(1, kMaxPasswordLength));
      return Body{m};
    }
    case 4: {
      RequestCertificates m;
      SPMC_TRY(m.sign_public, r.bytes16(32, 32));
      SPMC_TRY(m.enc_public, r.bytes16(32, 32));
      return Body{m};
    }
    case 5:
      return Body{TimeSync{}};
    case 6: {
      AddContact m;
      SPMC_TRY(m.target, r.string16(1, kMaxEmailLength));
      return Body{m};
    }
    case 7: {
      AcceptContact m;
      SPMC_TRY(m.requester, id(r));
      return Body{m};
    }
    case 8: {
      Send m;
      SPMC_TRY(m.to, id(r));
      SPMC_TRY(m.kind, kind(r));
      SPMC_TRY(m.payload, r.bytes32(1, kMaxRelayPayload));
      return Body{m};
    }
    case 9: {
      Ack m{};
      SPMC_TRY(m.message_id, r.u64());
      return Body{m};
    }
    case 64:
      return Body{Ok{}};
    case 65: {
      Failure m{};
      SPMC_TRY(m.code, r.u16());
      SPMC_TRY(m.detail, r.string16(0, 256));
      return Body{m};
    }
    case 66: {
      SignedUp m;
      SPMC_TRY(m.user_id, id(r));
      return Body{m};
    }
    case 67: {
      LoggedIn m{};
      SPMC_TRY(m.server_time_ms, r.u64());
      SPMC_TRY(std::uint32_t n, r.u32());
      if (n > kMaxRevoked || n * 8ULL > r.remaining()) {
        return make_error(ErrorCode::kBadLength, "revocation list length " + std::to_string(n));
      }
      m.revoked.resize(n);
      for (auto& s : m.revoked) {
        SPMC_TRY(s, r.u64());
      }
      return Body{m};
    }
    case 68: {
      Certificates m;
      SPMC_TRY(m.sign_cert, cert(r));
      SPMC_TRY(m.enc_cert, cert(r));
      return Body{m};
    }
    case 69: {
      Time m{};
      SPMC_TRY(m.server_time_ms, r.u64());
      return Body{m};
    }
    case 70: {
      ContactRequest m;
      SPMC_TRY(m.message_id, r.u64());
      SPMC_TRY(m.from, id(r));
      SPMC_TRY(m.sign_cert, cert(r));
      SPMC_TRY(m.enc_cert, cert(r));
      return Body{m};
    }
    case 71: {
      ContactAdded m;
      SPMC_TRY(m.message_id, r.u64());
      SPMC_TRY(m.user_id, id(r));
      SPMC_TRY(m.sign_cert, cert(r));
      SPMC_TRY(m.enc_cert, cert(r));
      return Body{m};
    }
    case 72: {
      Deliver m{};
      SPMC_TRY(m.message_id, r.u64());
      SPMC_TRY(m.from, id(r));
      SPMC_TRY(m.kind, kind(r));
      SPMC_TRY(m.server_time_ms, r.u64());
      SPMC_TRY(m.payload, r.bytes32(1, kMaxRelayPayload));
      return Body{m};
    }
    case 73: {
      Accepted m{};
      SPMC_TRY(m.message_id, r.u64());
      return Body{m};
    }
    default:
      break;
  }
  return make_error(ErrorCode::kBadValue, "message type " + std::to_string(type));
}

}  // namespace

Bytes encode(const Message& message) {
  Writer w;
  w.u8(kTypeOf[message.body.index()]);
  w.u32(message.request_id);
  std::visit([&w](const auto& m) { put(w, m); }, message.body);
  return w.take();
}

Result<Message> decode(ByteView bytes) {
  Reader r(bytes);
  SPMC_TRY(std::uint8_t type, r.u8());
  Message m;
  SPMC_TRY(m.request_id, r.u32());
  SPMC_TRY(m.body, get_body(type, r));
  SPMC_TRY_STATUS(r.expect_end());
  return m;
}

std::string_view type_name(const Body& body) {
  static constexpr std::string_view kNames[] = {
      "sign_up",       "verify_email", "login",          "request_certificates",
      "time_sync",     "add_contact",  "accept_contact", "send",
      "ack",           "ok",           "failure",        "signed_up",
      "logged_in",     "certificates", "time",           "contact_request",
      "contact_added", "deliver",      "accepted"};
  return kNames[body.index()];
}

}  // namespace spmc::proto
