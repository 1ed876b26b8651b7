#pragma once
// The kinds of thing a phone reports to its world (PhoneEffects::event), as an enum with one
// name table. The names are what the simulator's trace writes (prefixed `ph_`) and what the
// Python tools read from models/names.json (`spmc names --json`), so a misspelt kind is a
// compile error here and an unknown name there, never a checker that silently sees nothing.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace spmc::phone {

enum class PhoneEventKind : std::uint8_t {
  kChannelFull,
  kReinstall,
  kBadFrame,
  kBadMessage,
  kRequestFailed,
  kSignedUp,
  kLoggedIn,
  kCertificateRejected,
  kCertified,
  kContactRequest,
  kContactRejected,
  kContactAdded,
  kOutboxFull,
  kReconnect,
  kKeyshareSend,
  kKeyshareAccept,
  kKeyshareReject,
  kMsgSend,
  kMsgAccept,
  kMsgReject,
  kMsgHeld,
  kGroupShareSkipped,
  kGroupCreate,
  kGroupJoin,
  kGroupAdd,
  kGroupRemove,
  kU2uReject,
  kU2uState,  // the last kind: a new one goes above and into kLastPhoneEventKind and the table
};
inline constexpr PhoneEventKind kLastPhoneEventKind = PhoneEventKind::kU2uState;

// The one table: entry i names the kind whose value is i (checked below).
inline constexpr std::array<std::pair<PhoneEventKind, std::string_view>, 28> kPhoneEventNames{{
    {PhoneEventKind::kChannelFull, "channel_full"},
    {PhoneEventKind::kReinstall, "reinstall"},
    {PhoneEventKind::kBadFrame, "bad_frame"},
    {PhoneEventKind::kBadMessage, "bad_message"},
    {PhoneEventKind::kRequestFailed, "request_failed"},
    {PhoneEventKind::kSignedUp, "signed_up"},
    {PhoneEventKind::kLoggedIn, "logged_in"},
    {PhoneEventKind::kCertificateRejected, "certificate_rejected"},
    {PhoneEventKind::kCertified, "certified"},
    {PhoneEventKind::kContactRequest, "contact_request"},
    {PhoneEventKind::kContactRejected, "contact_rejected"},
    {PhoneEventKind::kContactAdded, "contact_added"},
    {PhoneEventKind::kOutboxFull, "outbox_full"},
    {PhoneEventKind::kReconnect, "reconnect"},
    {PhoneEventKind::kKeyshareSend, "keyshare_send"},
    {PhoneEventKind::kKeyshareAccept, "keyshare_accept"},
    {PhoneEventKind::kKeyshareReject, "keyshare_reject"},
    {PhoneEventKind::kMsgSend, "msg_send"},
    {PhoneEventKind::kMsgAccept, "msg_accept"},
    {PhoneEventKind::kMsgReject, "msg_reject"},
    {PhoneEventKind::kMsgHeld, "msg_held"},
    {PhoneEventKind::kGroupShareSkipped, "group_share_skipped"},
    {PhoneEventKind::kGroupCreate, "group_create"},
    {PhoneEventKind::kGroupJoin, "group_join"},
    {PhoneEventKind::kGroupAdd, "group_add"},
    {PhoneEventKind::kGroupRemove, "group_remove"},
    {PhoneEventKind::kU2uReject, "u2u_reject"},
    {PhoneEventKind::kU2uState, "u2u_state"},
}};

namespace detail {
constexpr bool phone_event_table_ok() {
  for (std::size_t i = 0; i < kPhoneEventNames.size(); ++i) {
    if (static_cast<std::size_t>(kPhoneEventNames[i].first) != i ||
        kPhoneEventNames[i].second.empty()) {
      return false;
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (kPhoneEventNames[i].second == kPhoneEventNames[j].second) {
        return false;
      }
    }
  }
  return static_cast<std::size_t>(kLastPhoneEventKind) + 1 == kPhoneEventNames.size();
}
}  // namespace detail
static_assert(detail::phone_event_table_ok(),
              "kPhoneEventNames must list every PhoneEventKind once, in order, with unique names");

constexpr std::string_view name(PhoneEventKind kind) {
  return kPhoneEventNames[static_cast<std::size_t>(kind)].second;
}

constexpr std::optional<PhoneEventKind> parse_phone_event(std::string_view text) {
  for (const auto& [kind, text_of_kind] : kPhoneEventNames) {
    if (text_of_kind == text) {
      return kind;
    }
  }
  return std::nullopt;
}

// A refusal of something received (counted per reason in the simulator's report).
constexpr bool is_rejection(PhoneEventKind kind) {
  return kind == PhoneEventKind::kKeyshareReject || kind == PhoneEventKind::kMsgReject ||
         kind == PhoneEventKind::kU2uReject;
}

// The trace and its tools have always called a refusal `*_reject`; keep the two in step.
static_assert([] {
  for (const auto& [kind, text] : kPhoneEventNames) {
    if (is_rejection(kind) != text.ends_with("_reject")) {
      return false;
    }
  }
  return true;
}());

}  // namespace spmc::phone
