#pragma once
// spmc::Result<T>: the value or a typed error, returned at every boundary that sees
// untrusted bytes. The error codes map one-to-one onto spec/errors.md.
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "spmc/check.hpp"

namespace spmc {

// Keep in the order and with the names of spec/errors.md (ERR-xxx).
enum class ErrorCode {
  kTruncated = 1,       // ERR-001 input ended before the structure did
  kTrailingBytes,       // ERR-002 bytes left after a complete structure
  kBadVersion,          // ERR-003 unknown protocol version
  kBadLength,           // ERR-004 a length field is out of its allowed range
  kBadValue,            // ERR-005 an enum or flag has an unknown value
  kUnknownSuite,        // ERR-006 cipher suite not in the registry
  kDecryptFailed,       // ERR-007 AEAD or public-key decryption failed
  kBadSignature,        // ERR-008 signature does not verify
  kBadCertificate,      // ERR-009 certificate invalid, expired, revoked or for another user
  kReplay,              // ERR-010 key share or message already seen
  kStaleTimestamp,      // ERR-011 timestamp outside the allowed window
  kExpired,             // ERR-012 key lifetime has ended
  kCounterTooFarAhead,  // ERR-013 counter beyond the forward window
  kCounterTooOld,       // ERR-014 counter below the window and no skipped key kept
  kNoSession,           // ERR-015 no key share accepted from this sender
  kWrongPin,            // ERR-016 wrong PIN, tries remain
  kLocked,              // ERR-017 store locked after three wrong PINs
  kQueueFull,           // ERR-018 a bounded queue is full
  kUnknownUser,         // ERR-019 user id not known
  kNotMember,           // ERR-020 not a member of the group
  kU2uMismatch,         // ERR-021 U2U value does not match
  kBadState,            // ERR-022 message not valid in the current protocol state
};

std::string_view error_name(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string detail;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}      // NOLINT(implicit)
  Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}  // NOLINT(implicit)

  bool ok() const { return m_v.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    SPMC_CHECK(ok());
    return std::get<0>(m_v);
  }
  const T& value() const& {
    SPMC_CHECK(ok());
    return std::get<0>(m_v);
  }
  T&& value() && {
    SPMC_CHECK(ok());
    return std::get<0>(std::move(m_v));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    SPMC_CHECK(!ok());
    return std::get<1>(m_v);
  }
  ErrorCode code() const { return error().code; }

 private:
  std::variant<T, Error> m_v;
};

// Result<void>.
struct Unit {};
using Status = Result<Unit>;
inline Status ok_status() { return Unit{}; }

inline Error make_error(ErrorCode code, std::string detail) {
  return Error{code, std::move(detail)};
}

}  // namespace spmc

// Propagate an error from an expression returning Result<T>, else bind the value.
#define SPMC_CONCAT_INNER(a, b) a##b
#define SPMC_CONCAT(a, b) SPMC_CONCAT_INNER(a, b)
// `tmp` is a name and `decl` a declaration: parentheses around them would not parse.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define SPMC_TRY_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                   \
  if (!tmp.ok()) {                     \
    return tmp.error();                \
  }                                    \
  decl = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
#define SPMC_TRY(decl, expr) SPMC_TRY_IMPL(SPMC_CONCAT(spmc_try_, __LINE__), decl, expr)
#define SPMC_TRY_STATUS(expr)  \
  do {                         \
    auto spmc_st_ = (expr);    \
    if (!spmc_st_.ok()) {      \
      return spmc_st_.error(); \
    }                          \
  } while (false)
