// proto::decode (SRV-001): every phone <-> server message round-trips byte for byte.
#include "fuzz_support.hpp"
#include "spmc/server_proto.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  spmc::fuzz::round_trip(
      spmc::fuzz::view(data, size), [](spmc::ByteView in) { return spmc::proto::decode(in); },
      [](const spmc::proto::Message& m) {
        (void)spmc::proto::type_name(m.body);
        return spmc::proto::encode(m);
      });
  return 0;
}
