#pragma once
// What a run looked like over virtual time, for plots (spmc sim --report): sampled by the
// world itself once per second of virtual time when WorldOptions::series asks for it. The
// world samples between slices of its own event queue, so a sampled run executes exactly the
// events of an unsampled one and its trace, trace hash and report stay byte-identical.
#include <cstdint>
#include <vector>

namespace spmc::sim {

// One second of virtual time, ending at time_ms.
struct SeriesSample {
  std::uint64_t time_ms = 0;
  std::uint64_t store_depth = 0;  // items in the server's offline store at time_ms
  // The deepest the store was during this second (the server's own running peak when it
  // rose in it, else the deepest seen after each server step): the samples' largest
  // store_peak is Report::peak_store_depth.
  std::uint64_t store_peak = 0;
  std::uint64_t packets_in_flight = 0;  // sent, injected or duplicated, not yet delivered or lost
  std::uint64_t deliveries_owed = 0;    // accepted (message, recipient) pairs not yet delivered
  std::uint64_t events = 0;             // events the queue executed in this second
};

// Delivery latencies in bins of bin_ms: counts[i] deliveries took [i*bin_ms, (i+1)*bin_ms).
struct LatencyHistogram {
  std::uint64_t bin_ms = 1;
  std::vector<std::uint64_t> counts;
};

struct PhoneTraffic {
  std::uint64_t bytes_sent = 0;      // payload bytes the phone offered to the network
  std::uint64_t bytes_received = 0;  // payload bytes of copies delivered to it
};

struct RunSeries {
  std::vector<SeriesSample> samples;  // in time order
  LatencyHistogram latency;
  std::vector<PhoneTraffic> phones;  // by phone index
};

// Bins for `latencies_us`: the smallest width of 1, 2 or 5 times a power of ten (ms) that
// needs at most max_bins bins.
LatencyHistogram latency_histogram(const std::vector<std::uint64_t>& latencies_us,
                                   std::size_t max_bins = 40);

}  // namespace spmc::sim
