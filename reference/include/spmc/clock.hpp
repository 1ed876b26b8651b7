#pragma once
// Time is injected (sans-IO). All protocol times are milliseconds of application time.
#include <cstdint>

namespace spmc {

using TimeMs = std::uint64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMs now_ms() const = 0;
};

// A clock the caller sets: tests, vectors and the simulator's virtual time.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimeMs start = 0) : m_now(start) {}
  TimeMs now_ms() const override { return m_now; }
  void set(TimeMs t) { m_now = t; }
  void advance(TimeMs d) { m_now += d; }

 private:
  TimeMs m_now;
};

}  // namespace spmc
