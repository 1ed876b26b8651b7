#pragma once
// Phone <-> chat server messages (spec/server.md, SRV-001..). They travel as payloads of
// the reliable channel. The server never sees a key or a plaintext: key shares and
// envelopes are opaque `payload` bytes to it (Req8).
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "spmc/bytes.hpp"
#include "spmc/result.hpp"
#include "spmc/wire.hpp"

namespace spmc::proto {

inline constexpr std::size_t kMaxIdLength = wire::kMaxIdLength;
inline constexpr std::size_t kMaxEmailLength = 254;
inline constexpr std::size_t kMaxPasswordLength = 128;
inline constexpr std::size_t kMaxCertLength = 512;
inline constexpr std::size_t kMaxRelayPayload = 70000;
inline constexpr std::size_t kMaxRevoked = 100000;

enum class PayloadKind : std::uint8_t { kKeyShare = 1, kEnvelope = 2 };

// The field traits the messages share; each carries its bound.
using Email = wire::Str16<3, kMaxEmailLength>;
using Password = wire::Bytes16<1, kMaxPasswordLength>;
using PublicKey = wire::Bytes16<32, 32>;
using Cert = wire::Bytes16<1, kMaxCertLength>;
using Kind =
    wire::Enum<PayloadKind, PayloadKind::kKeyShare, PayloadKind::kEnvelope, "payload kind">;
using Payload = wire::Bytes32<1, kMaxRelayPayload>;
using Revoked = wire::List<std::uint32_t, wire::U64, kMaxRevoked, "revocation list">;

// Each message declares its type code, its trace name and its fields once (wire.hpp);
// adding one is that declaration plus its alternative in Body below.

// Requests, phone -> server. Every request carries a request id echoed by the reply.
struct SignUp {
  static constexpr std::uint8_t kType = 1;
  static constexpr std::string_view kName = "sign_up";
  std::string email;
  Bytes password;
  static auto fields(auto& m) { return wire::fields<Email, Password>(m.email, m.password); }
};
struct VerifyEmail {
  static constexpr std::uint8_t kType = 2;
  static constexpr std::string_view kName = "verify_email";
  std::string user_id;
  std::string code;
  static auto fields(auto& m) {
    return wire::fields<wire::Id, wire::Str16<1, 32>>(m.user_id, m.code);
  }
};
struct Login {
  static constexpr std::uint8_t kType = 3;
  static constexpr std::string_view kName = "login";
  std::string user_id;
  Bytes password;
  static auto fields(auto& m) { return wire::fields<wire::Id, Password>(m.user_id, m.password); }
};
struct RequestCertificates {
  static constexpr std::uint8_t kType = 4;
  static constexpr std::string_view kName = "request_certificates";
  Bytes sign_public;
  Bytes enc_public;
  static auto fields(auto& m) {
    return wire::fields<PublicKey, PublicKey>(m.sign_public, m.enc_public);
  }
};
struct TimeSync {
  static constexpr std::uint8_t kType = 5;
  static constexpr std::string_view kName = "time_sync";
  static auto fields(auto&) { return wire::fields<>(); }
};
struct AddContact {
  static constexpr std::uint8_t kType = 6;
  static constexpr std::string_view kName = "add_contact";
  std::string target;  // user id or email
  static auto fields(auto& m) { return wire::fields<wire::Str16<1, kMaxEmailLength>>(m.target); }
};
struct AcceptContact {
  static constexpr std::uint8_t kType = 7;
  static constexpr std::string_view kName = "accept_contact";
  std::string requester;
  static auto fields(auto& m) { return wire::fields<wire::Id>(m.requester); }
};
struct Send {
  static constexpr std::uint8_t kType = 8;
  static constexpr std::string_view kName = "send";
  std::string to;
  PayloadKind kind;
  Bytes payload;
  static auto fields(auto& m) {
    return wire::fields<wire::Id, Kind, Payload>(m.to, m.kind, m.payload);
  }
};
struct Ack {
  static constexpr std::uint8_t kType = 9;
  static constexpr std::string_view kName = "ack";
  std::uint64_t message_id;
  static auto fields(auto& m) { return wire::fields<wire::U64>(m.message_id); }
};

// Replies and pushes, server -> phone.
struct Ok {
  static constexpr std::uint8_t kType = 64;
  static constexpr std::string_view kName = "ok";
  static auto fields(auto&) { return wire::fields<>(); }
};
struct Failure {
  static constexpr std::uint8_t kType = 65;
  static constexpr std::string_view kName = "failure";
  std::uint16_t code;
  std::string detail;
  static auto fields(auto& m) {
    return wire::fields<wire::U16, wire::Str16<0, 256>>(m.code, m.detail);
  }
};
struct SignedUp {
  static constexpr std::uint8_t kType = 66;
  static constexpr std::string_view kName = "signed_up";
  std::string user_id;
  static auto fields(auto& m) { return wire::fields<wire::Id>(m.user_id); }
};
struct LoggedIn {
  static constexpr std::uint8_t kType = 67;
  static constexpr std::string_view kName = "logged_in";
  std::uint64_t server_time_ms;
  std::vector<std::uint64_t> revoked;
  static auto fields(auto& m) {
    return wire::fields<wire::U64, Revoked>(m.server_time_ms, m.revoked);
  }
};
struct Certificates {
  static constexpr std::uint8_t kType = 68;
  static constexpr std::string_view kName = "certificates";
  Bytes sign_cert;
  Bytes enc_cert;
  static auto fields(auto& m) { return wire::fields<Cert, Cert>(m.sign_cert, m.enc_cert); }
};
struct Time {
  static constexpr std::uint8_t kType = 69;
  static constexpr std::string_view kName = "time";
  std::uint64_t server_time_ms;
  static auto fields(auto& m) { return wire::fields<wire::U64>(m.server_time_ms); }
};
struct ContactRequest {
  static constexpr std::uint8_t kType = 70;
  static constexpr std::string_view kName = "contact_request";
  std::uint64_t message_id;
  std::string from;
  Bytes sign_cert;
  Bytes enc_cert;
  static auto fields(auto& m) {
    return wire::fields<wire::U64, wire::Id, Cert, Cert>(m.message_id, m.from, m.sign_cert,
                                                         m.enc_cert);
  }
};
// Also pushed when a contact reinstalled and holds new certificates (STO-005).
struct ContactAdded {
  static constexpr std::uint8_t kType = 71;
  static constexpr std::string_view kName = "contact_added";
  std::uint64_t message_id;
  std::string user_id;
  Bytes sign_cert;
  Bytes enc_cert;
  static auto fields(auto& m) {
    return wire::fields<wire::U64, wire::Id, Cert, Cert>(m.message_id, m.user_id, m.sign_cert,
                                                         m.enc_cert);
  }
};
struct Deliver {
  static constexpr std::uint8_t kType = 72;
  static constexpr std::string_view kName = "deliver";
  std::uint64_t message_id;
  std::string from;
  PayloadKind kind;
  std::uint64_t server_time_ms;
  Bytes payload;
  static auto fields(auto& m) {
    return wire::fields<wire::U64, wire::Id, Kind, wire::U64, Payload>(m.message_id, m.from, m.kind,
                                                                       m.server_time_ms, m.payload);
  }
};
struct Accepted {
  static constexpr std::uint8_t kType = 73;
  static constexpr std::string_view kName = "accepted";
  std::uint64_t message_id;
  static auto fields(auto& m) { return wire::fields<wire::U64>(m.message_id); }
};

// The registration: a message is on the wire once it is an alternative here.
using Body = std::variant<SignUp, VerifyEmail, Login, RequestCertificates, TimeSync, AddContact,
                          AcceptContact, Send, Ack, Ok, Failure, SignedUp, LoggedIn, Certificates,
                          Time, ContactRequest, ContactAdded, Deliver, Accepted>;
using Bodies = wire::Registry<Body, "message type">;

struct Message {
  std::uint32_t request_id = 0;  // 0 for unsolicited pushes
  Body body;
};

Bytes encode(const Message& message);
Result<Message> decode(ByteView bytes);
std::string_view type_name(const Body& body);

}  // namespace spmc::proto
