// The server message frame (SRV-001): u8 type; u32 request_id; the body's fields. The
// bodies' encodings come from their field lists (server_proto.hpp, wire.hpp).
#include "spmc/server_proto.hpp"

namespace spmc::proto {

Bytes encode(const Message& message) {
  codec::Writer w(1 + 4 + Bodies::size(message.body));
  w.u8(Bodies::code(message.body));
  w.u32(message.request_id);
  Bodies::write(w, message.body);
  return w.take();
}

Result<Message> decode(ByteView bytes) {
  codec::Reader r(bytes);
  SPMC_TRY(std::uint8_t type, r.u8());
  Message m;
  SPMC_TRY(m.request_id, r.u32());
  SPMC_TRY(m.body, Bodies::read(type, r));
  SPMC_TRY_STATUS(r.expect_end());
  return m;
}

std::string_view type_name(const Body& body) { return Bodies::name(body); }

}  // namespace spmc::proto
