// The paper's message-size comparison (section 4.2: a two-character message, ":)", is 70 bytes
// with MQTT and 100 bytes with XMPP), measured: a ChatServer and two Phones over a mosquitto
// this program starts, the phones' connections through a TCP relay in this process that keeps
// every byte each way. After sign-up and the contact exchange, Alice sends ":)" to Bob; the
// relay's streams are split into MQTT packets (spmc/live/mqtt_wire.hpp) and the PUBLISH of the
// Send (Alice -> broker) and of the Deliver (broker -> Bob) are taken apart layer by layer.
// Each layer's size is also computed from the encoders and the MQTT 3.1.1 layout; the program
// fails if measurement and computation differ. The XMPP stanzas (RFC 6120 section 8, RFC 6121
// section 5) are built as text and counted. See bench/README.md, "Live figures".
#include <cstdio>
#include <string>
#include <vector>

#include "live_harness.hpp"
#include "spmc/channel.hpp"
#include "spmc/envelope.hpp"
#include "spmc/live/mqtt_wire.hpp"
#include "spmc/server_proto.hpp"
#include "support/capture_relay.hpp"

namespace spmc::live::bench {
namespace {

// One PUBLISH seen on a stream, with its channel frame and SRV-013 message decoded.
struct Seen {
  std::size_t wire_bytes = 0;
  mqtt_wire::Packet packet;
  mqtt_wire::Publish publish;
  channel::Frame frame;
  proto::Message message;
  Bytes raw;  // the packet's bytes (the stream the views point into is gone)
};

// The first PUBLISH after `offset` in `stream` whose frame carries a message of type T.
template <typename T>
Seen find_publish(const Bytes& stream, std::size_t offset) {
  const ByteView rest = ByteView(stream).subspan(offset);
  const auto split = mqtt_wire::split_packets(rest);
  if (!split.ok()) {
    die("capture: " + split.error().detail);
  }
  std::size_t at = 0;
  for (const mqtt_wire::Packet& packet : split->packets) {
    const std::size_t start = at;
    at += packet.wire_bytes();
    if (packet.type != mqtt_wire::kPublish) {
      continue;
    }
    auto publish = mqtt_wire::parse_publish(packet);
    if (!publish.ok()) {
      die("capture: " + publish.error().detail);
    }
    auto frame = channel::decode(publish->payload);
    if (!frame.ok() || frame->kind != channel::FrameKind::kData) {
      continue;
    }
    auto message = proto::decode(frame->payload);
    if (!message.ok() || !std::holds_alternative<T>(message->body)) {
      continue;
    }
    Seen seen;
    seen.wire_bytes = packet.wire_bytes();
    seen.raw.assign(rest.begin() + static_cast<std::ptrdiff_t>(start),
                    rest.begin() + static_cast<std::ptrdiff_t>(at));
    // Views into the copy, for the layer sizes below.
    auto again = mqtt_wire::split_packets(seen.raw);
    seen.packet = again->packets.at(0);
    seen.publish = *mqtt_wire::parse_publish(seen.packet);
    seen.frame = std::move(frame).value();
    seen.message = std::move(message).value();
    return seen;
  }
  die("capture: no PUBLISH carrying the message after offset " + std::to_string(offset));
}

void expect_equal(std::size_t measured, std::size_t computed, const std::string& what) {
  if (measured != computed) {
    die(what + ": measured " + std::to_string(measured) + " B, computed " +
        std::to_string(computed) + " B");
  }
}

std::string base64(ByteView in) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const std::uint32_t v =
        (std::uint32_t{in[i]} << 16U) | (std::uint32_t{in[i + 1]} << 8U) | in[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) {
      out.push_back(kAlphabet[(v >> static_cast<unsigned>(shift)) & 0x3FU]);
    }
  }
  if (i + 1 == in.size()) {
    const std::uint32_t v = std::uint32_t{in[i]} << 16U;
    out.push_back(kAlphabet[(v >> 18U) & 0x3FU]);
    out.push_back(kAlphabet[(v >> 12U) & 0x3FU]);
    out += "==";
  } else if (i + 2 == in.size()) {
    const std::uint32_t v = (std::uint32_t{in[i]} << 16U) | (std::uint32_t{in[i + 1]} << 8U);
    out.push_back(kAlphabet[(v >> 18U) & 0x3FU]);
    out.push_back(kAlphabet[(v >> 12U) & 0x3FU]);
    out.push_back(kAlphabet[(v >> 6U) & 0x3FU]);
    out.push_back('=');
  }
  return out;
}

