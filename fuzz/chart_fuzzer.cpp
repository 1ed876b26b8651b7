// sim::read_chart on fuzzer bytes (a trace, an abstract trace or a SPIN counterexample, as
// `spmc chart` reads any file it is given): never crashes, a failure is a typed error naming
// the source, and a chart that reads renders the same bytes twice in every format.
// The first byte picks the options, so windows, filters and --around-failure's second pass
// are fuzzed too.
#include <sstream>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "spmc/sim/chart.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spmc;
  if (size == 0) {
    return 0;
  }
  const std::uint8_t pick = data[0];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  sim::ChartOptions options;
  options.around_failure = (pick & 1U) != 0;
  if ((pick & 2U) != 0) {
    options.from_us = 1'000'000;
    options.to_us = 60'000'000;
  }
  if ((pick & 4U) != 0) {
    options.conversation = std::pair<std::string, std::string>{"0", "1"};
  } else if ((pick & 8U) != 0) {
    options.phones = {0, 2};
  } else if ((pick & 16U) != 0) {
    options.group = "g1";
  }
  options.max_arrows = (pick & 32U) != 0 ? 3 : 400;
  std::istringstream in(text);
  auto chart = sim::read_chart(in, "fuzz.jsonl", options);
  if (!chart.ok()) {
    SPMC_FUZZ_CHECK(!chart.error().detail.empty());
    return 0;
  }
  const std::string svg = sim::render_svg(*chart);
  SPMC_FUZZ_CHECK(svg.rfind("<svg ", 0) == 0);
  SPMC_FUZZ_CHECK(svg == sim::render_svg(*chart));
  SPMC_FUZZ_CHECK(!sim::render_mermaid(*chart).empty());
  SPMC_FUZZ_CHECK(!sim::render_mscgen(*chart).empty());
  return 0;
}
