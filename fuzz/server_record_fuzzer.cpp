// The records a server store keeps (spec/server.md SRV-022): byte 0 picks the decoder
// (account, identity, stored push), the rest is the record. Whatever decodes encodes back to
// exactly the input; an account's lists come back in the one order that encodes them.
#include "fuzz_support.hpp"
#include "spmc/server_durable.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const spmc::ByteView in = spmc::fuzz::view(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      spmc::fuzz::round_trip(in, spmc::server::decode_account, spmc::server::encode_account);
      break;
    case 1:
      spmc::fuzz::round_trip(in, spmc::server::decode_identity, spmc::server::encode_identity);
      break;
    default:
      spmc::fuzz::round_trip(in, spmc::server::decode_push, [](const spmc::proto::Body& push) {
        SPMC_FUZZ_CHECK(spmc::server::push_message_id(push) != 0);
        return spmc::server::encode_push(push);
      });
      break;
  }
  return 0;
}