// RFC 6120 section 8.1 / RFC 6121 section 5.2: a chat message stanza as one line of XML, no
// id, no xml:lang, attributes in single quotes (no character needs escaping in a JID or in
// base64). An empty `from` is left out, as a client sends it (the server stamps it, RFC 6120
// section 8.1.2.1).
std::string xmpp_message(const std::string& from, const std::string& to, const std::string& body) {
  std::string s = "<message";
  if (!from.empty()) {
    s += " from='" + from + "'";
  }
  s += " to='" + to + "' type='chat'><body>" + body + "</body></message>";
  return s;
}

// TLS 1.3 with an AEAD cipher (RFC 8446 section 5.2): 5 bytes of record header, 1 byte of inner
// content type, 16 bytes of tag, for one message in one record.
constexpr std::size_t kTls13RecordOverhead = 5 + 1 + 16;

void row(const char* what, std::size_t up, std::size_t down, const char* how) {
  std::printf("| %s | %zu | %zu | %s |\n", what, up, down, how);
}

int run() {
  const TempDir dir;
  BrokerProcess broker = start_broker(dir);
  spmc::testing::CaptureRelay relay(broker.port());
  LiveWorld world(broker.host(), broker.port());
  LivePhone& alice = world.add_phone(relay.port());  // relay connection 0
  LivePhone& bob = world.add_phone(relay.port());    // relay connection 1
  world.open_channels();
  std::vector<phone::Delivered> bob_inbox;
  bob.on_deliver = [&bob_inbox](LivePhone&, const phone::Delivered& m) { bob_inbox.push_back(m); };
  world.sign_up_all();
  world.pair_up();
  const std::size_t alice_mark = relay.streams(0).up.size();
  const std::size_t bob_mark = relay.streams(1).down.size();

  const std::string text = ":)";
  const std::string alice_id = alice.phone().state().user_id;
  const std::string bob_id = bob.phone().state().user_id;
  must(alice.phone().send_text(bob_id, bytes_of(text), alice), "send_text");
  world.run([&] { return !bob_inbox.empty(); }, "delivery");
  world.quiesce();
  if (bob_inbox.size() != 1 || bob_inbox[0].body != bytes_of(text)) {
    die("Bob did not get \":)\" exactly once");
  }

  const Seen up = find_publish<proto::Send>(relay.streams(0).up, alice_mark);
  const Seen down = find_publish<proto::Deliver>(relay.streams(1).down, bob_mark);
  const auto& send = std::get<proto::Send>(up.message.body);
  const auto& deliver = std::get<proto::Deliver>(down.message.body);
  if (send.payload != deliver.payload) {
    die("the Deliver does not carry the Send's envelope");
  }
  const Bytes& envelope_bytes = send.payload;
  auto envelope = envelope::decode_envelope(envelope_bytes);
  if (!envelope.ok()) {
    die("envelope: " + envelope.error().detail);
  }

  // Each layer computed from the encoders and the MQTT layout, checked against the capture.
  const envelope::AppPayload app{envelope::ContentType::kText, bytes_of(text)};
  const std::size_t app_bytes = envelope::encode(app).size();
  const std::size_t ciphertext_bytes = app_bytes + crypto::kGcmTagSize;
  const std::size_t header_bytes = envelope::encode_header(envelope->header).size();
  const std::size_t envelope_computed = header_bytes + 4 + ciphertext_bytes;
  expect_equal(envelope->ciphertext.size(), ciphertext_bytes, "ciphertext");
  expect_equal(envelope_bytes.size(), envelope_computed, "envelope");
  const std::size_t send_message = proto::encode(up.message).size();
  const std::size_t deliver_message = proto::encode(down.message).size();
  expect_equal(up.frame.payload.size(), send_message, "Send message");
  expect_equal(down.frame.payload.size(), deliver_message, "Deliver message");
  const std::size_t up_frame = channel::encode(up.frame).size();
  const std::size_t down_frame = channel::encode(down.frame).size();
  expect_equal(up.publish.payload.size(), up_frame, "uplink frame");
  expect_equal(down.publish.payload.size(), down_frame, "downlink frame");
  const std::string up_topic = server_topic(alice.address);
  const std::string down_topic = phone_topic(bob.address);
  expect_equal(up.publish.topic.size(), up_topic.size(), "uplink topic");
  expect_equal(down.publish.topic.size(), down_topic.size(), "downlink topic");
  const auto up_layout = mqtt_wire::publish_layout(up_topic.size(), up_frame, 1);
  const auto down_layout = mqtt_wire::publish_layout(down_topic.size(), down_frame, 1);
  expect_equal(up.wire_bytes, up_layout.total(), "uplink PUBLISH");
  expect_equal(down.wire_bytes, down_layout.total(), "downlink PUBLISH");
  if (up.publish.qos != 1 || down.publish.qos != 1 || up.publish.retain || down.publish.retain) {
    die("a PUBLISH not at QoS 1 or retained (MQT-006, MQT-009)");
  }

  std::printf(
      "Two-character text message \"%s\", SPMC over MQTT 3.1.1 (QoS 1), loopback, "
      "a mosquitto started by BrokerProcess\n",
      text.c_str());
  std::printf("sender id %zu B, recipient id %zu B, uplink topic '%s', downlink topic '%s'\n\n",
              alice_id.size(), bob_id.size(), up_topic.c_str(), down_topic.c_str());
  std::printf("| layer | phone -> server (Send) B | server -> phone (Deliver) B | made of |\n");
  std::printf("| --- | ---: | ---: | --- |\n");
  row("text", text.size(), text.size(), "UTF-8");
  row("AppPayload (ENV-003)", app_bytes, app_bytes, "u8 content type, u32 length, text");
  row("GCM ciphertext", ciphertext_bytes, ciphertext_bytes, "AppPayload + 16-byte tag");
  row("envelope header (ENV-001)", header_bytes, header_bytes,
      "u16 version, u8 kind, 2+16 sender, 2+16 recipient, u64 key time, u32 epoch, u16 index, "
      "u32 counter, u64 sent time");
  row("envelope (ENV-001)", envelope_bytes.size(), envelope_bytes.size(),
      "header, u32 length, ciphertext");
  row("SRV-013 message", send_message, deliver_message,
      "u8 type, u32 request id; Send: 2+16 to, u8 kind, u32 length, envelope; Deliver: u64 "
      "message id, 2+16 from, u8 kind, u64 server time, u32 length, envelope");
  row("channel frame (CH-001) = MQTT payload", up_frame, down_frame,
      "u8 kind, u32 session, u32 seq, u32 length, message");
  row("MQTT PUBLISH overhead", up_layout.overhead(), down_layout.overhead(),
      "1 type/flags, Remaining Length, 2+topic, 2 packet id");
  row("**MQTT PUBLISH (measured on loopback)**", up.wire_bytes, down.wire_bytes,
      "= computed from the MQTT 3.1.1 layout");
  row("+ TLS 1.3 record", up.wire_bytes + kTls13RecordOverhead,
      down.wire_bytes + kTls13RecordOverhead, "5 header, 1 content type, 16 tag");

  // XMPP: the same ciphertext, base64-encoded in the body. JIDs: the SPMC user ids as local
  // parts (16 characters) at example.org, resource "phone".
  const std::string domain = "@example.org";
  const std::string from_full = alice_id + domain + "/phone";
  const std::string to_bare = bob_id + domain;
  const std::string to_full = to_bare + "/phone";
  const std::string env64 = base64(envelope_bytes);
  const std::string ct64 = base64(envelope->ciphertext);
  const std::string x_up_env = xmpp_message("", to_bare, env64);
  const std::string x_down_env = xmpp_message(from_full, to_full, env64);
  const std::string x_up_ct = xmpp_message("", to_bare, ct64);
  const std::string x_down_ct = xmpp_message(from_full, to_full, ct64);
  const std::string x_paper =
      xmpp_message("alice@example.org/phone", "bob@example.org/phone", text);
  const auto mqtt_plain = mqtt_wire::publish_layout(up_topic.size(), text.size(), 1).total();
  std::printf(
      "\nXMPP <message type='chat'> (RFC 6120/6121), JIDs <16-char id>@example.org, "
      "full JIDs with /phone; uplink as a client sends it (to = bare JID, no from), "
      "downlink as delivered (from and to full JIDs)\n\n");
  std::printf(
      "| stanza | phone -> server B | server -> phone B | + TLS 1.3 record B (up / down) |\n");
  std::printf("| --- | ---: | ---: | ---: |\n");
  std::printf("| body = base64(envelope), %zu chars | %zu | %zu | %zu / %zu |\n", env64.size(),
              x_up_env.size(), x_down_env.size(), x_up_env.size() + kTls13RecordOverhead,
              x_down_env.size() + kTls13RecordOverhead);
  std::printf("| body = base64(GCM ciphertext only), %zu chars | %zu | %zu | %zu / %zu |\n",
              ct64.size(), x_up_ct.size(), x_down_ct.size(), x_up_ct.size() + kTls13RecordOverhead,
              x_down_ct.size() + kTls13RecordOverhead);
  std::printf(
      "| plaintext \":)\", alice@example.org/phone -> bob@example.org/phone | - | %zu | - |\n",
      x_paper.size());
  std::printf("\nFor comparison, \":)\" in clear in one PUBLISH on '%s' (no SPMC layers): %zu B.\n",
              up_topic.c_str(), mqtt_plain);
  std::printf("\nstanza (downlink, envelope): %s\n", x_down_env.c_str());
  std::printf("stanza (plaintext): %s\n", x_paper.c_str());
  return 0;
}

}  // namespace
}  // namespace spmc::live::bench

int main() {
  return spmc::live::bench::run_main([] { return spmc::live::bench::run(); });
}
