#include "spmc/sim/event_queue.hpp"

#include <algorithm>
#include <utility>

#include "spmc/check.hpp"

namespace spmc::sim {

bool EventQueue::later(const HeapEntry& a, const HeapEntry& b) {
  if (a.time != b.time) {
    return a.time > b.time;
  }
  return a.sequence > b.sequence;
}

std::uint32_t EventQueue::take_slot() {
  if (!m_free_slots.empty()) {
    const std::uint32_t slot = m_free_slots.back();
    m_free_slots.pop_back();
    return slot;
  }
  SPMC_CHECK(m_slots.size() < UINT32_MAX);
  m_slots.emplace_back();
  return static_cast<std::uint32_t>(m_slots.size() - 1);
}

EventId EventQueue::schedule_at(TimeUs at, Action action) {
  SPMC_CHECK(at >= m_now);
  SPMC_CHECK(action != nullptr);
  const std::uint64_t sequence = m_next_sequence++;
  const std::uint32_t slot = take_slot();
  m_slots[slot].sequence = sequence;
  m_slots[slot].action = std::move(action);
  m_heap.push_back(HeapEntry{at, sequence, slot});
  std::push_heap(m_heap.begin(), m_heap.end(), later);
  ++m_pending;
  ++m_stats.scheduled;
  m_stats.max_pending = std::max<std::uint64_t>(m_stats.max_pending, m_pending);
  return EventId{sequence, slot};
}

bool EventQueue::cancel(EventId id) {
  if (id.slot >= m_slots.size() || id.sequence == 0 || m_slots[id.slot].sequence != id.sequence) {
    return false;
  }
  // The heap entry stays; it is skipped when it reaches the top (its slot no longer
  // carries its sequence number).
  m_slots[id.slot].sequence = 0;
  m_slots[id.slot].action = nullptr;
  m_free_slots.push_back(id.slot);
  --m_pending;
  ++m_stats.cancelled;
  return true;
}

void EventQueue::drop_cancelled_top() {
  while (!m_heap.empty() && m_slots[m_heap.front().slot].sequence != m_heap.front().sequence) {
    std::pop_heap(m_heap.begin(), m_heap.end(), later);
    m_heap.pop_back();
  }
}

std::optional<TimeUs> EventQueue::next_time() {
  drop_cancelled_top();
  if (m_heap.empty()) {
    return std::nullopt;
  }
  return m_heap.front().time;
}

bool EventQueue::step() {
  drop_cancelled_top();
  if (m_heap.empty()) {
    return false;
  }
  const HeapEntry top = m_heap.front();
  std::pop_heap(m_heap.begin(), m_heap.end(), later);
  m_heap.pop_back();
  Action action = std::move(m_slots[top.slot].action);
  m_slots[top.slot].sequence = 0;
  m_slots[top.slot].action = nullptr;
  m_free_slots.push_back(top.slot);
  --m_pending;
  m_now = top.time;
  ++m_stats.executed;
  action();  // may schedule or cancel further events
  return true;
}

bool EventQueue::stop_reached() {
  if (!m_stopped) {
    const std::uint64_t done = m_stats.executed;
    m_stopped = (m_stop.max_events != 0 && done >= m_stop.max_events) ||
                (m_stop.interrupt && m_stop.check_every != 0 && done % m_stop.check_every == 0 &&
                 m_stop.interrupt());
  }
  return m_stopped;
}

RunResult EventQueue::run_until(TimeUs end) {
  SPMC_CHECK(end >= m_now);
  RunResult result;
  for (;;) {
    if (stop_reached()) {
      // Virtual time stays where the last event left it: the run did not reach `end`.
      result.stopped = true;
      result.quiescent = m_pending == 0;
      return result;
    }
    const std::optional<TimeUs> next = next_time();
    if (!next || *next > end) {
      break;
    }
    step();
    ++result.events;
  }
  m_now = end;
  result.quiescent = m_pending == 0;
  return result;
}

RunResult EventQueue::run_until_quiescent(std::uint64_t max_events) {
  RunResult result;
  while (result.events < max_events && !stop_reached() && step()) {
    ++result.events;
  }
  result.stopped = m_stopped;
  result.quiescent = m_pending == 0;
  return result;
}

}  // namespace spmc::sim
