#include "spmc/live/mqtt_client.hpp"

#include <mosquitto.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <exception>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "spmc/live/errors.hpp"
#include "spmc/live/topic.hpp"

namespace spmc::live {
namespace {

// mosquitto_lib_init / mosquitto_lib_cleanup once per process: the first client initialises
// the library (a function-local static is initialised once, even with threads), and the
// static's destructor cleans it up at exit.
class Library {
 public:
  Library() : m_rc(mosquitto_lib_init()) {}
  ~Library() {
    if (m_rc == MOSQ_ERR_SUCCESS) {
      mosquitto_lib_cleanup();
    }
  }
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;
  int rc() const { return m_rc; }

 private:
  int m_rc;
};

Status ensure_library() {
  static const Library library;
  if (library.rc() != MOSQ_ERR_SUCCESS) {
    return live_error(Fault::kLibrary,
                      std::string("mosquitto_lib_init: ") + mosquitto_strerror(library.rc()));
  }
  return ok_status();
}

// The text of a libmosquitto result; for MOSQ_ERR_ERRNO the system's reason.
std::string reason(int rc) {
  if (rc == MOSQ_ERR_ERRNO) {
    return std::strerror(errno);  // NOLINT(concurrency-mt-unsafe): single-threaded client
  }
  return mosquitto_strerror(rc);
}

// A failure of mosquitto_loop, by what it means for the caller.
Error loop_error(int rc) {
  switch (rc) {
    case MOSQ_ERR_NO_CONN:
      return live_error(Fault::kNotConnected, "no connection to the broker");
    case MOSQ_ERR_CONN_LOST:
    case MOSQ_ERR_ERRNO:
    case MOSQ_ERR_KEEPALIVE:
    case MOSQ_ERR_PROTOCOL:
    case MOSQ_ERR_MALFORMED_PACKET:
      return live_error(Fault::kConnectionLost, reason(rc));
    case MOSQ_ERR_CONN_REFUSED:
      return live_error(Fault::kConnectFailed, reason(rc));
    case MOSQ_ERR_TLS:
      return live_error(Fault::kTls, reason(rc));
    default:
      return live_error(Fault::kLibrary, reason(rc));
  }
}

// The results that mean "no usable connection" rather than a misuse of the library.
bool connection_failure(int rc) {
  return rc == MOSQ_ERR_NO_CONN || rc == MOSQ_ERR_CONN_LOST || rc == MOSQ_ERR_ERRNO;
}

using Clock = std::chrono::steady_clock;

// MQT-018: verify the broker always (certificate chain and host name), TLS 1.2 or later.
Status configure_tls(mosquitto* handle, const ClientTls& tls) {
  if (tls.ca_file.empty()) {
    return live_error(Fault::kTls, "a CA file is required: the broker is always verified");
  }
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    return live_error(Fault::kTls, "a client certificate needs its key, and a key its certificate");
  }
  const auto c_str_or_null = [](const std::filesystem::path& p) {
    return p.empty() ? nullptr : p.c_str();
  };
  // libmosquitto only checks here that the files can be opened; their content is loaded, and
  // a bad one reported, by connect().
  int rc = mosquitto_tls_set(handle, tls.ca_file.c_str(), nullptr, c_str_or_null(tls.cert_file),
                             c_str_or_null(tls.key_file), nullptr);
  if (rc != MOSQ_ERR_SUCCESS) {
    return live_error(Fault::kTls,
                      "cannot read " + tls.ca_file.string() +
                          (tls.cert_file.empty() ? "" : " or " + tls.cert_file.string()) +
                          (tls.key_file.empty() ? "" : " or " + tls.key_file.string()));
  }
  constexpr int kVerifyPeer = 1;  // SSL_VERIFY_PEER: a handshake without a valid chain fails
  const std::string version(tls_version_name(tls.min_version));
  rc = mosquitto_tls_opts_set(handle, kVerifyPeer, version.c_str(), nullptr);
  if (rc == MOSQ_ERR_SUCCESS) {
    rc = mosquitto_tls_insecure_set(handle, false);  // the host name check stays on
  }
  if (rc != MOSQ_ERR_SUCCESS) {
    return live_error(Fault::kTls, "TLS options: " + reason(rc));
  }
  return ok_status();
}

}  // namespace

