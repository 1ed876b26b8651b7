#include "spmc/result.hpp"

namespace spmc {

std::string_view error_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kTruncated:
      return "truncated";
    case ErrorCode::kTrailingBytes:
      return "trailing_bytes";
    case ErrorCode::kBadVersion:
      return "bad_version";
    case ErrorCode::kBadLength:
      return "bad_length";
    case ErrorCode::kBadValue:
      return "bad_value";
    case ErrorCode::kUnknownSuite:
      return "unknown_suite";
    case ErrorCode::kDecryptFailed:
      return "decrypt_failed";
    case ErrorCode::kBadSignature:
      return "bad_signature";
    case ErrorCode::kBadCertificate:
      return "bad_certificate";
    case ErrorCode::kReplay:
      return "replay";
    case ErrorCode::kStaleTimestamp:
      return "stale_timestamp";
    case ErrorCode::kExpired:
      return "expired";
    case ErrorCode::kCounterTooFarAhead:
      return "counter_too_far_ahead";
    case ErrorCode::kCounterTooOld:
      return "counter_too_old";
    case ErrorCode::kNoSession:
      return "no_session";
    case ErrorCode::kWrongPin:
      return "wrong_pin";
    case ErrorCode::kLocked:
      return "locked";
    case ErrorCode::kQueueFull:
      return "queue_full";
    case ErrorCode::kUnknownUser:
      return "unknown_user";
    case ErrorCode::kNotMember:
      return "not_member";
    case ErrorCode::kU2uMismatch:
      return "u2u_mismatch";
    case ErrorCode::kBadState:
      return "bad_state";
  }
  return "unknown_error";
}

}  // namespace spmc
