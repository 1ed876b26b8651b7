#include "spmc/sim/network.hpp"

#include <algorithm>

#include "spmc/check.hpp"

namespace spmc::sim {

std::string_view drop_reason_name(DropReason reason) {
  switch (reason) {
    case DropReason::kTap:
      return "tap";
    case DropReason::kSenderOffline:
      return "sender_offline";
    case DropReason::kPartition:
      return "partition";
    case DropReason::kLoss:
      return "loss";
    case DropReason::kReceiverOffline:
      return "receiver_offline";
  }
  SPMC_CHECK(false);
  return "";
}

Network::Network(EventQueue& queue, const Topology& topology, Prng rng, Trace* trace)
    : m_queue(queue), m_topology(topology), m_rng(rng), m_trace(trace) {}

void Network::add_tap(NetworkTap* tap) {
  SPMC_CHECK(tap != nullptr);
  m_taps.push_back(tap);
}

void Network::drop(std::uint64_t id, DropReason reason) {
  ++m_stats.packets_dropped;
  ++m_stats.dropped_by_reason[static_cast<std::size_t>(reason)];
  if (m_trace != nullptr) {
    TraceEvent event = make_trace_event(m_queue.now(), "net_drop");
    event["id"] = id;
    event["reason"] = drop_reason_name(reason);
    m_trace->record(event);
  }
}

void Network::set_faults_enabled(bool enabled) {
  m_faults_enabled = enabled;
  if (m_trace != nullptr) {
    TraceEvent event = make_trace_event(m_queue.now(), "net_faults");
    event["enabled"] = enabled;
    m_trace->record(event);
  }
}

void Network::set_online(NodeId node, bool is_online) {
  SPMC_CHECK(m_topology.attached(node));
  if (m_offline.size() <= node) {
    m_offline.resize(static_cast<std::size_t>(node) + 1, false);
  }
  m_offline[node] = !is_online;
  if (m_trace != nullptr) {
    TraceEvent event = make_trace_event(m_queue.now(), "net_online");
    event["node"] = node;
    event["online"] = is_online;
    m_trace->record(event);
  }
}

bool Network::online(NodeId node) const { return node >= m_offline.size() || !m_offline[node]; }

PartitionId Network::add_partition(std::vector<NodeId> side, bool one_way) {
  std::sort(side.begin(), side.end());
  side.erase(std::unique(side.begin(), side.end()), side.end());
  const PartitionId id = m_next_partition++;
  if (m_trace != nullptr) {
    TraceEvent event = make_trace_event(m_queue.now(), "net_partition");
    event["partition"] = id;
    event["one_way"] = one_way;
    event["side"] = side;
    m_trace->record(event);
  }
  m_partitions.emplace(id, Partition{std::move(side), one_way});
  return id;
}

bool Network::heal_partition(PartitionId id) {
  if (m_partitions.erase(id) == 0) {
    return false;
  }
  if (m_trace != nullptr) {
    TraceEvent event = make_trace_event(m_queue.now(), "net_heal");
    event["partition"] = id;
    m_trace->record(event);
  }
  return true;
}

void Network::heal_all_partitions() {
  while (!m_partitions.empty()) {
    heal_partition(m_partitions.begin()->first);
  }
}

bool Network::partitioned(NodeId from, NodeId to) const {
  for (const auto& [id, partition] : m_partitions) {
    const bool from_in = std::binary_search(partition.side.begin(), partition.side.end(), from);
    const bool to_in = std::binary_search(partition.side.begin(), partition.side.end(), to);
    if (from_in != to_in && (!partition.one_way || from_in)) {
      return true;
    }
  }
  return false;
}

// One pass over the path: every link adds latency and jitter; with faults on it may
// lose the packet, duplicate it (the copy takes its own jitter) or hold it back.
Network::Transit Network::plan_transit(NodeId from, NodeId to, std::optional<NodeId> requester) {
  Transit transit;
  TimeUs latency = 0;
  TimeUs jitter_total = 0;
  TimeUs extra = 0;
  std::uint32_t copies = 1;
  const std::vector<const LinkParams*> links = m_topology.path(from, to, requester);
  transit.links = static_cast<std::uint32_t>(links.size());
  for (const LinkParams* link : links) {
    latency += link->latency_us;
    jitter_total += link->jitter_us;
    extra += link->jitter_us == 0 ? 0 : m_rng.uniform_range(0, link->jitter_us);
    if (!m_faults_enabled) {
      continue;
    }
    transit.lost = transit.lost || m_rng.bernoulli_ppm(link->loss_ppm);
    copies += m_rng.bernoulli_ppm(link->duplication_ppm) ? 1 : 0;
    if (m_rng.bernoulli_ppm(link->reorder_ppm) && link->reorder_delay_max_us > 0) {
      extra += m_rng.uniform_range(0, link->reorder_delay_max_us);
    }
  }
  transit.delays.push_back(latency + extra);
  for (std::uint32_t i = 1; i < copies; ++i) {
    transit.delays.push_back(latency +
                             (jitter_total == 0 ? 0 : m_rng.uniform_range(0, jitter_total)));
  }
  return transit;
}

void Network::apply_end_to_end_faults(Transit& transit) {
  const FaultConfig& f = m_fault_config;
  transit.lost = transit.lost || m_rng.bernoulli_ppm(f.loss_ppm);
  if (m_rng.bernoulli_ppm(f.duplication_ppm)) {
    transit.delays.push_back(transit.delays.front());
  }
  for (TimeUs& delay : transit.delays) {
    if (m_rng.bernoulli_ppm(f.reorder_ppm) && f.reorder_delay_max_us > 0) {
      delay += m_rng.uniform_range(0, f.reorder_delay_max_us);
    }
    if (m_rng.bernoulli_ppm(f.spike_ppm)) {
      delay += m_rng.uniform_range(f.spike_delay_min_us,
                                   std::max(f.spike_delay_min_us, f.spike_delay_max_us));
    }
  }
}

std::uint64_t Network::send(NodeId from, NodeId to, Bytes bytes, std::optional<NodeId> requester) {
  SPMC_CHECK(m_topology.attached(from) && m_topology.attached(to));
  auto packet =
      std::make_shared<Packet>(Packet{m_next_packet++, from, to, std::move(bytes), m_queue.now()});
  ++m_stats.packets_sent;
  m_stats.bytes_sent += packet->bytes.size();
  if (m_trace != nullptr) {
    m_trace->record_line(TraceLine(m_queue.now(), "net_send")
                             .num("id", packet->id)
                             .num("from", from)
                             .num("to", to)
                             .num("len", packet->bytes.size())
                             .str("bytes", trace_bytes(packet->bytes))
                             .finish());
  }
  for (NetworkTap* tap : m_taps) {
    const Bytes before = packet->bytes;
    const TapVerdict verdict = tap->on_send(*packet);
    if (packet->bytes != before && m_trace != nullptr) {
      TraceEvent tampered = make_trace_event(m_queue.now(), "net_tamper");
      tampered["id"] = packet->id;
      tampered["len"] = packet->bytes.size();
      tampered["bytes"] = trace_bytes(packet->bytes);
      m_trace->record(tampered);
    }
    if (verdict == TapVerdict::kDrop) {
      drop(packet->id, DropReason::kTap);
      return packet->id;
    }
  }
  if (!online(from)) {
    drop(packet->id, DropReason::kSenderOffline);
    return packet->id;
  }
  if (m_faults_enabled && partitioned(from, to)) {
    drop(packet->id, DropReason::kPartition);
    return packet->id;
  }
  Transit transit = plan_transit(from, to, requester);
  if (m_faults_enabled) {
    apply_end_to_end_faults(transit);
  }
  if (transit.lost) {
    drop(packet->id, DropReason::kLoss);
    return packet->id;
  }
  for (std::size_t i = 0; i < transit.delays.size(); ++i) {
    if (i > 0) {
      ++m_stats.packets_duplicated;
      if (m_trace != nullptr) {
        TraceEvent dup = make_trace_event(m_queue.now(), "net_dup");
        dup["id"] = packet->id;
        m_trace->record(dup);
      }
    }
    schedule_copy(packet, transit.delays[i], transit.links);
  }
  return packet->id;
}

std::uint64_t Network::inject(NodeId claimed_from, NodeId to, Bytes bytes, TimeUs delay_us) {
  SPMC_CHECK(m_topology.attached(to));
  auto packet = std::make_shared<Packet>(
      Packet{m_next_packet++, claimed_from, to, std::move(bytes), m_queue.now()});
  ++m_stats.packets_injected;
  if (m_trace != nullptr) {
    TraceEvent event = make_trace_event(m_queue.now(), "net_inject");
    event["id"] = packet->id;
    event["from"] = claimed_from;
    event["to"] = to;
    event["len"] = packet->bytes.size();
    event["bytes"] = trace_bytes(packet->bytes);
    m_trace->record(event);
  }
  const std::uint64_t id = packet->id;
  schedule_copy(std::move(packet), delay_us, 0);
  return id;
}

void Network::schedule_copy(std::shared_ptr<const Packet> packet, TimeUs delay,
                            std::uint32_t links) {
  m_stats.bytes_on_links += packet->bytes.size() * links;
  m_queue.schedule_after(delay, [this, packet = std::move(packet)] { arrive(*packet); });
}

void Network::arrive(const Packet& packet) {
  // The access router holds no queue: an offline phone misses the packet for good.
  if (!online(packet.to)) {
    drop(packet.id, DropReason::kReceiverOffline);
    return;
  }
  ++m_stats.packets_delivered;
  m_stats.bytes_delivered += packet.bytes.size();
  if (m_trace != nullptr) {
    m_trace->record_line(TraceLine(m_queue.now(), "net_deliver")
                             .num("id", packet.id)
                             .num("from", packet.from)
                             .num("to", packet.to)
                             .finish());
  }
  for (NetworkTap* tap : m_taps) {
    tap->on_deliver(packet);
  }
  if (m_deliver) {
    m_deliver(packet.to, packet.from, packet.bytes);
  }
}

}  // namespace spmc::sim
