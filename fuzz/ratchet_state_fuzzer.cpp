// ReceiveChain / SendChain::decode_state (local-store forms, RAT-004): round-trip; the
// first byte picks the chain kind.
#include "fuzz_support.hpp"
#include "spmc/profile.hpp"
#include "spmc/ratchet.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spmc;
  if (size < 1) {
    return 0;
  }
  const ByteView in = fuzz::view(data + 1, size - 1);
  if (data[0] & 1U) {
    fuzz::round_trip(
        in, [](ByteView b) { return ratchet::SendChain::decode_state(b); },
        [](const ratchet::SendChain& c) { return c.encode_state(); });
    return 0;
  }
  const Limits& limits = paper_profile().limits;
  fuzz::round_trip(
      in, [&](ByteView b) { return ratchet::ReceiveChain::decode_state(b, limits); },
      [](const ratchet::ReceiveChain& c) { return c.encode_state(); });
  auto chain = ratchet::ReceiveChain::decode_state(in, limits);
  if (chain.ok()) {
    SPMC_FUZZ_CHECK(chain->low_counter() <= chain->next_counter());
    SPMC_FUZZ_CHECK(chain->skipped_count() <= limits.max_skipped_keys);
  }
  return 0;
}
