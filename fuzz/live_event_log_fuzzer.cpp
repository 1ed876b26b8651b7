// The live run's reader of the server's event log (spec/transport_mqtt.md MQT-023): bytes of a
// log, cut in two places as reads from a growing file may cut them, give the same events as the
// whole, never crash, and every event read writes back to a line that reads as the same event.
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "spmc/live/spool.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) {
    return 0;
  }
  const std::string_view all(reinterpret_cast<const char*>(data + 2), size - 2);  // NOLINT
  const std::size_t cut1 = data[0] % (all.size() + 1);
  const std::size_t cut2 = cut1 + data[1] % (all.size() - cut1 + 1);
  spmc::live::EventLogTail whole("");
  const auto expected = whole.feed(all);
  spmc::live::EventLogTail pieces("");
  auto got = pieces.feed(all.substr(0, cut1));
  for (auto part : {all.substr(cut1, cut2 - cut1), all.substr(cut2)}) {
    for (auto& e : pieces.feed(part)) {
      got.push_back(std::move(e));
    }
  }
  SPMC_FUZZ_CHECK(got == expected);
  SPMC_FUZZ_CHECK(pieces.bad_lines() == whole.bad_lines());
  for (const auto& e : expected) {
    spmc::live::EventLogTail again("");
    const auto back = again.feed(spmc::live::server_event_json(e).dump() + "\n");
    SPMC_FUZZ_CHECK(back.size() == 1 && back.front() == e);
  }
  return 0;
}
