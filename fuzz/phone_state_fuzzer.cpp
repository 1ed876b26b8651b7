// phone::decode_state (a phone's stored PersistentState, STO-010): whatever decodes under the
// profile byte 0 picks encodes back to exactly the input (canonical), and decoding that
// encoding again gives the same bytes once more.
#include "fuzz_support.hpp"
#include "spmc/phone_store.hpp"
#include "spmc/profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spmc;
  if (size < 1) {
    return 0;
  }
  const Profile& profile = (data[0] & 1U) ? hardened_profile() : paper_profile();
  const ByteView input = fuzz::view(data + 1, size - 1);
  auto decoded = phone::decode_state(input, profile);
  if (!decoded.ok()) {
    return 0;
  }
  const Bytes again = phone::encode_state(*decoded);
  SPMC_FUZZ_CHECK(fuzz::same(again, input));
  auto twice = phone::decode_state(again, profile);
  SPMC_FUZZ_CHECK(twice.ok());
  SPMC_FUZZ_CHECK(fuzz::same(phone::encode_state(*twice), again));
  return 0;
}