struct MqttClient::Impl {
  ClientOptions options;
  mosquitto* handle = nullptr;
  ReceiveFn receive;
  bool connack_received = false;
  int connack_rc = 0;
  bool session_present = false;
  bool connected = false;
  std::set<int> unacked_publishes;  // message ids awaiting PUBACK
  std::set<int> pending_subscribes;
  bool subscribe_refused = false;
  // An exception a callback caught at the C boundary; the next poll() returns it.
  std::optional<Error> callback_failure;
  ClientCounters counters;
  // The errors libmosquitto logged since connect() began: with TLS, OpenSSL's reasons for a
  // failed handshake ("certificate verify failed", "host name verification failed"), which
  // its return codes do not carry.
  std::vector<std::string> logged_errors;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  Impl(Impl&&) = delete;
  Impl& operator=(Impl&&) = delete;
  ~Impl() {
    if (handle != nullptr) {
      mosquitto_destroy(handle);  // closes the socket without DISCONNECT if still open
    }
  }

  static Impl& of(void* obj) { return *static_cast<Impl*>(obj); }

  // The callbacks libmosquitto calls from inside mosquitto_loop(). Each is noexcept and
  // catches everything: an exception must not unwind through C frames.
  static void on_connect(mosquitto* /*mosq*/, void* obj, int rc, int flags) noexcept {
    Impl& self = of(obj);
    self.connack_received = true;
    self.connack_rc = rc;
    self.connected = rc == 0;
    self.session_present = rc == 0 && (flags & 1) != 0;  // CONNACK "session present" bit
  }
  static void on_disconnect(mosquitto* /*mosq*/, void* obj, int /*rc*/) noexcept {
    of(obj).connected = false;
  }
  static void on_publish(mosquitto* /*mosq*/, void* obj, int mid) noexcept {
    of(obj).unacked_publishes.erase(mid);
  }
  static void on_subscribe(mosquitto* /*mosq*/, void* obj, int mid, int qos_count,
                           const int* granted_qos) noexcept {
    Impl& self = of(obj);
    self.pending_subscribes.erase(mid);
    for (int i = 0; i < qos_count; ++i) {
      // MQT-006: anything below QoS 1 (or 0x80, failure) is a refusal.
      if (granted_qos[i] != 1) {  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
        self.subscribe_refused = true;
      }
    }
  }
  static void on_log(mosquitto* /*mosq*/, void* obj, int level, const char* text) noexcept {
    constexpr std::size_t kKept = 8;  // the first reasons are the useful ones
    Impl& self = of(obj);
    if (level != MOSQ_LOG_ERR || text == nullptr || self.logged_errors.size() >= kKept) {
      return;
    }
    try {
      self.logged_errors.emplace_back(text);
    } catch (...) {  // out of memory: the reason is lost, the failure itself is still returned
    }
  }
  static void on_message(mosquitto* /*mosq*/, void* obj, const mosquitto_message* m) noexcept {
    Impl& self = of(obj);
    try {
      self.deliver(*m);
    } catch (const std::exception& e) {
      self.callback_failure = live_error(Fault::kCallback, e.what());
    } catch (...) {
      self.callback_failure = live_error(Fault::kCallback, "non-standard exception");
    }
  }

