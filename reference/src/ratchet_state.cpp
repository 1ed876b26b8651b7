// Local-store encoding of both chains: canonical and bounded, so a phone's store can
// persist them and a corrupted store is rejected with a typed error, never trusted.
#include <utility>

#include "spmc/codec.hpp"
#include "spmc/ratchet.hpp"
#include "spmc/wire_traits.hpp"

namespace spmc::ratchet {

namespace {

// The stored forms: a chain's protocol state without its derived caches, which the
// constructors rebuild. Their secrets are Secret members: wiped when the form goes.

// The part both chains share: u16 version; u16 suite; master key (size by suite); 4 slots.
struct Core {
  Suite suite = Suite::kAes128;
  Secret<Bytes> master_key;
  Secret<SeedFile> slots;
  static std::size_t key_length(const Core& c) { return master_key_size(c.suite); }
  static auto fields(auto& m) {
    using Ver = wire::Version<std::uint16_t, kStateVersion, "chain state">;
    using SuiteField = wire::Parsed<std::uint16_t, suite_from_wire>;
    return wire::fields<Ver, SuiteField, wire::Sized<key_length>, wire::Raw>(
        wire::fixed, m.suite, wire::with(m, m.master_key), m.slots.n);
  }
};

// Core; u32 next (kCounterLimit is a valid, exhausted chain).
struct SendForm {
  Core core;
  std::uint32_t next = 0;
  static auto fields(auto& m) {
    return wire::fields<wire::Struct<Core>, wire::U32>(m.core, m.next);
  }
};

// Core; u32 next; u32 low; u32 count, count x (u32 counter; 16-byte key), the counters
// strictly increasing, each in [low, next).
struct ReceiveForm {
  Core core;
  std::uint32_t next = 0;
  std::uint32_t low = 0;
  std::map<std::uint32_t, Secret<Block>> skipped;
  std::uint32_t max_skipped = 0;  // the decoder's limit (RAT-008), not on the wire

  static Status check_low(const ReceiveForm& f) {
    if (f.low > f.next) {
      return make_error(ErrorCode::kBadValue, "low counter above next counter");
    }
    return ok_status();
  }
  static Status admit(const ReceiveForm& f, std::uint32_t count) {
    if (count > f.max_skipped) {  // RAT-008
      return make_error(ErrorCode::kBadLength, std::to_string(count) + " skipped keys");
    }
    return ok_status();
  }
  static Status add(const ReceiveForm& f, std::map<std::uint32_t, Secret<Block>>& skipped,
                    std::pair<std::uint32_t, Block>&& e) {
    const bool increasing = skipped.empty() || e.first > skipped.rbegin()->first;
    const bool canonical = increasing && e.first >= f.low && e.first < f.next;
    if (canonical) {
      skipped.emplace_hint(skipped.end(), e.first, e.second);
    }
    secure_wipe(e.second);
    if (!canonical) {
      return make_error(ErrorCode::kBadValue, "skipped counter out of order or range");
    }
    return ok_status();
  }
  static auto fields(auto& m) {
    using Skipped = wire::Seq<std::uint32_t, wire::Pair<wire::U32, wire::Raw>, admit, add>;
    return wire::fields<wire::Struct<Core>, wire::U32, wire::U32, wire::Check<check_low>, Skipped>(
        m.core, m.next, m.low, m, wire::with(m, m.skipped));
  }
};

}  // namespace

Bytes SendChain::encode_state() const {
  const SendForm form{{m_suite, m_master_key, SeedFile{m_slots}}, m_next};
  return wire::encode(form);
}

Result<SendChain> SendChain::decode_state(ByteView in) {
  codec::Reader r(in);
  SendForm form;
  SPMC_TRY_STATUS(wire::read(r, form));
  SPMC_TRY_STATUS(r.expect_end());
  SendChain chain(form.core.suite, form.core.master_key, form.core.slots);
  chain.m_next = form.next;
  return chain;
}

Bytes ReceiveChain::encode_state() const {
  const ReceiveForm form{{m_suite, m_master_key, SeedFile{m_slots}}, m_next, m_low, m_skipped};
  return wire::encode(form);
}

Result<ReceiveChain> ReceiveChain::decode_state(ByteView in, const Limits& limits) {
  codec::Reader r(in);
  ReceiveForm form;
  form.max_skipped = limits.max_skipped_keys;
  SPMC_TRY_STATUS(wire::read(r, form));
  SPMC_TRY_STATUS(r.expect_end());
  ReceiveChain chain(form.core.suite, form.core.master_key, form.core.slots, limits);
  chain.m_next = form.next;
  chain.m_low = form.low;
  chain.m_skipped.swap(form.skipped);  // the form wipes what it is left holding
  return chain;
}

}  // namespace spmc::ratchet
