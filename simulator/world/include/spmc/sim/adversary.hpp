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

// Canary ids of messages the adversary made up: no phone ever sends these.
inline constexpr std::uint64_t kForgedUidBase = 0xf0f0'0000'0000'0000ULL;

}  // namespace spmc::sim
