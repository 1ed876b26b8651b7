// envelope::decode_envelope (ENV-001): round-trips, and the header encoding (the AAD,
// ENV-002) is exactly the bytes before the ciphertext's length.
#include "fuzz_support.hpp"
#include "spmc/envelope.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spmc;
  const ByteView in = fuzz::view(data, size);
  fuzz::round_trip(
      in, [](ByteView b) { return envelope::decode_envelope(b); },
      [](const envelope::Envelope& e) { return envelope::encode(e); });
  auto decoded = envelope::decode_envelope(in);
  if (decoded.ok()) {
    const Bytes header = envelope::encode_header(decoded->header);
    SPMC_FUZZ_CHECK(header.size() < size);
    SPMC_FUZZ_CHECK(fuzz::same(header, in.first(header.size())));
  }
  return 0;
}
