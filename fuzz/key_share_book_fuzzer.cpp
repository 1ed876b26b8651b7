// keyshare::decode_book (the receiver's stored book): round-trips.
#include "fuzz_support.hpp"
#include "spmc/key_share_book.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  spmc::fuzz::round_trip(
      spmc::fuzz::view(data, size),
      [](spmc::ByteView in) { return spmc::keyshare::decode_book(in); },
      [](const spmc::keyshare::KeyShareBook& b) { return spmc::keyshare::encode(b); });
  return 0;
}
