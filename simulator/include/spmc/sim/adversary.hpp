#pragma once
// The adversaries of spec/requirements.md as scenario options (`"adversaries": [...]`,
// simulator/scenarios/SCHEMA.md). Each can be combined with the network faults. The
// malicious-server attacks are an honest ChatServer plus a rewriter sitting where TLS ends
// at the server: it sees and may change every message the server receives or sends, and
// it holds the CA key (ChatServer::forge_certificate). Nothing here is in reference/.
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "spmc/crypto.hpp"
#include "spmc/result.hpp"
#include "spmc/rng.hpp"
#include "spmc/sim/attacker.hpp"
#include "spmc/sim/network.hpp"
#include "spmc/sim/world.hpp"
#include "spmc/u2u.hpp"

namespace spmc::sim {

// Every adversary name a scenario may list, with its spec id (PNO, HBC, MAL, ANA, DEV).
struct AdversaryInfo {
  std::string_view name;
  std::string_view id;
  std::string_view what;
};
const std::vector<AdversaryInfo>& adversary_catalogue();
Status check_adversary_names(const std::vector<std::string>& names);

// Canary ids of messages the adversary made up: no phone ever sends these.
inline constexpr std::uint64_t kForgedUidBase = 0xf0f0'0000'0000'0000ULL;

struct AdversaryRun {
  explicit AdversaryRun(const Profile& profile) : knowledge(profile) {}
  bool has(std::string_view name) const { return names.contains(std::string(name)); }
  bool server_records() const;  // the server keeps what it relays (HBC and every MAL)
  bool substituting() const;    // server_substitutes_keys or server_mitm

  std::set<std::string> names;
  AttackerKnowledge knowledge;
  std::unique_ptr<DeterministicRng> rng;  // the adversary's own stream
  std::unique_ptr<NetworkTap> tap;
  // The attacked pair: `a` sends to `b` (the first contact edge).
  std::uint32_t a = 0;
  std::uint32_t b = 0;

  // server_substitutes_keys: the server's own keys, certified as b's encryption key (shown
  // to a) and as a's signature key (shown to b), and what it did with them.
  crypto::X25519KeyPair fake_enc{};
  crypto::Ed25519KeyPair fake_sign{};
  std::map<std::pair<std::string, std::uint8_t>, Bytes> forged;  // (user, usage) -> cert
  std::map<Bytes, Bytes> resealed;  // a payload as sent -> as forwarded
  // server_mitm: what it read of the U2U run (index 0: a, 1: b) and what it rewrote.
  std::array<std::optional<crypto::Digest>, 2> u2u_hash{};
  std::array<std::optional<u2u::Nonce>, 2> u2u_nonce{};
  int u2u_initiator = -1;
  std::uint64_t u2u_rewritten = 0;
  std::uint64_t certs_replaced = 0;
  bool told_a = false;  // a forged certificate reached a / b (trace: adv_cert once each)
  bool told_b = false;
  std::uint64_t shares_intercepted = 0;

  // Scheduled attacks: when, who, and what was done.
  TimeUs strike_at = 0;
  bool struck = false;
  std::string victim;   // device_compromise: the user whose keys leaked
  std::string removed;  // removed_member: who was removed, from which group
  std::string group;
  // removed_member under a rekey (GRP-010): the new share's timestamp, and when (in each
  // member's application time) it held it; a member that had not yet received it when it
  // wrote sent under the old key, which the removed member can still read (the window).
  std::optional<std::uint64_t> new_key_ts;
  std::map<std::string, std::uint64_t> new_key_at;
  std::uint64_t injected = 0;  // forged or replayed items the server pushed
  std::uint64_t network_replays = 0;
  std::uint64_t network_drops = 0;
  std::uint64_t emails_seen = 0;  // sign-up and verification mails the server handled

  std::vector<std::string> findings;  // what the attacker learned, one line each
};

}  // namespace spmc::sim
