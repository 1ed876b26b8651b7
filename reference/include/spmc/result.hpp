#pragma once
// spmc::Result<T>: the value or a typed error, returned at every boundary that sees
// untrusted bytes. The error codes map one-to-one onto spec/errors.md.
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

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

// Held as a tagged union rather than a std::variant: its destructor and moves are one
// inline branch, which the compiler folds away where it knows the state. (A variant's
// destructor is an out-of-line visit; a field-list decoder makes and drops a Status per field,
// and those calls were a measurable share of decoding an envelope: bench BM_ReceiveMessage.)
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_value(std::move(value)), m_ok(true) {}       // NOLINT(implicit)
  Result(Error error) : m_error(std::move(error)), m_ok(false) {}  // NOLINT(implicit)
  Result(const Result& other) : m_ok(other.m_ok) { construct_from(other); }
  Result(Result&& other) noexcept(std::is_nothrow_move_constructible_v<T>) : m_ok(other.m_ok) {
    construct_from(std::move(other));
  }
  Result& operator=(const Result& other) {
    if (this != &other) {
      *this = Result(other);
    }
    return *this;
  }
  Result& operator=(Result&& other) noexcept(std::is_nothrow_move_constructible_v<T>) {
    if (this != &other) {
      destroy();
      m_ok = other.m_ok;
      construct_from(std::move(other));
    }
    return *this;
  }
  ~Result() { destroy(); }

  bool ok() const { return m_ok; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    SPMC_CHECK(ok());
    return m_value;
  }
  const T& value() const& {
    SPMC_CHECK(ok());
    return m_value;
  }
  T&& value() && {
    SPMC_CHECK(ok());
    return std::move(m_value);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    SPMC_CHECK(!ok());
    return m_error;
  }
  ErrorCode code() const { return error().code; }

 private:
  // Constructs the member other holds; m_ok is already other's.
  template <typename R>
  void construct_from(R&& other) {
    if (m_ok) {
      std::construct_at(&m_value, std::forward<R>(other).m_value);
    } else {
      std::construct_at(&m_error, std::forward<R>(other).m_error);
    }
  }
  void destroy() {
    if (m_ok) {
      std::destroy_at(&m_value);
    } else {
      std::destroy_at(&m_error);
    }
  }
  union {
    T m_value;
    Error m_error;
  };
  bool m_ok;
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
