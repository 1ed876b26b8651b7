#pragma once
// The failures of the live transport (spec/transport_mqtt.md, MQT-016) and of the server's
// store (spec/server_store.md, SDB-007). They are local: a broker that is missing or
// unreachable, a frame too large, a topic that is not ours, a database that is not ours. They
// travel as an ordinary spmc::Error so every live call returns Result<T> / Status like the rest
// of the tree: `code` is the nearest entry of the protocol's error registry (spec/errors.md),
// and `detail` starts with the fault's name and ": ", which fault_of() reads back.
#include <optional>
#include <string>
#include <string_view>

#include "spmc/result.hpp"

namespace spmc::live {

enum class Fault {
  kBadTopic,        // a topic or address not of the form MQT-002..MQT-004 (bad_value)
  kTopicTooLong,    // a topic or address longer than its bound, MQT-004 (bad_length)
  kFrameTooLarge,   // a frame above kMaxFrameBytes, MQT-008 (bad_length)
  kBrokerMissing,   // no mosquitto binary where we looked (bad_state)
  kBrokerFailed,    // the broker could not be started or stopped, or exited (bad_state)
  kConnectFailed,   // TCP connect or CONNACK refused (bad_state)
  kNotConnected,    // a call that needs a connection, made without one (bad_state)
  kConnectionLost,  // the broker closed the connection or it broke (bad_state)
  kRefused,         // the broker refused a subscription (SUBACK 0x80) (bad_state)
  kTimeout,         // an awaited reply did not come within the caller's limit (bad_state)
  kCallback,        // the receive callback threw; the exception stopped at the C boundary
  kTls,             // TLS settings unusable, a failed handshake or certificate (bad_state)
  kPki,             // the test PKI could not be made (openssl missing or failing) (bad_state)
  kLibrary,         // any other libmosquitto or system failure (bad_state)
  kStoreForeign,    // a file that is not an SPMC server database (bad_value)
  kStoreVersion,    // an SPMC server database of another schema version (bad_version)
  kStoreCorrupt,    // a record of the server database that does not decode or fit (bad_value)
  kStoreFailed,     // any other SQLite failure: open, I/O, full disk, locked (bad_state)
};

std::string_view fault_name(Fault fault);

// The Error for `fault`: code as listed above, detail "<fault name>: <detail>".
Error live_error(Fault fault, std::string_view detail);

// The fault an Error made by live_error() carries, or nothing for any other Error.
std::optional<Fault> fault_of(const Error& error);

}  // namespace spmc::live
