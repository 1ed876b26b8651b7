// Seals an envelope, decodes it and opens it again through the installed spmc_reference:
// the headers, the library and its Crypto++ / SIMD dependencies all resolved from the
// install. Exit 0 and "round trip ok" when the payload comes back unchanged.
#include <cstdio>

#include "spmc/envelope.hpp"

int main() {
  spmc::envelope::EnvelopeHeader header;
  header.sender_id = "alice";
  header.recipient_id = "bob";
  header.counter = 7;
  const spmc::Block key{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  spmc::envelope::AppPayload payload;
  payload.body = {'h', 'i'};
  const spmc::Bytes wire = spmc::envelope::seal(header, key, payload);
  const auto envelope = spmc::envelope::decode_envelope(wire);
  if (!envelope.ok() || envelope->header != header) {
    std::puts("decode failed");
    return 1;
  }
  const auto opened = spmc::envelope::open(*envelope, key);
  if (!opened.ok() || *opened != payload) {
    std::puts("open failed");
    return 1;
  }
  std::printf("round trip ok: %zu wire bytes\n", wire.size());
  return 0;
}
