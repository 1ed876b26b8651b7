// locality::parse_topology (spec/locality.md LOC-001) on fuzzer JSON text: never crashes; an
// accepted topology routes every study pair and analyses and renders under a central server
// without tripping a check.
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "spmc/locality/report.hpp"
#include "spmc/locality/topology.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spmc;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto topology = locality::parse_topology(text, "fuzz.json");
  if (!topology.ok()) {
    SPMC_FUZZ_CHECK(topology.error().detail.rfind("fuzz.json: ", 0) == 0);
    return 0;
  }
  const locality::Topology& t = *topology;
  const std::string server = "central:" + t.countries()[t.study().front()].code;
  auto deployment = locality::parse_deployment(server, t, "fuzz");
  SPMC_FUZZ_CHECK(deployment.ok());
  const locality::LocalityReport report = locality::analyse(t, *deployment);
  SPMC_FUZZ_CHECK(report.pairs.size() == t.study().size() * (t.study().size() + 1) / 2);
  SPMC_FUZZ_CHECK(!locality::render_text(t, report, true).empty());
  SPMC_FUZZ_CHECK(!locality::render_svg(t, report).empty());
  return 0;
}
