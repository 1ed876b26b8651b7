// ChatServer::on_packet (SRV-001..SRV-020, CH-001..CH-008): fuzzer-chosen frames from three
// addresses, either raw bytes or well-formed data frames carrying fuzzer-chosen (or
// fuzzer-filled) requests, so the request handlers are reached as well as the channel.
// The server must never crash, and the bytes it transmits must be frames it can decode.
#include <fuzzer/FuzzedDataProvider.h>

#include <map>

#include "fuzz_support.hpp"
#include "spmc/rng.hpp"
#include "spmc/server.hpp"

namespace {

using namespace spmc;

class Effects final : public server::ServerEffects {
 public:
  void transmit(server::Address, Bytes frame) override {
    SPMC_FUZZ_CHECK(channel::decode(frame).ok());
  }
  void send_email(const std::string&, const std::string& text) override { last_mail = text; }
  void log(const std::string&) override {}
  std::string last_mail;
};

// One simulated connection per address: its session and next data sequence number.
struct Connection {
  std::uint32_t session = 1;
  std::uint32_t next_seq = 0;
};

proto::Body pick_request(FuzzedDataProvider& in, const Effects& fx) {
  const std::string id = in.ConsumeRandomLengthString(20);
  switch (in.ConsumeIntegralInRange<int>(0, 8)) {
    case 0:
      return proto::SignUp{in.ConsumeRandomLengthString(30), bytes_of("pw")};
    case 1: {  // the code from the last mail, as the phone would send it (SU-002)
      const auto colon = fx.last_mail.rfind(": ");
      const std::string prefix = "SPMC verification for ";
      if (colon == std::string::npos || colon < prefix.size()) {
        return proto::VerifyEmail{id, id};
      }
      return proto::VerifyEmail{fx.last_mail.substr(prefix.size(), colon - prefix.size()),
                                fx.last_mail.substr(colon + 2)};
    }
    case 2:
      return proto::Login{id, bytes_of("pw")};
    case 3:
      return proto::RequestCertificates{in.ConsumeBytes<std::uint8_t>(32),
                                        in.ConsumeBytes<std::uint8_t>(32)};
    case 4:
      return proto::TimeSync{};
    case 5:
      return proto::AddContact{id};
    case 6:
      return proto::AcceptContact{id};
    case 7:
      return proto::Send{
          id, in.ConsumeBool() ? proto::PayloadKind::kKeyShare : proto::PayloadKind::kEnvelope,
          in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 80))};
    default:
      return proto::Ack{in.ConsumeIntegralInRange<std::uint64_t>(0, 20)};
  }
}

Bytes pick_frame(FuzzedDataProvider& in, Connection& c, const Effects& fx) {
  const int mode = in.ConsumeIntegralInRange<int>(0, 4);
  if (mode == 0) {
    return in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 200));
  }
  if (mode == 1) {  // a new connection (CH-007)
    c.session = in.ConsumeIntegral<std::uint32_t>();
    c.next_seq = 0;
  }
  channel::Frame f;
  f.session = c.session;
  if (mode == 2) {
    f.kind = channel::FrameKind::kAck;
    f.number = in.ConsumeIntegralInRange<std::uint32_t>(0, 40);
    return channel::encode(f);
  }
  f.number = c.next_seq++;
  if (mode == 3) {
    f.payload = in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 200));
  } else {
    f.payload =
        proto::encode(proto::Message{in.ConsumeIntegral<std::uint32_t>(), pick_request(in, fx)});
  }
  return channel::encode(f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  DeterministicRng rng(3, "server-fuzz");
  ManualClock clock(1'700'000'000'000ULL);
  server::ServerConfig config;
  config.password_kdf_cost_n = 2;  // keep sign-up and login cheap
  server::ChatServer server(paper_profile(), rng, clock, config);
  Effects fx;
  std::map<server::Address, Connection> connections;
  for (int i = 0; i < 64 && in.remaining_bytes() > 0; ++i) {
    const auto from = in.ConsumeIntegralInRange<server::Address>(1, 3);
    if (in.ConsumeIntegralInRange<int>(0, 7) == 0) {
      clock.advance(in.ConsumeIntegralInRange<TimeMs>(0, 5000));
      server.on_timer(fx);
      continue;
    }
    const Bytes frame = pick_frame(in, connections[from], fx);
    server.on_packet(from, frame, fx);
  }
  return 0;
}
