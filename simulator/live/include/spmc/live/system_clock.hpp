#pragma once
// The real clock for live mode: milliseconds since the Unix epoch, as the reference's
// certificates and timestamps expect of a server clock. Never used by a simulated world.
#include "spmc/clock.hpp"

namespace spmc::live {

class SystemClock final : public Clock {
 public:
  TimeMs now_ms() const override;
};

}  // namespace spmc::live
