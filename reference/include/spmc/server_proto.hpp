#pragma once
// Phone <-> chat server messages (spec/server.md, SRV-001..). They travel as payloads of
// the reliable channel. The server never sees a key or a plaintext: key shares and
// envelopes are opaque `payload` bytes to it (Req8).
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "spmc/bytes.hpp"
#include "spmc/result.hpp"

namespace spmc::proto {

inline constexpr std::size_t kMaxIdLength = 64;
inline constexpr std::size_t kMaxEmailLength = 254;
inline constexpr std::size_t kMaxPasswordLength = 128;
inline constexpr std::size_t kMaxCertLength = 512;
inline constexpr std::size_t kMaxRelayPayload = 70000;
inline constexpr std::size_t kMaxRevoked = 100000;

enum class PayloadKind : std::uint8_t { kKeyShare = 1, kEnvelope = 2 };

// Requests, phone -> server. Every request carries a request id echoed by the reply.
struct SignUp {
  std::string email;
  Bytes password;
};  // type 1
struct VerifyEmail {
  std::string user_id;
  std::string code;
};  // type 2
struct Login {
  std::string user_id;
  Bytes password;
};  // type 3
struct RequestCertificates {
  Bytes sign_public;
  Bytes enc_public;
};                   // type 4
struct TimeSync {};  // type 5
struct AddContact {
  std::string target;
}; /* user id or email */  // type 6
struct AcceptContact {
  std::string requester;
};  // type 7
struct Send {
  std::string to;
  PayloadKind kind;
  Bytes payload;
};  // type 8
struct Ack {
  std::uint64_t message_id;
};  // type 9

// Replies and pushes, server -> phone.
struct Ok {};  // type 64
struct Failure {
  std::uint16_t code;
  std::string detail;
};  // type 65
struct SignedUp {
  std::string user_id;
};  // type 66
struct LoggedIn {
  std::uint64_t server_time_ms;
  std::vector<std::uint64_t> revoked;
};  // 67
struct Certificates {
  Bytes sign_cert;
  Bytes enc_cert;
};  // type 68
struct Time {
  std::uint64_t server_time_ms;
};  // type 69
struct ContactRequest {
  std::uint64_t message_id;
  std::string from;
  Bytes sign_cert;
  Bytes enc_cert;
};  // type 70
// Also pushed when a contact reinstalled and holds new certificates (STO-005).
struct ContactAdded {
  std::uint64_t message_id;
  std::string user_id;
  Bytes sign_cert;
  Bytes enc_cert;
};                // type 71
struct Deliver {  // type 72
  std::uint64_t message_id;
  std::string from;
  PayloadKind kind;
  std::uint64_t server_time_ms;
  Bytes payload;
};
struct Accepted {
  std::uint64_t message_id;
};  // type 73

using Body = std::variant<SignUp, VerifyEmail, Login, RequestCertificates, TimeSync, AddContact,
                          AcceptContact, Send, Ack, Ok, Failure, SignedUp, LoggedIn, Certificates,
                          Time, ContactRequest, ContactAdded, Deliver, Accepted>;

struct Message {
  std::uint32_t request_id = 0;  // 0 for unsolicited pushes
  Body body;
};

Bytes encode(const Message& message);
Result<Message> decode(ByteView bytes);
std::string_view type_name(const Body& body);

}  // namespace spmc::proto
