// `spmc locality [--deployment central:CC|regional|federated|direct] [--topology FILE] [--json]
// [--pairs] [--svg FILE]`: where a deployment's messages travel between the study's countries
// (spec/locality.md): traffic leaving its region and paths each interest group can access, for
// the network path and the deployment's application path, and a map of the paths.
#include <cstdio>
#include <memory>
#include <string>

#include "commands.hpp"
#include "output_file.hpp"
#include "spmc/locality/report.hpp"
#include "spmc/locality/topology.hpp"
#include "spmc/sim/bounded_file.hpp"

namespace spmc::cli {

namespace {

struct LocalityArgs {
  std::string deployment = "central:US";
  std::string topology;
  std::string svg;
  bool json = false;
  bool pairs = false;
};

int run_locality(const LocalityArgs& a) {
  std::optional<locality::Topology> loaded;
  if (!a.topology.empty()) {
    auto text = sim::read_bounded_file(a.topology, locality::kMaxTopologyBytes);
    if (!text) {
      std::fprintf(stderr, "spmc: error: %s\n", text.error().detail.c_str());
      return kExitUsage;
    }
    auto parsed = locality::parse_topology(*text, a.topology);
    if (!parsed) {
      std::fprintf(stderr, "spmc: error: %s\n", parsed.error().detail.c_str());
      return kExitUsage;
    }
    loaded = std::move(parsed.value());
  }
  const locality::Topology& topology = loaded ? *loaded : locality::builtin_topology();
  auto deployment = locality::parse_deployment(a.deployment, topology, "--deployment");
  if (!deployment) {
    std::fprintf(stderr, "spmc: error: %s\n", deployment.error().detail.c_str());
    return kExitUsage;
  }
  const locality::LocalityReport report = locality::analyse(topology, *deployment);
  if (!a.svg.empty()) {
    OutputSet outputs;
    outputs.write(a.svg, locality::render_svg(topology, report));
    if (auto error = outputs.commit()) {
      print_output_error(*error);
      return kExitUsage;
    }
  }
  if (a.json) {
    std::fputs((locality::report_json(topology, report).dump(2) + "\n").c_str(), stdout);
  } else {
    std::fputs(locality::render_text(topology, report, a.pairs).c_str(), stdout);
  }
  return kExitPass;
}

}  // namespace

void add_locality_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "locality",
      "where a deployment's messages travel: traffic leaving its region and paths each "
      "interest group can access, by region (spec/locality.md)");
  auto a = std::make_shared<LocalityArgs>();
  cmd->add_option("--deployment", a->deployment,
                  "central:CC (one server in country CC), regional (one per region), federated "
                  "(one per user's country) or direct (phone to phone)")
      ->type_name("central:CC|regional|federated|direct")
      ->capture_default_str();
  cmd->add_option("--topology", a->topology,
                  "a topology file (simulator/locality/README.md); default: the built-in one")
      ->type_name("FILE");
  cmd->add_flag("--json", a->json, "one JSON object, with every pair's paths");
  cmd->add_flag("--pairs", a->pairs, "also list every pair's network and application path");
  cmd->add_option("--svg", a->svg, "write a map of the application paths to this SVG file")
      ->type_name("FILE");
  cmd->callback([a, &exit_code] { exit_code = run_locality(*a); });
}

}  // namespace spmc::cli
