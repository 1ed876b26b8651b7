#include "spmc/sim/estimate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "world_impl.hpp"

namespace spmc::sim {
namespace {

// Calibration. Memory: bench/README.md, "Simulator figures", gives BM_SimWorld's peak RSS
// per phone (62.3 KiB at 1k phones, 59.2 KiB at 10k) for small-world contacts of degree 4,
// i.e. two contact pairs per phone. It is split into a per-phone and a per-pair part with
// `/usr/bin/time -f %M spmc sim` on bench_1k.json (1000 phones, 60 s safety phase) varied
// one parameter at a time (tree 5c53929): a 1-phone world 10.9 MB; degree 0 and no messages
// 20.2 MB; degree 4, 69.9 MB; degree 16, 220.1 MB (both linear in the pairs); 2 and 8
// messages per phone per minute 70.7 and 75.6 MB; 200 groups of 8, 78.4 MB. Per phone and
// pair this gives 9.2 + 2 x 24.9 = 59 KiB at degree 4, in line with the benchmark's figure.
constexpr double kBytesBase = 11.0 * 1024 * 1024;    // a 1-phone world: code, tables
constexpr double kBytesPerPhone = 9.2 * 1024;        // keys, clock, DRBG, server record
constexpr double kBytesPerPair = 24.9 * 1024;        // two ratchet sessions, key shares
constexpr double kBytesPerMessage = 0.7 * 1024;      // delivery records, stored items
constexpr double kBytesPerGroupMember = 4.8 * 1024;  // group state at members and server

// Events (Report.events of the same runs): degree 0 and no messages 38 476 events; twice the
// simulated time adds 0.2 events per phone per second (timers, keepalives); degree 4 and 16
// add 84 and 227 events per pair (each phone fetches a key share per contact, so the cost
// of a pair grows with the degree: 36 + 12 x mean degree); a delivered copy of a message
// costs 7.5 to 9.6 events (relay, store, push, acknowledgement); a group member 8 (setup).
constexpr double kEventsPerPhone = 19.5;
constexpr double kEventsPerPhoneSecond = 0.2;
constexpr double kEventsPerPair = 36.0;
constexpr double kEventsPerPairPerDegree = 12.0;
constexpr double kEventsPerDelivery = 9.0;
constexpr double kEventsPerGroupMember = 8.0;
// Wall time: 50 k events/s, BM_SimWorld/10000 in bench/README.md (61 k at 1k phones; the
// larger world is the slower per event, and big worlds are the ones this is for).
constexpr double kEventsPerSecond = 50'000;

// simulator/world/src/world_drivers.cpp: kGroupMessagePercent of a member's messages go to
// one of its groups.
constexpr double kGroupMessageShare = 0.20;
// The liveness phase ends after kQuietSeconds of quiet (world_impl.hpp); the calibration
// runs got there within 6 s of simulated time, so it is counted up to this.
constexpr double kLivenessSecondsTypical = 10.0;

double contact_pairs(std::uint32_t phones, const ContactGraphConfig& c) {
  const double n = phones;
  const double complete = n * (n - 1) / 2;
  switch (c.kind) {
    case ContactGraphKind::kSmallWorld: {
      std::uint32_t k = std::min(c.degree, phones - 1);
      k -= k % 2;
      return std::min(complete, n * k / 2);
    }
    case ContactGraphKind::kErdosRenyi:
      return std::min(complete, n * c.degree / 2);
    case ContactGraphKind::kPreferential:
      return std::min(complete, n * std::max<std::uint32_t>(1, c.degree / 2));
    case ContactGraphKind::kComplete:
      return complete;
  }
  return complete;
}

std::uint64_t saturate(double value) {
  return value >= 1.8e19 ? UINT64_MAX : static_cast<std::uint64_t>(std::max(0.0, value));
}

std::string format_count(std::uint64_t n) {
  char text[32];
  if (n >= 1'000'000'000) {
    std::snprintf(text, sizeof text, "%.1f G", static_cast<double>(n) / 1e9);
  } else if (n >= 1'000'000) {
    std::snprintf(text, sizeof text, "%.1f M", static_cast<double>(n) / 1e6);
  } else if (n >= 1'000) {
    std::snprintf(text, sizeof text, "%.1f k", static_cast<double>(n) / 1e3);
  } else {
    std::snprintf(text, sizeof text, "%llu", static_cast<unsigned long long>(n));
  }
  return text;
}

std::string format_seconds(std::uint64_t s) {
  char text[48];
  if (s < 60) {
    std::snprintf(text, sizeof text, "%llu s", static_cast<unsigned long long>(s));
  } else if (s < 3600) {
    std::snprintf(text, sizeof text, "%llu min", static_cast<unsigned long long>((s + 30) / 60));
  } else if (s < 48 * 3600) {
    std::snprintf(text, sizeof text, "%.1f h", static_cast<double>(s) / 3600);
  } else {
    std::snprintf(text, sizeof text, "%.0f days", static_cast<double>(s) / 86400);
  }
  return text;
}

}  // namespace

ResourceEstimate estimate_resources(const Scenario& s) {
  const double phones = s.phones;
  const double pairs = contact_pairs(s.phones, s.contacts);
  const GroupsConfig& g = s.workload.groups;
  const double members = static_cast<double>(g.count) * (g.size_min + g.size_max) / 2.0;
  const double bootstrap_s = static_cast<double>(kBootstrapUs) / kUsPerSecond;
  const double safety_s = static_cast<double>(s.phases.safety_ms) / 1000.0;
  const double liveness_s =
      std::min(static_cast<double>(s.phases.liveness_ms) / 1000.0, kLivenessSecondsTypical);
  const double messages = phones * s.workload.messages_per_phone_per_minute * safety_s / 60.0;
  // The share of messages written to a group: members' messages, a fifth of them each.
  const double group_share = kGroupMessageShare * std::min(1.0, members / phones);
  const double mean_size = g.count == 0 ? 0.0 : (g.size_min + g.size_max) / 2.0;
  const double deliveries =
      messages * (1.0 - group_share) + messages * group_share * std::max(0.0, mean_size - 1.0);
  const double mean_degree = 2.0 * pairs / phones;
  const double events = kEventsPerPhone * phones +
                        kEventsPerPhoneSecond * phones * (bootstrap_s + safety_s + liveness_s) +
                        (kEventsPerPair + kEventsPerPairPerDegree * mean_degree) * pairs +
                        kEventsPerDelivery * deliveries + kEventsPerGroupMember * members;
  ResourceEstimate e;
  e.contact_pairs = saturate(pairs);
  e.group_members = saturate(members);
  e.messages = saturate(messages);
  e.events = saturate(events);
  e.memory_bytes = saturate(kBytesBase + kBytesPerPhone * phones + kBytesPerPair * pairs +
                            kBytesPerMessage * messages + kBytesPerGroupMember * members);
  e.wall_seconds = saturate(std::ceil(events / kEventsPerSecond));
  return e;
}

std::string format_bytes(std::uint64_t bytes) {
  char text[32];
  const double b = static_cast<double>(bytes);
  if (b >= 1024.0 * 1024 * 1024 * 1024) {
    std::snprintf(text, sizeof text, "%.1f TiB", b / (1024.0 * 1024 * 1024 * 1024));
  } else if (b >= 1024.0 * 1024 * 1024) {
    std::snprintf(text, sizeof text, "%.1f GiB", b / (1024.0 * 1024 * 1024));
  } else {
    std::snprintf(text, sizeof text, "%.0f MiB", std::ceil(b / (1024.0 * 1024)));
  }
  return text;
}

std::string describe_estimate(const ResourceEstimate& e, std::uint32_t phones) {
  return format_bytes(e.memory_bytes) + " of memory and about " + format_seconds(e.wall_seconds) +
         " (" + std::to_string(phones) + " phones, " + format_count(e.contact_pairs) +
         " contact pairs, " + format_count(e.messages) + " messages, " + format_count(e.events) +
         " events)";
}

}  // namespace spmc::sim
