// channel::decode (CH-001): a frame decodes only from its one canonical encoding.
#include "fuzz_support.hpp"
#include "spmc/channel.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  spmc::fuzz::round_trip(
      spmc::fuzz::view(data, size), [](spmc::ByteView in) { return spmc::channel::decode(in); },
      [](const spmc::channel::Frame& f) { return spmc::channel::encode(f); });
  return 0;
}
