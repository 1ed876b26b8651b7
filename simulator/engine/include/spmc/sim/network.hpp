#pragma once
// Network: carries opaque byte packets between endpoints (phones and the server) over a
// Topology, with loss, duplication, reordering, delay spikes, partitions and phones going
// offline, all drawn from the network's own Prng stream. Delivery is an event in the
// EventQueue that calls the deliver callback. Taps see every packet: a passive observer
// reads them, an active adversary may rewrite or drop them, and inject() forges new ones.
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "spmc/bytes.hpp"
#include "spmc/sim/event_queue.hpp"
#include "spmc/sim/random.hpp"
#include "spmc/sim/topology.hpp"
#include "spmc/sim/trace.hpp"

namespace spmc::sim {

struct Packet {
  std::uint64_t id = 0;  // 1, 2, ... in send order; duplicates share their original's id
  NodeId from = 0;       // as claimed: inject() may forge it
  NodeId to = 0;
  Bytes bytes;
  TimeUs sent_us = 0;
};

enum class TapVerdict { kForward, kDrop };

class NetworkTap {
 public:
  virtual ~NetworkTap() = default;
  // Every packet passed to send(), before faults; may rewrite packet.bytes in place.
  virtual TapVerdict on_send(Packet& packet) = 0;
  // Every copy handed to the deliver callback (injected packets included).
  virtual void on_deliver(const Packet& packet) { (void)packet; }
};

// End-to-end faults applied once per packet while faults are on, on top of each link's.
struct FaultConfig {
  std::uint32_t loss_ppm = 0;
  std::uint32_t duplication_ppm = 0;
  std::uint32_t reorder_ppm = 0;
  TimeUs reorder_delay_max_us = 200'000;
  std::uint32_t spike_ppm = 0;
  TimeUs spike_delay_min_us = 500'000;
  TimeUs spike_delay_max_us = 2'000'000;
  friend bool operator==(const FaultConfig&, const FaultConfig&) = default;
};

enum class DropReason { kTap, kSenderOffline, kPartition, kLoss, kReceiverOffline };
inline constexpr std::size_t kDropReasonCount = 5;
std::string_view drop_reason_name(DropReason reason);

struct NetworkStats {
  std::uint64_t packets_sent = 0;  // calls to send()
  std::uint64_t packets_injected = 0;
  std::uint64_t packets_duplicated = 0;  // extra copies created
  std::uint64_t packets_delivered = 0;   // copies delivered
  std::uint64_t packets_dropped = 0;
  std::uint64_t bytes_sent = 0;       // payload bytes offered to send()
  std::uint64_t bytes_delivered = 0;  // payload bytes of delivered copies
  std::uint64_t bytes_on_links = 0;   // payload bytes times links crossed by each copy
  std::array<std::uint64_t, kDropReasonCount> dropped_by_reason{};
};

using PartitionId = std::uint32_t;

class Network {
 public:
  using Deliver = std::function<void(NodeId to, NodeId from, ByteView bytes)>;

  // The queue, topology and trace (nullable) must outlive the network.
  Network(EventQueue& queue, const Topology& topology, Prng rng, Trace* trace = nullptr);

  void set_deliver(Deliver deliver) { m_deliver = std::move(deliver); }
  void add_tap(NetworkTap* tap);  // not owned; taps run in the order added

  // Both endpoints must be attached. Returns the packet id. `requester`: the phone whose
  // request makes the server send this (Topology::path: it leaves from that phone's home).
  std::uint64_t send(NodeId from, NodeId to, Bytes bytes,
                     std::optional<NodeId> requester = std::nullopt);
  // The adversary's forged packet: claims `claimed_from`, bypasses taps, faults and
  // partitions, and arrives after delay_us unless `to` is offline by then.
  std::uint64_t inject(NodeId claimed_from, NodeId to, Bytes bytes, TimeUs delay_us);

  // Off: no loss, duplication, reordering, spikes or partitions; latency, jitter and
  // offline endpoints still apply (the liveness phase).
  void set_faults_enabled(bool enabled);
  bool faults_enabled() const { return m_faults_enabled; }
  void set_fault_config(const FaultConfig& config) { m_fault_config = config; }
  const FaultConfig& fault_config() const { return m_fault_config; }

  // Packets from an offline endpoint are dropped at send; to one, at arrival.
  void set_online(NodeId node, bool online);
  bool online(NodeId node) const;

  // Cuts `side` from every other endpoint. one_way: only side -> rest is cut.
  PartitionId add_partition(std::vector<NodeId> side, bool one_way);
  bool heal_partition(PartitionId id);
  void heal_all_partitions();
  std::size_t partition_count() const { return m_partitions.size(); }
  // Whether a packet from -> to would pass the partitions in force (faults on or off).
  bool partitioned(NodeId from, NodeId to) const;

  const NetworkStats& stats() const { return m_stats; }

 private:
  struct Partition {
    std::vector<NodeId> side;  // sorted
    bool one_way = false;
  };
  struct Transit {
    bool lost = false;
    std::vector<TimeUs> delays;  // one per copy
    std::uint32_t links = 0;
  };
  Transit plan_transit(NodeId from, NodeId to, std::optional<NodeId> requester);
  void apply_end_to_end_faults(Transit& transit);
  void schedule_copy(std::shared_ptr<const Packet> packet, TimeUs delay, std::uint32_t links);
  void arrive(const Packet& packet);
  void drop(std::uint64_t id, DropReason reason);

  EventQueue& m_queue;
  const Topology& m_topology;
  Prng m_rng;
  Trace* m_trace;
  Deliver m_deliver;
  std::vector<NetworkTap*> m_taps;
  bool m_faults_enabled = true;
  FaultConfig m_fault_config;
  std::vector<bool> m_offline;  // indexed by NodeId
  std::map<PartitionId, Partition> m_partitions;
  PartitionId m_next_partition = 1;
  std::uint64_t m_next_packet = 1;
  NetworkStats m_stats;
};

}  // namespace spmc::sim
