#include "spmc/live/errors.hpp"

#include <array>
#include <string>
#include <utility>

namespace spmc::live {
namespace {

struct FaultRow {
  Fault fault;
  std::string_view name;
  ErrorCode code;
};

constexpr std::array<FaultRow, 18> kFaults{{
    {Fault::kBadTopic, "bad_topic", ErrorCode::kBadValue},
    {Fault::kTopicTooLong, "topic_too_long", ErrorCode::kBadLength},
    {Fault::kFrameTooLarge, "frame_too_large", ErrorCode::kBadLength},
    {Fault::kBrokerMissing, "broker_missing", ErrorCode::kBadState},
    {Fault::kBrokerFailed, "broker_failed", ErrorCode::kBadState},
    {Fault::kConnectFailed, "connect_failed", ErrorCode::kBadState},
    {Fault::kNotConnected, "not_connected", ErrorCode::kBadState},
    {Fault::kConnectionLost, "connection_lost", ErrorCode::kBadState},
    {Fault::kRefused, "refused", ErrorCode::kBadState},
    {Fault::kTimeout, "timeout", ErrorCode::kBadState},
    {Fault::kCallback, "callback_failed", ErrorCode::kBadState},
    {Fault::kTls, "tls_failed", ErrorCode::kBadState},
    {Fault::kPki, "pki_failed", ErrorCode::kBadState},
    {Fault::kLibrary, "library", ErrorCode::kBadState},
    {Fault::kStoreForeign, "store_foreign", ErrorCode::kBadValue},
    {Fault::kStoreVersion, "store_version", ErrorCode::kBadVersion},
    {Fault::kStoreCorrupt, "store_corrupt", ErrorCode::kBadValue},
    {Fault::kStoreFailed, "store_failed", ErrorCode::kBadState},
}};

const FaultRow& row_of(Fault fault) {
  for (const FaultRow& row : kFaults) {
    if (row.fault == fault) {
      return row;
    }
  }
  SPMC_CHECK(false);
  return kFaults[0];
}

}  // namespace

std::string_view fault_name(Fault fault) { return row_of(fault).name; }

Error live_error(Fault fault, std::string_view detail) {
  const FaultRow& row = row_of(fault);
  std::string text(row.name);
  text += ": ";
  text += detail;
  return make_error(row.code, std::move(text));
}

std::optional<Fault> fault_of(const Error& error) {
  for (const FaultRow& row : kFaults) {
    const std::string_view detail = error.detail;
    if (detail.size() > row.name.size() && detail.starts_with(row.name) &&
        detail.substr(row.name.size()).starts_with(": ") && error.code == row.code) {
      return row.fault;
    }
  }
  return std::nullopt;
}

}  // namespace spmc::live
