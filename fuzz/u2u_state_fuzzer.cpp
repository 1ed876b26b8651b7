// U2uSession::decode_state (the stored per-peer U2U state): round-trips under the profile
// the first byte picks.
#include "fuzz_support.hpp"
#include "spmc/profile.hpp"
#include "spmc/u2u.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spmc;
  if (size < 1) {
    return 0;
  }
  const Profile& profile = (data[0] & 1U) ? hardened_profile() : paper_profile();
  fuzz::round_trip(
      fuzz::view(data + 1, size - 1),
      [&](ByteView in) { return u2u::U2uSession::decode_state(profile, in); },
      [](const u2u::U2uSession& s) { return s.encode_state(); });
  return 0;
}
