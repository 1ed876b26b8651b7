// MAL, both ways, and the hardened U2U challenges answered by the server (A-36,
// key_substitution.cpp).
#include "key_substitution.hpp"

namespace spmc::sim {

AdversaryEntry server_mitm_adversary() {
  return {"server_mitm", "MAL",
          "substitutes keys both ways between a and b and answers the hardened U2U challenges "
          "itself (A-36)",
          [](WorldApi& w, AttackState& s, Aim& aim) -> std::unique_ptr<Adversary> {
            return std::make_unique<KeySubstitution>(w, s, aim, true);
          },
          // A pair, fixed when the world is built; timed, it forges from the strike on.
          AimRules{2, {"u2u_pair", "random_pair"}, true, true, false}};
}

}  // namespace spmc::sim
