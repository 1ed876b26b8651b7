// MAL, one way: a gets the server's key as b's encryption key and b gets it as a's signing
// key; a's key shares to b are opened, kept and forwarded re-sealed (key_substitution.cpp).
#include "key_substitution.hpp"

namespace spmc::sim {

AdversaryEntry server_substitutes_keys_adversary() {
  return {"server_substitutes_keys", "MAL",
          "certifies its own keys as b's encryption key (to a) and a's signature key (to b), "
          "opens a's key shares to b and forwards them re-sealed",
          [](WorldApi& w, AttackState& s, Aim& aim) -> std::unique_ptr<Adversary> {
            return std::make_unique<KeySubstitution>(w, s, aim, false);
          },
          // A pair, fixed when the world is built; timed, it forges from the strike on.
          AimRules{2, {"u2u_pair", "random_pair"}, true, true, false}};
}

}  // namespace spmc::sim
