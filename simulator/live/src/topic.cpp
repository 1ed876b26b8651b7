#include "spmc/live/topic.hpp"

#include <charconv>
#include <limits>
#include <string>

#include "spmc/live/errors.hpp"

namespace spmc::live {

std::string address_text(Address address) { return std::to_string(address); }

// MQT-003: only the canonical text, so one address has exactly one topic (a broker matches
// topics byte for byte: "07" and "7" would be two mailboxes).
Result<Address> parse_address(std::string_view text) {
  if (text.size() > kMaxAddressChars) {
    return live_error(Fault::kTopicTooLong,
                      "address of " + std::to_string(text.size()) + " characters, at most 10");
  }
  if (text.empty()) {
    return live_error(Fault::kBadTopic, "empty address");
  }
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return live_error(Fault::kBadTopic, "address is not decimal digits");
    }
  }
  if (text.size() > 1 && text.front() == '0') {
    return live_error(Fault::kBadTopic, "address with a leading zero");
  }
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() ||
      value > std::numeric_limits<Address>::max()) {
    return live_error(Fault::kBadTopic, "address above 4294967295");
  }
  return static_cast<Address>(value);
}

std::string topic_of(const Route& route) {
  const std::string_view prefix =
      route.direction == Direction::kToServer ? kServerTopicPrefix : kPhoneTopicPrefix;
  std::string topic(prefix);
  topic += address_text(route.address);
  SPMC_CHECK(topic.size() <= kMaxTopicBytes);
  return topic;
}

std::string server_topic(Address phone) { return topic_of({Direction::kToServer, phone}); }

std::string phone_topic(Address phone) { return topic_of({Direction::kToPhone, phone}); }

Result<Route> parse_topic(std::string_view topic) {
  // MQT-004: the bound first, so nothing longer is looked at.
  if (topic.size() > kMaxTopicBytes) {
    return live_error(Fault::kTopicTooLong,
                      "topic of " + std::to_string(topic.size()) + " bytes, at most 32");
  }
  Route route;
  std::string_view rest;
  if (topic.starts_with(kServerTopicPrefix)) {
    route.direction = Direction::kToServer;
    rest = topic.substr(kServerTopicPrefix.size());
  } else if (topic.starts_with(kPhoneTopicPrefix)) {
    route.direction = Direction::kToPhone;
    rest = topic.substr(kPhoneTopicPrefix.size());
  } else {
    return live_error(Fault::kBadTopic, "not an spmc/v1 topic: " + std::string(topic));
  }
  SPMC_TRY(route.address, parse_address(rest));
  SPMC_CHECK(topic_of(route) == topic);  // canonical: the parse is the inverse of topic_of
  return route;
}

std::string phone_client_id(Address phone) {
  std::string id(kPhoneClientIdPrefix);
  id += address_text(phone);
  SPMC_CHECK(id.size() <= kMaxClientIdBytes);
  return id;
}

Status check_frame_size(std::size_t bytes) {
  if (bytes > kMaxFrameBytes) {
    return live_error(
        Fault::kFrameTooLarge,
        "frame of " + std::to_string(bytes) + " bytes, at most " + std::to_string(kMaxFrameBytes));
  }
  return ok_status();
}

}  // namespace spmc::live