  // A connect() that failed, typed by what went wrong: tls_failed when the TLS layer logged
  // why, or when a TLS connection was closed before CONNACK (an MQTT broker refuses with a
  // CONNACK code; with TLS 1.3 a broker that wants a client certificate ends the connection
  // after the client's side of the handshake, often with nothing for OpenSSL to report).
  // Otherwise connect_failed, with a hint when a plain client met a TLS listener (which
  // closes the connection at the first bytes that are not a TLS handshake).
  Error connect_failure(const std::string& where, const std::string& what, bool closed) const {
    if (options.tls && !logged_errors.empty()) {
      std::string why;
      for (const std::string& line : logged_errors) {
        why += (why.empty() ? "" : "; ") + line;
      }
      std::string hint;
      if (why.find("verif") != std::string::npos) {
        hint = ": is the broker's certificate issued by " + options.tls->ca_file.string() +
               " and for this host name?";
      } else if (why.find("unexpected eof") != std::string::npos) {
        hint = ": the peer closed the connection during the handshake; is it a TLS listener?";
      }
      return live_error(Fault::kTls, where + ": TLS handshake failed (" + why + ")" + hint);
    }
    if (options.tls && closed) {
      return live_error(Fault::kTls, where + ": " + what +
                                         ": the broker closed the TLS connection before CONNACK, "
                                         "as it does when it requires a client certificate and "
                                         "this client has none it accepts");
    }
    if (closed) {
      return live_error(Fault::kConnectFailed,
                        where + ": " + what +
                            ": the broker closed the connection before CONNACK, as a TLS "
                            "listener does with a client that does not speak TLS");
    }
    return live_error(Fault::kConnectFailed, where + ": " + what);
  }

  void deliver(const mosquitto_message& m) {
    ++counters.received;
    if (m.retain) {  // MQT-009: a retained message can only be a stale frame
      ++counters.dropped_retained;
      return;
    }
    const auto size = static_cast<std::size_t>(std::max(m.payloadlen, 0));
    if (!check_frame_size(size).ok()) {  // MQT-008
      ++counters.dropped_too_large;
      return;
    }
    if (receive) {
      const ByteView frame(static_cast<const std::uint8_t*>(m.payload), size);
      receive(m.topic, frame);
    }
  }

  int loop_once(int timeout_ms);
  int service(bool readable);

  // What a round of I/O returns: a callback's failure first, then libmosquitto's.
  Status after_io(int rc) {
    SPMC_TRY_STATUS(take_callback_failure());
    if (rc != MOSQ_ERR_SUCCESS) {
      connected = false;
      return loop_error(rc);
    }
    return ok_status();
  }

  Status take_callback_failure() {
    if (callback_failure) {
      Error e = std::move(*callback_failure);
      callback_failure.reset();
      return e;
    }
    return ok_status();
  }
};

