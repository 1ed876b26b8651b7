// keyshare::decode_plain (KS-001): the plain share, pairwise or group, round-trips.
#include "fuzz_support.hpp"
#include "spmc/key_share.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  spmc::fuzz::round_trip(
      spmc::fuzz::view(data, size),
      [](spmc::ByteView in) { return spmc::keyshare::decode_plain(in); },
      [](const spmc::keyshare::KeySharePlain& p) { return spmc::keyshare::encode(p); });
  return 0;
}
