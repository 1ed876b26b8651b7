// cert::decode (CERT-001) round-trips; verify (CERT-002) never crashes on what decoded.
#include <set>

#include "fuzz_support.hpp"
#include "spmc/certificate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spmc;
  const ByteView in = fuzz::view(data, size);
  fuzz::round_trip(
      in, [](ByteView b) { return cert::decode(b); },
      [](const cert::Certificate& c) { return cert::encode(c); });
  auto decoded = cert::decode(in);
  if (decoded.ok()) {
    const crypto::Ed25519Public ca{};
    const std::set<std::uint64_t> revoked{1, 2};
    // Must not crash whatever the fields hold (a zero CA key is a small-order point).
    (void)cert::verify(*decoded, ca, decoded->user_id, decoded->usage, decoded->not_before_ms,
                       revoked);
    (void)cert::fingerprint(*decoded);
  }
  return 0;
}
