#pragma once
// One MQTT connection through libmosquitto's C API (spec/transport_mqtt.md), owned like a
// file: created, connected, driven by poll(), destroyed. Every failure is a Result with a
// live::Fault (errors.hpp); no exception crosses into or out of libmosquitto.
//
// Single-threaded by design: nothing runs in the background. Callbacks (the receive function)
// run inside poll(), run_until(), connect(), subscribe(), flush() and disconnect(), on the
// caller's thread, so a receive function may call publish() but must not destroy the client.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "spmc/bytes.hpp"
#include "spmc/live/tls.hpp"
#include "spmc/result.hpp"

namespace spmc::live {

struct ClientOptions {
  std::string client_id;      // MQT-010; required when clean_session is false
  bool clean_session = true;  // MQT-011: false keeps subscriptions and queued frames
  int keepalive_s = 30;       // MQT-014
  // TCP_NODELAY on the socket: a frame is sent at once instead of waiting, under Nagle's
  // algorithm, for the acknowledgement of the previous one (bench/README.md, "Live figures").
  bool tcp_nodelay = false;
  // MQT-018: MQTT over TLS to a broker whose certificate chains to tls->ca_file and names the
  // host given to connect(); with a certificate and key, mutual TLS. Nothing: plain TCP.
  std::optional<ClientTls> tls{};
  // MQT-026: the message the broker publishes (QoS 1, not retained) when this client's
  // connection ends without a DISCONNECT: a crash, a kill, a lost link.
  struct Will {
    std::string topic;
    std::string payload;
  };
  std::optional<Will> will{};
};

// A frame as it arrived: the topic it came on and the MQTT payload (one channel frame).
using ReceiveFn = std::function<void(std::string_view topic, ByteView frame)>;

// How many arriving messages the client dropped before the receive function (MQT-008,
// MQT-009), for a caller's log.
struct ClientCounters {
  std::uint64_t received = 0;
  std::uint64_t dropped_retained = 0;
  std::uint64_t dropped_too_large = 0;
};

class MqttClient {
 public:
  // Initialises libmosquitto once per process (undone at exit) and makes the handle.
  static Result<MqttClient> create(ClientOptions options);

  MqttClient(MqttClient&& other) noexcept;
  MqttClient& operator=(MqttClient&& other) noexcept;
  MqttClient(const MqttClient&) = delete;
  MqttClient& operator=(const MqttClient&) = delete;
  ~MqttClient();

  void on_receive(ReceiveFn receive);

  // TCP connect (and with TLS the handshake), then wait for the CONNACK. connect_failed when
  // either fails; tls_failed, with OpenSSL's reason, when the handshake or a certificate check
  // fails (MQT-018). Never longer than timeout_ms.
  Status connect(const std::string& host, std::uint16_t port, int timeout_ms);
  // The broker kept a session for this client id (MQT-011); valid after connect().
  bool session_present() const;
  bool connected() const;

  // Subscribes at QoS 1 and waits for the SUBACK; refused when the broker grants less.
  Status subscribe(const std::string& topic_filter, int timeout_ms);
  // MQT-006, MQT-009: QoS 1, never retained. Written at once when connected; acknowledged by
  // the broker in a later poll(). not_connected / connection_lost when the link is down.
  Status publish(const std::string& topic, ByteView frame);
  // Publishes not yet acknowledged by the broker (PUBACK).
  std::size_t in_flight() const;
  // Waits until every publish so far is acknowledged by the broker.
  Status flush(int timeout_ms);

  // One round of network I/O, waiting at most timeout_ms for traffic; runs callbacks.
  Status poll(int timeout_ms);
  // For a caller that waits on many clients with one poll(2) of its own: the socket (-1
  // without a connection), whether the client has bytes waiting to be written (wait for
  // POLLOUT too), and the round of I/O that poll() does after its wait, `readable` being what
  // the caller's poll(2) reported (POLLIN, POLLHUP or POLLERR). Callbacks run as in poll().
  // Call service(false) on every client now and then (at most every keepalive_s / 2): it also
  // sends the keepalive ping (MQT-014).
  int socket() const;
  bool wants_write() const;
  Status service(bool readable);
  // poll() until done() holds; timeout when timeout_ms pass first.
  Status run_until(const std::function<bool()>& done, int timeout_ms);

  // A clean DISCONNECT (the broker keeps a persistent session) and the socket closed.
  Status disconnect(int timeout_ms);

  const ClientCounters& counters() const;

 private:
  struct Impl;
  explicit MqttClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace spmc::live
