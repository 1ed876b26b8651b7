#pragma once
// Helpers shared by the libFuzzer targets: a check that stays on in every build and
// says which property broke, and the round-trip property of every decoder.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "spmc/bytes.hpp"

namespace spmc::fuzz {

[[noreturn]] inline void fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz property violated: %s (%s:%d)\n", what, file, line);
  std::abort();
}

inline ByteView view(const std::uint8_t* data, std::size_t size) { return ByteView(data, size); }

inline bool same(ByteView a, ByteView b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// Canonical encoding (STYLE "Messages and codecs"): whatever decodes must encode back to
// exactly the input, as BoringSSL's der_roundtrip fuzzer demands.
template <typename Decode, typename Encode>
void round_trip(ByteView input, Decode decode, Encode encode) {
  auto decoded = decode(input);
  if (!decoded.ok()) {
    return;
  }
  const Bytes again = encode(*decoded);
  if (!same(again, input)) {
    fail("decode then encode changed the bytes", __FILE__, __LINE__);
  }
}

}  // namespace spmc::fuzz

#define SPMC_FUZZ_CHECK(cond)                        \
  do {                                               \
    if (!(cond)) {                                   \
      ::spmc::fuzz::fail(#cond, __FILE__, __LINE__); \
    }                                                \
  } while (false)
