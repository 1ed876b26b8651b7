// keyshare::decode_message (KS-002) round-trips, and its signed bytes are a prefix.
#include "fuzz_support.hpp"
#include "spmc/key_share.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spmc;
  const ByteView in = fuzz::view(data, size);
  fuzz::round_trip(
      in, [](ByteView b) { return keyshare::decode_message(b); },
      [](const keyshare::KeyShareMessage& m) { return keyshare::encode(m); });
  auto decoded = keyshare::decode_message(in);
  if (decoded.ok()) {
    const Bytes signed_part = keyshare::signed_bytes(*decoded);
    SPMC_FUZZ_CHECK(signed_part.size() <= size);
    SPMC_FUZZ_CHECK(fuzz::same(signed_part, in.first(signed_part.size())));
  }
  return 0;
}
