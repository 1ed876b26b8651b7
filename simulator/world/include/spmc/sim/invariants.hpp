#pragma once
// Every invariant the simulator judges, by a typed name, with the one table of its wire
// name (the `name` of an InvariantResult, a scenario's `expected_violations`, the names the
// Python tools read) and the spec requirement it checks. A checker or an adversary reports
// under an InvariantName, so a name cannot be mistyped where a result is made.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace spmc::sim {

enum class InvariantName : std::uint8_t {
  kExactlyOnceDelivery,
  kNoForgedAccepted,
  kNoReplayAccepted,
  kGroupNewcomerHeard,
  kNoPlaintextOnServer,
  kNoKeyMaterialExposed,
  kNoKeyReuse,
  kU2uHonestAuthenticates,
  kOfflineStoreEmptyAtQuiescence,
  kQuiescenceReached,
  kAdversaryReadsNothing,
  kU2uDetectsMitm,
  kNoPiiAtRest,
  kForwardSecrecy,
  kRemovedMemberReadsNothing,
  kAckedItemsDeleted,
  kStoreRestoresState,
  kStoreNeverTorn,
  kHistoryKeepsDelivered,
  kReinstallRevokesOldCertificates,
  kReinstallLosesNothing,
  kReinstallOldKeysReadNothing,
};

struct InvariantInfo {
  InvariantName id;
  std::string_view name;         // e.g. exactly_once_delivery
  std::string_view requirement;  // e.g. "SRV-010 SRV-011 RAT-006"
  // Judged in every run. An opt-in invariant is judged only when WorldOptions asks for it,
  // so adding one never changes the output of an existing run.
  bool always = true;
};

// Every invariant, in InvariantName order.
std::span<const InvariantInfo> invariant_names();
const InvariantInfo& invariant_info(InvariantName id);
std::optional<InvariantName> invariant_by_name(std::string_view name);

}  // namespace spmc::sim
