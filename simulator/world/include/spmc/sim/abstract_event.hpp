#pragma once
// The abstract trace alphabet of the SPIN models (models/common/events.pml, models/README.md)
// as an enum with one name table: the codes are those of events.pml and the names those the
// projections write and models/check_trace.py reads (from models/names.json). The CTest
// models.names checks the three against each other.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

namespace spmc::sim {

enum class AbstractEvent : std::uint8_t {
  kKeyshareSend = 1,
  kKeyshareAccept,
  kKeyshareReject,
  kMsgSend,
  kMsgDeliver,
  kMsgReject,
  kMsgDrop,
  kMsgDup,
  kStorePut,
  kStorePush,
  kStoreAck,
  kStoreDelete,
  kPhoneOnline,
  kPhoneOffline,
  kClockTick,
  kGroupRemove,
  kGroupMsgSend,
  kGroupMsgRead,
  kCertIssue,
  kU2uOptin,
  kU2uHashSend,
  kU2uHashRecv,
  kU2uAuthSend,
  kU2uAuthOk,
  kU2uAuthFail,
  kServerRead,
  kFaultsOff,  // the last event: a new one goes above, into the table and events.pml
};

// Entry i names the event whose code is i + 1 (checked below).
inline constexpr std::array<std::pair<AbstractEvent, std::string_view>, 27> kAbstractEventNames{{
    {AbstractEvent::kKeyshareSend, "keyshare_send"},
    {AbstractEvent::kKeyshareAccept, "keyshare_accept"},
    {AbstractEvent::kKeyshareReject, "keyshare_reject"},
    {AbstractEvent::kMsgSend, "msg_send"},
    {AbstractEvent::kMsgDeliver, "msg_deliver"},
    {AbstractEvent::kMsgReject, "msg_reject"},
    {AbstractEvent::kMsgDrop, "msg_drop"},
    {AbstractEvent::kMsgDup, "msg_dup"},
    {AbstractEvent::kStorePut, "store_put"},
    {AbstractEvent::kStorePush, "store_push"},
    {AbstractEvent::kStoreAck, "store_ack"},
    {AbstractEvent::kStoreDelete, "store_delete"},
    {AbstractEvent::kPhoneOnline, "phone_online"},
    {AbstractEvent::kPhoneOffline, "phone_offline"},
    {AbstractEvent::kClockTick, "clock_tick"},
    {AbstractEvent::kGroupRemove, "group_remove"},
    {AbstractEvent::kGroupMsgSend, "group_msg_send"},
    {AbstractEvent::kGroupMsgRead, "group_msg_read"},
    {AbstractEvent::kCertIssue, "cert_issue"},
    {AbstractEvent::kU2uOptin, "u2u_optin"},
    {AbstractEvent::kU2uHashSend, "u2u_hash_send"},
    {AbstractEvent::kU2uHashRecv, "u2u_hash_recv"},
    {AbstractEvent::kU2uAuthSend, "u2u_auth_send"},
    {AbstractEvent::kU2uAuthOk, "u2u_auth_ok"},
    {AbstractEvent::kU2uAuthFail, "u2u_auth_fail"},
    {AbstractEvent::kServerRead, "server_read"},
    {AbstractEvent::kFaultsOff, "faults_off"},
}};

namespace detail {
constexpr bool abstract_event_table_ok() {
  for (std::size_t i = 0; i < kAbstractEventNames.size(); ++i) {
    if (static_cast<std::size_t>(kAbstractEventNames[i].first) != i + 1 ||
        kAbstractEventNames[i].second.empty()) {
      return false;
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (kAbstractEventNames[i].second == kAbstractEventNames[j].second) {
        return false;
      }
    }
  }
  return static_cast<std::size_t>(AbstractEvent::kFaultsOff) == kAbstractEventNames.size();
}
}  // namespace detail
static_assert(detail::abstract_event_table_ok(),
              "kAbstractEventNames must list every AbstractEvent once, by code, with unique names");

constexpr std::string_view name(AbstractEvent event) {
  return kAbstractEventNames[static_cast<std::size_t>(event) - 1].second;
}

}  // namespace spmc::sim
