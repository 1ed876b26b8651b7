#pragma once
// A TCP relay on a loopback port that stands for an observer on the network path between MQTT
// clients and a broker: each accepted connection is joined to a new connection to the broker,
// and every byte is copied through and kept, per connection and direction. It runs on a thread
// of its own, so the clients can be driven by the caller's thread. Used by the live tests
// (tests/live/tls_test.cpp: what TLS hides) and the live benchmarks (bench/message_size.cpp:
// bytes on the wire). Throws std::runtime_error when it cannot listen or reach the broker.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "spmc/bytes.hpp"

namespace spmc::testing {

class CaptureRelay {
 public:
  struct Streams {
    Bytes up;    // client -> broker
    Bytes down;  // broker -> client
  };

  explicit CaptureRelay(std::uint16_t broker_port) : m_broker_port(broker_port) {
    m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr = loopback(0);
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
    auto* sa = reinterpret_cast<sockaddr*>(&addr);
    socklen_t len = sizeof addr;
    if (m_listen < 0 || ::bind(m_listen, sa, sizeof addr) != 0 || ::listen(m_listen, 8) != 0 ||
        ::getsockname(m_listen, sa, &len) != 0) {
      throw std::runtime_error("capture relay: cannot listen on loopback");
    }
    m_port = ntohs(addr.sin_port);
    m_thread = std::thread([this] { loop(); });
  }
  CaptureRelay(const CaptureRelay&) = delete;
  CaptureRelay& operator=(const CaptureRelay&) = delete;
  CaptureRelay(CaptureRelay&&) = delete;
  CaptureRelay& operator=(CaptureRelay&&) = delete;
  ~CaptureRelay() {
    m_stop = true;
    m_thread.join();
    for (const Pair& p : m_pairs) {
      ::close(p.client);
      ::close(p.broker);
    }
    ::close(m_listen);
  }

  std::uint16_t port() const { return m_port; }
  // A copy of connection `index`'s streams so far (connections in the order accepted).
  Streams streams(std::size_t index) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (index >= m_streams.size()) {
      throw std::runtime_error("capture relay: no connection " + std::to_string(index));
    }
    return m_streams[index];
  }

 private:
  struct Pair {
    int client;
    int broker;
    std::size_t index;
    bool up_open = true;    // the client has not closed its side yet
    bool down_open = true;  // nor the broker
  };

  static sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return addr;
  }

  // poll(2) ignores a negative descriptor: a side that closed is not polled again.
  static pollfd watch(int fd, bool open) {
    return {.fd = open ? fd : -1, .events = POLLIN, .revents = 0};
  }

  void loop() {
    while (!m_stop) {
      std::vector<pollfd> fds{{.fd = m_listen, .events = POLLIN, .revents = 0}};
      for (const Pair& p : m_pairs) {
        fds.push_back(watch(p.client, p.up_open));
        fds.push_back(watch(p.broker, p.down_open));
      }
      if (::poll(fds.data(), fds.size(), 20) <= 0) {
        continue;
      }
      if ((fds[0].revents & POLLIN) != 0) {
        accept_one();
      }
      for (std::size_t i = 0; i < m_pairs.size() && 2 + 2 * i < fds.size(); ++i) {
        Pair& p = m_pairs[i];
        if ((fds[1 + 2 * i].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
          p.up_open = copy(p.client, p.broker, p.index, true);
        }
        if ((fds[2 + 2 * i].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
          p.down_open = copy(p.broker, p.client, p.index, false);
        }
      }
    }
  }

  void accept_one() {
    const int client = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      return;
    }
    const int broker = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr = loopback(m_broker_port);
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
    if (broker < 0 || ::connect(broker, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      throw std::runtime_error("capture relay: cannot reach the broker");
    }
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_pairs.push_back({client, broker, m_streams.size()});
    m_streams.emplace_back();
  }

  // Keeps what `from` has, then copies it to `to`; false once `from` closed, which is passed on
  // (shutdown of `to` for writing), as a path would. Kept before it is passed on, so whatever
  // a peer received is already in the streams when it acts on it. Blocking writes: the peers
  // are on loopback.
  bool copy(int from, int to, std::size_t index, bool up) {
    std::array<std::uint8_t, 65536> buf{};
    const ssize_t n = ::read(from, buf.data(), buf.size());
    if (n <= 0) {
      ::shutdown(to, SHUT_WR);
      return false;
    }
    {
      const std::lock_guard<std::mutex> lock(m_mutex);
      Bytes& out = up ? m_streams[index].up : m_streams[index].down;
      out.insert(out.end(), buf.begin(), buf.begin() + n);
    }
    const auto size = static_cast<std::size_t>(n);
    std::size_t done = 0;
    while (done < size) {
      const ssize_t w = ::write(to, buf.data() + done, size - done);
      if (w <= 0) {
        break;
      }
      done += static_cast<std::size_t>(w);
    }
    return true;
  }

  std::uint16_t m_broker_port;
  int m_listen = -1;
  std::uint16_t m_port = 0;
  std::atomic<bool> m_stop{false};
  std::mutex m_mutex;
  std::vector<Pair> m_pairs;       // the relay thread's own
  std::vector<Streams> m_streams;  // guarded by m_mutex
  std::thread m_thread;
};

}  // namespace spmc::testing
