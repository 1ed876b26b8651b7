// Phone::on_packet (PH-001.., CH-001..): a signed-up phone with one contact (LoopbackWorld,
// fixed seed) reconnects, and the fuzzer then plays its server: raw frames, data frames in
// sequence on the new session with fuzzer-chosen messages, and Deliver pushes carrying
// fuzzer bytes or (possibly damaged) key shares and envelopes recorded from the world's
// own traffic, some never delivered yet. The phone must never crash, and every frame it
// transmits must decode.
#include <fuzzer/FuzzedDataProvider.h>

#include "fuzz_support.hpp"
#include "spmc/sim/loopback.hpp"

namespace {

using namespace spmc;

struct Recorded {
  proto::PayloadKind kind;
  Bytes payload;
};

// Key shares and envelopes seen on the wire: Deliver pushes and the Send requests behind them.
std::vector<Recorded> recorded_payloads(const std::vector<Bytes>& wire) {
  std::vector<Recorded> out;
  for (const Bytes& bytes : wire) {
    auto frame = channel::decode(bytes);
    if (!frame.ok() || frame->kind != channel::FrameKind::kData) {
      continue;
    }
    auto m = proto::decode(frame->payload);
    if (!m.ok()) {
      continue;
    }
    if (const auto* d = std::get_if<proto::Deliver>(&m->body)) {
      out.push_back({d->kind, d->payload});
    } else if (const auto* s = std::get_if<proto::Send>(&m->body)) {
      out.push_back({s->kind, s->payload});
    }
  }
  return out;
}

struct Harness {
  sim::LoopbackWorld world{paper_profile(), 11};
  std::string peer_id;
  std::vector<Recorded> recorded;
  std::uint32_t session = 0;
  std::uint32_t next_seq = 0;
  std::uint64_t next_message_id = 1000;

  Harness() {
    const std::size_t a = world.add_signed_up_phone("a@example.org");
    const std::size_t b = world.add_signed_up_phone("b@example.org");
    world.befriend(a, b);
    peer_id = world.phone(b).state().user_id;
    const std::string own_id = world.phone(a).state().user_id;
    (void)world.phone(b).send_text(own_id, bytes_of("delivered"), world.effects(b));
    world.run();
    world.set_online(a, false);  // what b sends now waits in the server's store
    (void)world.phone(b).send_text(own_id, bytes_of("stored 1"), world.effects(b));
    (void)world.phone(b).send_text(own_id, bytes_of("stored 2"), world.effects(b));
    world.run();
    recorded = recorded_payloads(world.wire());
    world.set_online(a, true);  // a fresh session; its login frame is the last one sent
    session = channel::decode(world.wire().back())->session;
  }
};

Bytes deliver_payload(FuzzedDataProvider& in, Harness& h, proto::PayloadKind& kind) {
  if (h.recorded.empty() || in.ConsumeBool()) {
    kind = in.ConsumeBool() ? proto::PayloadKind::kKeyShare : proto::PayloadKind::kEnvelope;
    return in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 300));
  }
  const Recorded& r = h.recorded[in.ConsumeIntegralInRange<std::size_t>(0, h.recorded.size() - 1)];
  kind = r.kind;
  Bytes payload = r.payload;
  if (in.ConsumeBool() && !payload.empty()) {
    payload[in.ConsumeIntegralInRange<std::size_t>(0, payload.size() - 1)] ^=
        in.ConsumeIntegralInRange<std::uint8_t>(1, 255);
  }
  return payload;
}

proto::Message pick_message(FuzzedDataProvider& in, Harness& h) {
  const auto request_id = in.ConsumeIntegralInRange<std::uint32_t>(0, 12);
  if (in.ConsumeBool()) {
    proto::Deliver d;
    d.message_id = in.ConsumeBool() ? h.next_message_id++ : in.ConsumeIntegral<std::uint64_t>();
    d.from = in.ConsumeBool() ? h.peer_id : in.ConsumeRandomLengthString(20);
    d.server_time_ms =
        1'700'000'000'000ULL + in.ConsumeIntegralInRange<std::uint64_t>(0, 1'000'000);
    d.payload = deliver_payload(in, h, d.kind);
    return {0, std::move(d)};
  }
  const Bytes raw = in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 300));
  auto m = proto::decode(raw);
  if (m.ok()) {
    return *m;
  }
  return {request_id, proto::Time{in.ConsumeIntegral<std::uint64_t>()}};
}

Bytes pick_frame(FuzzedDataProvider& in, Harness& h) {
  switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0:
      return in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 200));
    case 1: {
      channel::Frame ack{
          channel::FrameKind::kAck, h.session, in.ConsumeIntegralInRange<std::uint32_t>(0, 8), {}};
      return channel::encode(ack);
    }
    default: {
      channel::Frame f{channel::FrameKind::kData, h.session, h.next_seq++, {}};
      f.payload = proto::encode(pick_message(in, h));
      return channel::encode(f);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  Harness h;
  phone::Phone& phone = h.world.phone(0);
  const std::size_t wire_before = h.world.wire().size();
  for (int i = 0; i < 32 && in.remaining_bytes() > 0; ++i) {
    switch (in.ConsumeIntegralInRange<int>(0, 9)) {
      case 0:
        h.world.clock().advance(in.ConsumeIntegralInRange<TimeMs>(0, 20'000));
        phone.on_timer(h.world.effects(0));
        break;
      case 1:
        (void)phone.send_text(h.peer_id, bytes_of("out"), h.world.effects(0));
        break;
      default:
        phone.on_packet(pick_frame(in, h), h.world.effects(0));
    }
  }
  for (std::size_t i = wire_before; i < h.world.wire().size(); ++i) {
    SPMC_FUZZ_CHECK(channel::decode(h.world.wire()[i]).ok());
  }
  return 0;
}
