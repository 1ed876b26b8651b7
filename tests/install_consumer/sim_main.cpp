// Parses a scenario and estimates what it needs through the installed simulator libraries.
// Exit 0 and one line when the parser and the estimate answer as in the build tree.
#include <cstdio>

#include "spmc/sim/estimate.hpp"
#include "spmc/sim/world.hpp"

int main() {
  const auto scenario = spmc::sim::parse_scenario(R"({"name": "consumer", "phones": 8})", "inline");
  if (!scenario.ok() || scenario->phones != 8) {
    std::puts("parse failed");
    return 1;
  }
  const spmc::sim::ResourceEstimate e = spmc::sim::estimate_resources(*scenario);
  std::printf("scenario %s: %s\n", scenario->name.c_str(),
              spmc::sim::describe_estimate(e, scenario->phones).c_str());
  return e.events > 0 ? 0 : 1;
}
