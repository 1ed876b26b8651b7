#pragma once
// Samples a run for RunSeries (WorldOptions::series): a passive network tap for each phone's
// bytes, the store depth seen after each server step, and one sample per slice of virtual
// time. It only reads the world, never schedules, draws randomness or records trace events.
#include <cstdint>
#include <vector>

#include "spmc/sim/event_queue.hpp"
#include "spmc/sim/network.hpp"
#include "spmc/sim/run_series.hpp"

namespace spmc::sim {

class SeriesRecorder final : public NetworkTap {
 public:
  explicit SeriesRecorder(std::uint32_t phones) { m_series.phones.resize(phones); }

  TapVerdict on_send(Packet& packet) override;
  void on_deliver(const Packet& packet) override;

  // The store depth right now, and the server's running peak: called after every step of
  // the server and before each sample.
  void observe_store(std::uint64_t depth, std::uint64_t server_peak);
  // Closes the second that ends at `now`.
  void sample(TimeUs now, const NetworkStats& network, std::uint64_t events_executed,
              std::uint64_t deliveries_expected, std::uint64_t deliveries);
  // After judging: the last sample's owed deliveries without those a rule of the spec made
  // unreadable (DeliveryChecker::unreadable_by_design), known only then.
  void settle_owed(std::uint64_t deliveries_expected, std::uint64_t deliveries);
  RunSeries finish(const std::vector<std::uint64_t>& latencies_us) const;

 private:
  RunSeries m_series;
  std::uint64_t m_window_peak = 0;
  std::uint64_t m_last_depth = 0;
  std::uint64_t m_server_peak = 0;
  std::uint64_t m_events_before = 0;
};

}  // namespace spmc::sim
