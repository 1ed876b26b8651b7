// sim::parse_scenario (simulator/scenarios/SCHEMA.md) on fuzzer JSON text: never crashes,
// and a parsed scenario survives scenario_to_json -> parse_scenario unchanged.
#include <string_view>

#include "fuzz_support.hpp"
#include "spmc/sim/world.hpp"  // parse_scenario with the adversary registry

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spmc;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto scenario = sim::parse_scenario(text, "fuzz.json");
  if (!scenario.ok()) {
    SPMC_FUZZ_CHECK(scenario.error().detail.rfind("fuzz.json", 0) == 0 ||
                    !scenario.error().detail.empty());
    return 0;
  }
  const std::string dumped = sim::scenario_to_json(*scenario).dump();
  auto again = sim::parse_scenario(dumped, "dumped.json");
  SPMC_FUZZ_CHECK(again.ok() && *again == *scenario);
  return 0;
}