MqttClient::MqttClient(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
MqttClient::MqttClient(MqttClient&& other) noexcept = default;
MqttClient& MqttClient::operator=(MqttClient&& other) noexcept = default;
MqttClient::~MqttClient() = default;

Result<MqttClient> MqttClient::create(ClientOptions options) {
  SPMC_TRY_STATUS(ensure_library());
  if (options.client_id.empty() && !options.clean_session) {
    return live_error(Fault::kLibrary, "a persistent session needs a client id");
  }
  if (options.client_id.size() > kMaxClientIdBytes) {  // MQT-010
    return live_error(Fault::kLibrary, "client id longer than 23 bytes");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  const char* id = impl->options.client_id.empty() ? nullptr : impl->options.client_id.c_str();
  impl->handle = mosquitto_new(id, impl->options.clean_session, impl.get());
  if (impl->handle == nullptr) {
    return live_error(
        Fault::kLibrary,
        std::string("mosquitto_new: ") + std::strerror(errno));  // NOLINT(concurrency-mt-unsafe)
  }
  // MQT-001: MQTT 3.1.1.
  const int rc = mosquitto_int_option(impl->handle, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  if (rc != MOSQ_ERR_SUCCESS) {
    return live_error(Fault::kLibrary, "protocol version: " + reason(rc));
  }
  if (impl->options.tcp_nodelay) {
    const int nodelay = mosquitto_int_option(impl->handle, MOSQ_OPT_TCP_NODELAY, 1);
    if (nodelay != MOSQ_ERR_SUCCESS) {
      return live_error(Fault::kLibrary, "TCP_NODELAY: " + reason(nodelay));
    }
  }
  mosquitto_connect_with_flags_callback_set(impl->handle, &Impl::on_connect);
  mosquitto_disconnect_callback_set(impl->handle, &Impl::on_disconnect);
  mosquitto_publish_callback_set(impl->handle, &Impl::on_publish);
  mosquitto_subscribe_callback_set(impl->handle, &Impl::on_subscribe);
  mosquitto_message_callback_set(impl->handle, &Impl::on_message);
  mosquitto_log_callback_set(impl->handle, &Impl::on_log);
  if (impl->options.tls) {
    SPMC_TRY_STATUS(configure_tls(impl->handle, *impl->options.tls));
  }
  if (const auto& will = impl->options.will) {
    const int set =
        mosquitto_will_set(impl->handle, will->topic.c_str(),
                           static_cast<int>(will->payload.size()), will->payload.data(), 1, false);
    if (set != MOSQ_ERR_SUCCESS) {
      return live_error(Fault::kLibrary, "will: " + reason(set));
    }
  }
  return MqttClient(std::move(impl));
}

void MqttClient::on_receive(ReceiveFn receive) { m_impl->receive = std::move(receive); }

Status MqttClient::connect(const std::string& host, std::uint16_t port, int timeout_ms) {
  Impl& s = *m_impl;
  s.connack_received = false;
  s.connected = false;
  s.session_present = false;
  s.logged_errors.clear();
  const std::string where = host + ":" + std::to_string(port);
  const int rc = mosquitto_connect(s.handle, host.c_str(), port, s.options.keepalive_s);
  if (rc != MOSQ_ERR_SUCCESS) {
    // A TLS peer's refusal can already arrive here: libmosquitto reports it as EPROTO.
    const bool closed = rc == MOSQ_ERR_CONN_LOST || (rc == MOSQ_ERR_ERRNO && errno == EPROTO);
    return s.connect_failure(where, reason(rc), closed);
  }
  // With TLS the handshake runs here too, step by step as bytes arrive: a peer that never
  // completes it costs at most timeout_ms.
  Status waited = run_until([&s] { return s.connack_received; }, timeout_ms);
  if (!s.connack_received) {
    const auto fault = fault_of(waited.error());
    const bool closed = fault == Fault::kConnectionLost || fault == Fault::kNotConnected;
    return s.connect_failure(where, "no CONNACK (" + waited.error().detail + ")", closed);
  }
  if (s.connack_rc != 0) {
    return live_error(Fault::kConnectFailed, where + ": " + mosquitto_connack_string(s.connack_rc));
  }
  return waited;
}

bool MqttClient::session_present() const { return m_impl->session_present; }

bool MqttClient::connected() const { return m_impl->connected; }

Status MqttClient::subscribe(const std::string& topic_filter, int timeout_ms) {
  Impl& s = *m_impl;
  if (!s.connected) {
    return live_error(Fault::kNotConnected, "subscribe to " + topic_filter);
  }
  int mid = 0;
  const int rc = mosquitto_subscribe(s.handle, &mid, topic_filter.c_str(), 1);
  if (rc != MOSQ_ERR_SUCCESS) {
    return connection_failure(rc) ? loop_error(rc)
                                  : live_error(Fault::kLibrary, "subscribe: " + reason(rc));
  }
  s.subscribe_refused = false;
  s.pending_subscribes.insert(mid);
  SPMC_TRY_STATUS(run_until([&s, mid] { return !s.pending_subscribes.contains(mid); }, timeout_ms));
  if (s.subscribe_refused) {
    return live_error(Fault::kRefused, "the broker did not grant QoS 1 on " + topic_filter);
  }
  return ok_status();
}

Status MqttClient::publish(const std::string& topic, ByteView frame) {
  Impl& s = *m_impl;
  SPMC_TRY_STATUS(check_frame_size(frame.size()));
  int mid = 0;
  // MQT-006 QoS 1, MQT-009 retain false. Without a connection this fails (not_connected,
  // connection_lost) or libmosquitto keeps the message for the next connect(); either way
  // the channel above resends what its peer did not acknowledge (MQT-006).
  const int rc = mosquitto_publish(s.handle, &mid, topic.c_str(), static_cast<int>(frame.size()),
                                   frame.data(), 1, false);
  if (rc != MOSQ_ERR_SUCCESS) {
    return connection_failure(rc) ? loop_error(rc)
                                  : live_error(Fault::kLibrary, "publish: " + reason(rc));
  }
  s.unacked_publishes.insert(mid);
  return ok_status();
}

std::size_t MqttClient::in_flight() const { return m_impl->unacked_publishes.size(); }

Status MqttClient::flush(int timeout_ms) {
  Impl& s = *m_impl;
  return run_until([&s] { return s.unacked_publishes.empty(); }, timeout_ms);
}

// One round of I/O on the client's socket with poll(2), then libmosquitto's read, write and
// keepalive steps. Not mosquitto_loop(): it waits with select(), whose fd_set holds only
// descriptors below FD_SETSIZE (1024), and it refuses any client whose socket is above that
// (MOSQ_ERR_INVAL); each client holds three descriptors (its socket and a socket pair), so a
// process with a few hundred clients would lose them all.
int MqttClient::Impl::loop_once(int timeout_ms) {
  const int sock = mosquitto_socket(handle);
  if (sock < 0) {
    return MOSQ_ERR_NO_CONN;
  }
  pollfd fd{.fd = sock, .events = POLLIN, .revents = 0};
  if (mosquitto_want_write(handle)) {
    fd.events = static_cast<short>(fd.events | POLLOUT);
  }
  const int ready = ::poll(&fd, 1, std::max(timeout_ms, 0));
  if (ready < 0) {
    return errno == EINTR ? MOSQ_ERR_SUCCESS : MOSQ_ERR_ERRNO;
  }
  return service((fd.revents & (POLLIN | POLLHUP | POLLERR)) != 0);
}

int MqttClient::Impl::service(bool readable) {
  if (mosquitto_socket(handle) < 0) {
    return MOSQ_ERR_NO_CONN;
  }
  if (readable) {
    const int rc = mosquitto_loop_read(handle, 1);
    if (rc != MOSQ_ERR_SUCCESS || mosquitto_socket(handle) < 0) {
      return rc;
    }
  }
  // A receive function that published queued its frame (libmosquitto defers writes made
  // inside a callback): it goes out now, not one round later.
  if (mosquitto_want_write(handle)) {
    const int rc = mosquitto_loop_write(handle, 1);
    if (rc != MOSQ_ERR_SUCCESS || mosquitto_socket(handle) < 0) {
      return rc;
    }
  }
  return mosquitto_loop_misc(handle);
}

Status MqttClient::poll(int timeout_ms) { return m_impl->after_io(m_impl->loop_once(timeout_ms)); }

int MqttClient::socket() const { return mosquitto_socket(m_impl->handle); }

bool MqttClient::wants_write() const { return mosquitto_want_write(m_impl->handle); }

Status MqttClient::service(bool readable) { return m_impl->after_io(m_impl->service(readable)); }

Status MqttClient::run_until(const std::function<bool()>& done, int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(std::max(timeout_ms, 0));
  while (!done()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      return live_error(Fault::kTimeout, "nothing after " + std::to_string(timeout_ms) + " ms");
    }
    SPMC_TRY_STATUS(poll(static_cast<int>(std::min<long long>(left, 100))));
  }
  return ok_status();
}

Status MqttClient::disconnect(int timeout_ms) {
  Impl& s = *m_impl;
  if (!s.connected) {
    return ok_status();
  }
  const int rc = mosquitto_disconnect(s.handle);
  if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN) {
    return live_error(Fault::kLibrary, "disconnect: " + reason(rc));
  }
  // libmosquitto writes DISCONNECT at once and closes the socket; polling reports it.
  Status waited = run_until([&s] { return !s.connected; }, timeout_ms);
  if (!waited.ok() && fault_of(waited.error()) == Fault::kNotConnected) {
    s.connected = false;
    return ok_status();
  }
  return waited;
}

const ClientCounters& MqttClient::counters() const { return m_impl->counters; }

}  // namespace spmc::live
