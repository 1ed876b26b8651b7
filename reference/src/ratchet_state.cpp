// Local-store encoding of both chains: canonical and bounded, so a phone's store can
// persist them and a corrupted store is rejected with a typed error, never trusted.
#include <utility>

#include "spmc/codec.hpp"
#include "spmc/ratchet.hpp"

namespace spmc::ratchet {

namespace {

// The part both chains share; its secrets wipe themselves when it goes out of scope.
struct Core {
  Suite suite = Suite::kAes128;
  Secret<Bytes> master_key;
  Secret<SeedFile> slots;
};

void encode_core(codec::Writer& w, Suite suite, ByteView key, const std::array<Block, 4>& slots) {
  w.u16(kStateVersion);
  w.u16(static_cast<std::uint16_t>(suite));
  w.raw(key);
  for (const Block& s : slots) {
    w.raw(s);
  }
}

Status decode_core(codec::Reader& r, Core& core) {
  SPMC_TRY(std::uint16_t version, r.u16());
  if (version != kStateVersion) {
    return make_error(ErrorCode::kBadVersion, "chain state version " + std::to_string(version));
  }
  SPMC_TRY(std::uint16_t suite_wire, r.u16());
  SPMC_TRY(core.suite, suite_from_wire(suite_wire));
  SPMC_TRY(core.master_key, r.raw(master_key_size(core.suite)));
  for (Block& s : core.slots.n) {
    SPMC_TRY(s, r.block());
  }
  return ok_status();
}

}  // namespace

Bytes SendChain::encode_state() const {
  codec::Writer w;
  encode_core(w, m_suite, m_master_key, m_slots);
  w.u32(m_next);
  return w.take();
}

Result<SendChain> SendChain::decode_state(ByteView in) {
  codec::Reader r(in);
  Core core;
  SPMC_TRY_STATUS(decode_core(r, core));
  SPMC_TRY(std::uint32_t next, r.u32());  // kCounterLimit is a valid, exhausted chain
  SPMC_TRY_STATUS(r.expect_end());
  SendChain chain(core.suite, core.master_key, core.slots);
  chain.m_next = next;
  return chain;
}

Bytes ReceiveChain::encode_state() const {
  codec::Writer w;
  encode_core(w, m_suite, m_master_key, m_slots);
  w.u32(m_next);
  w.u32(m_low);
  w.u32(static_cast<std::uint32_t>(m_skipped.size()));
  for (const auto& [counter, key] : m_skipped) {
    w.u32(counter);
    w.raw(key);
  }
  return w.take();
}

Result<ReceiveChain> ReceiveChain::decode_state(ByteView in, const Limits& limits) {
  codec::Reader r(in);
  Core core;
  SPMC_TRY_STATUS(decode_core(r, core));
  SPMC_TRY(std::uint32_t next, r.u32());
  SPMC_TRY(std::uint32_t low, r.u32());
  if (low > next) {
    return make_error(ErrorCode::kBadValue, "low counter above next counter");
  }
  SPMC_TRY(std::uint32_t count, r.u32());
  if (count > limits.max_skipped_keys) {  // RAT-008
    return make_error(ErrorCode::kBadLength, std::to_string(count) + " skipped keys");
  }
  ReceiveChain chain(core.suite, core.master_key, core.slots, limits);
  chain.m_next = next;
  chain.m_low = low;
  for (std::uint32_t i = 0; i < count; ++i) {
    SPMC_TRY(std::uint32_t counter, r.u32());
    SPMC_TRY(Secret<Block> key, r.block());
    // Canonical: strictly increasing, each in [low, next).
    const bool increasing = chain.m_skipped.empty() || counter > chain.m_skipped.rbegin()->first;
    if (!increasing || counter < low || counter >= next) {
      return make_error(ErrorCode::kBadValue, "skipped counter out of order or range");
    }
    chain.m_skipped.emplace_hint(chain.m_skipped.end(), counter, std::move(key));
  }
  SPMC_TRY_STATUS(r.expect_end());
  return chain;
}

}  // namespace spmc::ratchet
