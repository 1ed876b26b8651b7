// The receiving chain (RAT-004..RAT-010): any delivery order within a bounded window,
// bounded skipped keys, and a two-phase receive so a failed message changes nothing.
#include <algorithm>
#include <iterator>
#include <utility>

#include "spmc/ratchet.hpp"

namespace spmc::ratchet {

ReceiveChain::ReceiveChain(Suite suite, ByteView master_key, const SeedFile& seed,
                           const Limits& limits)
    : m_suite(suite),
      m_master_key(Bytes(master_key.begin(), master_key.end())),
      m_cipher(master_key),
      m_slots(seed.n),
      m_limits(limits) {
  SPMC_CHECK(master_key.size() == master_key_size(suite));
}

Result<PendingKey> ReceiveChain::prepare(std::uint32_t counter) const {
  if (counter == kCounterLimit) {
    return make_error(ErrorCode::kBadValue, "counter 2^32-1 is never sent (RAT-003)");
  }
  if (counter < m_next) {
    return prepare_skipped(counter);
  }
  if (counter - m_next >= m_limits.max_forward) {  // RAT-007: nothing derived
    return make_error(ErrorCode::kCounterTooFarAhead,
                      "counter " + std::to_string(counter) + " is " +
                          std::to_string(counter - m_next) + " past the next expected");
  }
  return prepare_forward(counter);
}

// RAT-006: an earlier counter opens only with a held skipped key.
Result<PendingKey> ReceiveChain::prepare_skipped(std::uint32_t counter) const {
  const auto it = m_skipped.find(counter);
  if (it == m_skipped.end()) {
    if (counter >= m_low) {
      return make_error(ErrorCode::kReplay, "counter " + std::to_string(counter) + " already used");
    }
    return make_error(ErrorCode::kCounterTooOld,
                      "counter " + std::to_string(counter) + " below the kept window");
  }
  PendingKey p;
  p.counter = counter;
  p.key = it->second;
  p.from_skipped = true;
  p.slots = m_slots;
  p.next = m_next;
  p.low = m_low;
  p.base_next = m_next;
  p.base_low = m_low;
  p.base_skipped = m_skipped.size();
  return p;
}

// RAT-005 and RAT-008: derive next..counter into a copy of the slots; keep the keys of
// next..counter-1 as skipped keys, evicting the lowest beyond max_skipped_keys.
PendingKey ReceiveChain::prepare_forward(std::uint32_t counter) const {
  PendingKey p;
  p.counter = counter;
  p.slots = m_slots;
  p.base_next = m_next;
  p.base_low = m_low;
  p.base_skipped = m_skipped.size();
  p.new_skipped.reserve(counter - m_next);
  for (std::uint32_t k = m_next; k < counter; ++k) {
    p.new_skipped.emplace_back(k, step(m_cipher, p.slots[k % 4]));
  }
  p.key = step(m_cipher, p.slots[counter % 4]);
  p.next = counter + 1;
  p.low = m_low;
  const std::size_t total = m_skipped.size() + p.new_skipped.size();
  if (total <= m_limits.max_skipped_keys) {
    return p;
  }
  const std::size_t evict = total - m_limits.max_skipped_keys;
  p.evict_existing = std::min(evict, m_skipped.size());
  const std::size_t evict_new = evict - p.evict_existing;
  std::uint32_t highest_evicted = 0;
  if (evict_new > 0) {
    highest_evicted = p.new_skipped[evict_new - 1].first;
    // RAT-010: the evicted keys are overwritten by the survivors (Secret wipes what it is
    // assigned over and what it leaves).
    p.new_skipped.erase(p.new_skipped.begin(),
                        p.new_skipped.begin() + static_cast<std::ptrdiff_t>(evict_new));
  } else {
    highest_evicted =
        std::next(m_skipped.begin(), static_cast<std::ptrdiff_t>(p.evict_existing - 1))->first;
  }
  p.low = std::max(m_low, highest_evicted + 1);  // RAT-008: low rises past the evicted
  return p;
}

void ReceiveChain::commit(PendingKey&& pending) {
  // A pending key applies only to the state it was prepared from.
  SPMC_CHECK(pending.base_next == m_next && pending.base_low == m_low &&
             pending.base_skipped == m_skipped.size());
  if (pending.from_skipped) {
    const auto it = m_skipped.find(pending.counter);
    SPMC_CHECK(it != m_skipped.end());
    m_skipped.erase(it);  // RAT-010: used keys are erased (a Secret wipes itself)
  } else {
    for (std::size_t i = 0; i < pending.evict_existing; ++i) {
      m_skipped.erase(m_skipped.begin());
    }
    for (auto& [counter, key] : pending.new_skipped) {
      m_skipped.emplace_hint(m_skipped.end(), counter, std::move(key));
    }
    pending.new_skipped.clear();
    m_slots = pending.slots;
    m_next = pending.next;
    m_low = pending.low;
  }
  SPMC_CHECK(m_skipped.size() <= m_limits.max_skipped_keys);
  SPMC_CHECK(m_low <= m_next);
  pending.key.wipe();  // RAT-010: consumed now, not whenever the caller drops `pending`
}

Result<MessageKey> ReceiveChain::accept(std::uint32_t counter) {
  SPMC_TRY(PendingKey pending, prepare(counter));
  MessageKey out{counter, pending.key};
  commit(std::move(pending));
  return out;
}

bool ReceiveChain::operator==(const ReceiveChain& other) const {
  return m_suite == other.m_suite && m_master_key == other.m_master_key &&
         m_slots == other.m_slots && m_next == other.m_next && m_low == other.m_low &&
         m_skipped == other.m_skipped;
}

}  // namespace spmc::ratchet
