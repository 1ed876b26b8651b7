#pragma once
// One phone of a live run: a reference Phone on the real clock and the OS generator, and its
// own MQTT connection (uplink spmc/v1/srv/<address>, downlink spmc/v1/to/<address>,
// spec/transport_mqtt.md). What the phone reports goes to its host, the run.
#include <cstdint>
#include <string>
#include <vector>

#include "spmc/live/mqtt_client.hpp"
#include "spmc/live/topic.hpp"
#include "spmc/phone.hpp"
#include "spmc/rng.hpp"
#include "spmc/sim/event_queue.hpp"

namespace spmc::live {

class LivePhone;

class PhoneHost {
 public:
  virtual ~PhoneHost() = default;
  virtual sim::TimeUs now() const = 0;
  virtual void on_event(LivePhone& p, const phone::PhoneEvent& ev) = 0;
  virtual void on_deliver(LivePhone& p, const phone::Delivered& m) = 0;
  virtual void on_secret(ByteView secret) = 0;
  virtual void note(const Status& s) = 0;
  // MQT-026: the server said it is up (a new incarnation) or the broker said it went away.
  virtual void on_server_status(LivePhone& p, std::string_view status) = 0;
};

class LivePhone final : public phone::PhoneEffects {
 public:
  // Phone i is at address i + 1 (address 0 is nobody's: the simulator's server node).
  LivePhone(PhoneHost& host, std::uint32_t index, const Profile& profile, const Clock& clock,
            const crypto::Ed25519Public& ca, MqttClient client)
      : m_host(host),
        m_index(index),
        m_phone(profile, m_rng, clock, ca, phone::PhoneConfig{}),
        m_client(std::move(client)),
        m_uplink(server_topic(index + 1)) {
    m_client.on_receive([this](std::string_view topic, ByteView frame) {
      if (topic == kServerStatusTopic) {
        m_host.on_server_status(
            *this, std::string_view(reinterpret_cast<const char*>(frame.data()),  // NOLINT
                                    frame.size()));
        return;
      }
      m_phone.on_packet(frame, *this);
    });
  }
  LivePhone(const LivePhone&) = delete;
  LivePhone& operator=(const LivePhone&) = delete;
  LivePhone(LivePhone&&) = delete;
  LivePhone& operator=(LivePhone&&) = delete;
  ~LivePhone() override = default;

  void transmit(Bytes frame) override { m_host.note(m_client.publish(m_uplink, frame)); }
  void deliver(const phone::Delivered& m) override { m_host.on_deliver(*this, m); }
  void event(const phone::PhoneEvent& ev) override { m_host.on_event(*this, ev); }
  void secret(ByteView s) override { m_host.on_secret(s); }
  // A live run's phones never restart (live phone crashes are refused): nothing reads a
  // store file, so none is kept.
  void persist(ByteView /*store_file*/) override {}

  std::uint32_t index() const { return m_index; }
  Address address() const { return m_index + 1; }
  phone::Phone& phone() { return m_phone; }
  const phone::Phone& phone() const { return m_phone; }
  MqttClient& client() { return m_client; }

  std::string email;
  bool online = false;                  // the user wants it on the network
  std::vector<std::uint32_t> contacts;  // phone indexes
  std::vector<std::string> groups;      // group ids it belongs to

 private:
  PhoneHost& m_host;
  std::uint32_t m_index;
  OsRng m_rng;
  phone::Phone m_phone;
  MqttClient m_client;
  std::string m_uplink;
};

}  // namespace spmc::live
