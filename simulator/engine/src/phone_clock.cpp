#include "spmc/sim/phone_clock.hpp"

#include "spmc/check.hpp"

namespace spmc::sim {

std::uint64_t local_time_us(TimeUs virtual_us, const ClockModel& model, std::int64_t epoch_us) {
  SPMC_CHECK(model.drift_ppm >= -1'000'000 && model.drift_ppm <= 1'000'000);
  SPMC_CHECK(virtual_us < (std::uint64_t{1} << 62));
  const auto v = static_cast<std::int64_t>(virtual_us);
  // v * drift / 1e6 split so the product never overflows; floor division for negatives
  // keeps the reading monotone in v.
  constexpr std::int64_t kMillion = 1'000'000;
  const std::int64_t whole = (v / kMillion) * model.drift_ppm;
  std::int64_t part = (v % kMillion) * model.drift_ppm;
  std::int64_t part_div = part / kMillion;
  if (part % kMillion < 0) {
    --part_div;
  }
  const std::int64_t local = epoch_us + v + model.offset_us + whole + part_div;
  return local < 0 ? 0 : static_cast<std::uint64_t>(local);
}

PhoneClock::PhoneClock(const EventQueue& queue, ClockModel model, TimeMs epoch_ms)
    : m_queue(queue), m_model(model), m_epoch_us(static_cast<std::int64_t>(epoch_ms * kUsPerMs)) {
  SPMC_CHECK(epoch_ms < (std::uint64_t{1} << 52));
}

std::uint64_t PhoneClock::local_us() const {
  return local_time_us(m_queue.now(), m_model, m_epoch_us);
}

}  // namespace spmc::sim
