#include "spmc/live/system_clock.hpp"

#include <chrono>

namespace spmc::live {

TimeMs SystemClock::now_ms() const {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<TimeMs>(
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count());
}

}  // namespace spmc::live
