// The receive path (RAT-005..RAT-010, ENV-002): a fixed ReceiveChain is fed fuzzer-chosen
// counters and envelopes, some sealed correctly by the matching SendChain, some raw or
// bit-flipped. On every error the chain's stored state is exactly unchanged (RAT-009); a
// correctly sealed envelope that opens yields the sealed payload.
#include <fuzzer/FuzzedDataProvider.h>

#include "fuzz_support.hpp"
#include "spmc/envelope.hpp"
#include "spmc/ratchet.hpp"

namespace {

using namespace spmc;

// Small bounds so the fuzzer reaches eviction and the forward limit quickly.
Limits small_limits() {
  Limits limits;
  limits.max_forward = 64;
  limits.max_skipped_keys = 8;
  return limits;
}

const Bytes& master_key() {
  static const Bytes key(16, 0x42);
  return key;
}

ratchet::SeedFile seed() {
  ratchet::SeedFile s;
  for (std::size_t i = 0; i < 4; ++i) {
    s.n[i].fill(static_cast<std::uint8_t>(0x10 + i));
  }
  return s;
}

std::uint32_t pick_counter(FuzzedDataProvider& in, const ratchet::ReceiveChain& chain) {
  // Mostly near the window, sometimes anywhere (including kCounterLimit).
  if (in.ConsumeBool()) {
    return in.ConsumeIntegral<std::uint32_t>();
  }
  const std::int64_t base = chain.next_counter();
  const std::int64_t c = base + in.ConsumeIntegralInRange<std::int64_t>(-40, 80);
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(c, 0, 0xffffffffLL));
}

Bytes sealed_envelope(FuzzedDataProvider& in, std::uint32_t counter, envelope::AppPayload& p) {
  envelope::EnvelopeHeader h;
  h.sender_id = "bob";
  h.recipient_id = "alice";
  h.key_timestamp_ms = 1000;
  h.counter = counter;
  h.sent_ms = in.ConsumeIntegral<std::uint64_t>();
  p.body = in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 64));
  // The sender fast-forwards to the counter: bounded so one input stays cheap.
  ratchet::SendChain sender(Suite::kAes128, master_key(), seed(), counter);
  const ratchet::MessageKey mk = *sender.next();
  return envelope::seal(h, mk.key, p);
}

void open_one(FuzzedDataProvider& in, ratchet::ReceiveChain& chain) {
  const Bytes before = chain.encode_state();
  Bytes wire;
  std::optional<envelope::AppPayload> sealed;
  const std::uint32_t counter = pick_counter(in, chain);
  if (in.ConsumeBool() && counter <= chain.next_counter() + 200) {
    sealed.emplace();
    wire = sealed_envelope(in, counter, *sealed);
    if (in.ConsumeBool() && !wire.empty()) {  // tamper: must then fail and change nothing
      wire[in.ConsumeIntegralInRange<std::size_t>(0, wire.size() - 1)] ^=
          in.ConsumeIntegralInRange<std::uint8_t>(1, 255);
      sealed.reset();
    }
  } else {
    wire = in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 256));
  }
  auto env = envelope::decode_envelope(wire);
  if (!env.ok()) {
    return;
  }
  auto opened = envelope::open_with_chain(*env, chain);
  if (!opened.ok()) {
    SPMC_FUZZ_CHECK(chain.encode_state() == before);
    return;
  }
  if (sealed) {
    SPMC_FUZZ_CHECK(*opened == *sealed);
  }
  SPMC_FUZZ_CHECK(!chain.holds(env->header.counter));  // RAT-006: used keys are erased
}

void accept_one(FuzzedDataProvider& in, ratchet::ReceiveChain& chain) {
  const Bytes before = chain.encode_state();
  const std::uint32_t counter = pick_counter(in, chain);
  auto pending = chain.prepare(counter);
  SPMC_FUZZ_CHECK(chain.encode_state() == before);  // prepare mutates nothing
  if (!pending.ok()) {
    return;
  }
  SPMC_FUZZ_CHECK(pending->counter == counter);
  if (in.ConsumeBool()) {
    return;  // the message failed to open: the prepared key is dropped
  }
  chain.commit(std::move(*pending));
  SPMC_FUZZ_CHECK(!chain.holds(counter));
  SPMC_FUZZ_CHECK(chain.accept(counter).ok() == false);  // RAT-006: replay is refused
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  ratchet::ReceiveChain chain(Suite::kAes128, master_key(), seed(), small_limits());
  for (int step = 0; step < 64 && in.remaining_bytes() > 0; ++step) {
    if (in.ConsumeBool()) {
      open_one(in, chain);
    } else {
      accept_one(in, chain);
    }
    SPMC_FUZZ_CHECK(chain.skipped_count() <= small_limits().max_skipped_keys);
    SPMC_FUZZ_CHECK(chain.low_counter() <= chain.next_counter());
    auto again = ratchet::ReceiveChain::decode_state(chain.encode_state(), small_limits());
    SPMC_FUZZ_CHECK(again.ok() && *again == chain);
  }
  return 0;
}
