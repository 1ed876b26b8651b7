// RunSeries sampling (series_recorder.hpp) and the latency histogram's bins.
#include "series_recorder.hpp"

#include <algorithm>

#include "spmc/sim/topology.hpp"

namespace spmc::sim {

TapVerdict SeriesRecorder::on_send(Packet& packet) {
  if (packet.from != kServerNode) {
    m_series.phones.at(phone_index(packet.from)).bytes_sent += packet.bytes.size();
  }
  return TapVerdict::kForward;
}

void SeriesRecorder::on_deliver(const Packet& packet) {
  if (packet.to != kServerNode) {
    m_series.phones.at(phone_index(packet.to)).bytes_received += packet.bytes.size();
  }
}

void SeriesRecorder::observe_store(std::uint64_t depth, std::uint64_t server_peak) {
  m_last_depth = depth;
  m_window_peak = std::max(m_window_peak, depth);
  // A new all-time peak reached inside a server step (an item stored, then another removed
  // before the step returned) is still this second's peak: the server keeps its own maximum.
  if (server_peak > m_server_peak) {
    m_server_peak = server_peak;
    m_window_peak = std::max(m_window_peak, server_peak);
  }
}

void SeriesRecorder::sample(TimeUs now, const NetworkStats& network, std::uint64_t events_executed,
                            std::uint64_t deliveries_expected, std::uint64_t deliveries) {
  SeriesSample s;
  s.time_ms = now / kUsPerMs;
  s.store_depth = m_last_depth;
  s.store_peak = m_window_peak;
  const std::uint64_t copies =
      network.packets_sent + network.packets_injected + network.packets_duplicated;
  const std::uint64_t ended = network.packets_delivered + network.packets_dropped;
  s.packets_in_flight = copies > ended ? copies - ended : 0;
  // Duplicates delivered would hide owed ones; the exactly-once checker judges those.
  s.deliveries_owed = deliveries_expected > deliveries ? deliveries_expected - deliveries : 0;
  s.events = events_executed - m_events_before;
  m_events_before = events_executed;
  m_series.samples.push_back(s);
  m_window_peak = m_last_depth;  // the next second starts at the depth this one ended with
}

void SeriesRecorder::settle_owed(std::uint64_t deliveries_expected, std::uint64_t deliveries) {
  if (!m_series.samples.empty()) {
    m_series.samples.back().deliveries_owed =
        deliveries_expected > deliveries ? deliveries_expected - deliveries : 0;
  }
}

RunSeries SeriesRecorder::finish(const std::vector<std::uint64_t>& latencies_us) const {
  RunSeries out = m_series;
  out.latency = latency_histogram(latencies_us);
  return out;
}

LatencyHistogram latency_histogram(const std::vector<std::uint64_t>& latencies_us,
                                   std::size_t max_bins) {
  LatencyHistogram h;
  if (latencies_us.empty() || max_bins == 0) {
    return h;
  }
  const std::uint64_t max_ms =
      *std::max_element(latencies_us.begin(), latencies_us.end()) / kUsPerMs;
  // 1, 2, 5, 10, 20, 50, ... ms: bin edges a reader can add up in their head.
  std::uint64_t decade = 1;
  for (;;) {
    bool found = false;
    for (const std::uint64_t step : {std::uint64_t{1}, std::uint64_t{2}, std::uint64_t{5}}) {
      if (max_ms / (step * decade) + 1 <= max_bins) {
        h.bin_ms = step * decade;
        found = true;
        break;
      }
    }
    if (found) {
      break;
    }
    decade *= 10;
  }
  h.counts.assign(static_cast<std::size_t>(max_ms / h.bin_ms + 1), 0);
  for (const std::uint64_t us : latencies_us) {
    ++h.counts[static_cast<std::size_t>(us / kUsPerMs / h.bin_ms)];
  }
  return h;
}

}  // namespace spmc::sim
