// envelope::decode_payload (ENV-003): the sealed plaintext round-trips.
#include "fuzz_support.hpp"
#include "spmc/envelope.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  spmc::fuzz::round_trip(
      spmc::fuzz::view(data, size),
      [](spmc::ByteView in) { return spmc::envelope::decode_payload(in); },
      [](const spmc::envelope::AppPayload& p) { return spmc::envelope::encode(p); });
  return 0;
}
