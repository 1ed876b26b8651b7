#include "spmc/sim/requirements.hpp"

namespace spmc::sim {

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kHolds:
      return "holds";
    case Verdict::kPartly:
      return "partly";
    case Verdict::kFails:
      return "fails";
  }
  return "?";
}

}  // namespace spmc::sim
