// u2u::decode_body (U2U-001..010 bodies): first byte is the content type, the rest the
// body; whatever decodes has an allowed shape and re-encodes to the same body.
#include "fuzz_support.hpp"
#include "spmc/u2u.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spmc;
  if (size < 1) {
    return 0;
  }
  const std::uint8_t type = data[0];
  const ByteView body = fuzz::view(data + 1, size - 1);
  auto decoded = u2u::decode_body(type, body);
  if (decoded.ok()) {
    SPMC_FUZZ_CHECK(static_cast<std::uint8_t>(decoded->type) == type);
    SPMC_FUZZ_CHECK(u2u::shape_allowed(*decoded));
    SPMC_FUZZ_CHECK(fuzz::same(u2u::encode_body(*decoded), body));
  }
  return 0;
}
