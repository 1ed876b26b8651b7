#pragma once
// The header encoder shared by envelope.cpp and envelope_seal.cpp (internal header): seal
// writes the header straight into the wire buffer and authenticates it there (ENV-002).
#include <cstddef>
#include <cstdint>
#include <span>

#include "spmc/codec.hpp"
#include "spmc/envelope.hpp"

namespace spmc::envelope {

// ENV-001's header size for ids of these lengths: version, kind, sender_id, recipient_id,
// key_timestamp_ms, epoch, sender_index, counter, sent_ms.
constexpr std::size_t header_size_for(std::size_t sender_len, std::size_t recipient_len) {
  return 2 + 1 + 2 + sender_len + 2 + recipient_len + 8 + 4 + 2 + 4 + 8;
}
// The largest header ENV-001 allows (both ids at kIdMaxSize).
inline constexpr std::size_t kMaxHeaderSize = header_size_for(kIdMaxSize, kIdMaxSize);
// Size of write_header's output (ENV-001).
inline std::size_t header_size(const EnvelopeHeader& h) {
  return header_size_for(h.sender_id.size(), h.recipient_id.size());
}
// ENV-001's header fields, as encode_header writes them, into exactly header_size(header)
// bytes. A span, not a writer: the cursor stays a local the compiler keeps in registers (the
// byte stores could alias a writer passed by reference, forcing a reload per field).
void write_header(std::span<std::uint8_t> out, const EnvelopeHeader& header);

}  // namespace spmc::envelope
