#pragma once
// A phone's wall clock over the engine's virtual time: a fixed offset (skew) plus a linear
// drift, read as spmc::Clock by the phone's state machine. local_us(v) = epoch_us + v +
// offset_us + floor(v * drift_ppm / 1e6), clamped at 0. set_offset() models a step
// (a user or NTP setting the clock), as TigerBeetle's step clock model does; jump() steps it
// relative to where it is.
#include <cstdint>

#include "spmc/clock.hpp"
#include "spmc/sim/event_queue.hpp"

namespace spmc::sim {

// Virtual time 0 as application time: 2023-11-14T22:13:20Z, so timestamps look real.
inline constexpr TimeMs kDefaultEpochMs = 1'700'000'000'000;

struct ClockModel {
  std::int64_t offset_us = 0;
  std::int32_t drift_ppm = 0;  // |drift| <= 1e6
  friend bool operator==(const ClockModel&, const ClockModel&) = default;
};

class PhoneClock final : public Clock {
 public:
  // The queue must outlive the clock.
  PhoneClock(const EventQueue& queue, ClockModel model, TimeMs epoch_ms = kDefaultEpochMs);
  TimeMs now_ms() const override { return local_us() / kUsPerMs; }
  std::uint64_t local_us() const;
  void set_offset(std::int64_t offset_us) { m_model.offset_us = offset_us; }
  // A step of the local clock by `delta_us` (forward or back): the user sets the time or a
  // time zone by hand, or the clock is corrected. Readings before 0 stay clamped at 0.
  void jump(std::int64_t delta_us) { m_model.offset_us += delta_us; }
  const ClockModel& model() const { return m_model; }

 private:
  const EventQueue& m_queue;
  ClockModel m_model;
  std::int64_t m_epoch_us;
};

// The local reading at virtual time v (exposed for tests).
std::uint64_t local_time_us(TimeUs virtual_us, const ClockModel& model, std::int64_t epoch_us);

}  // namespace spmc::sim
