// `spmc replay TRACE`: re-runs the world a trace records (its first line names the seed, the
// scenario, any injected bug and any opt-in invariant) and checks the new trace is byte-identical,
// reporting the first line that differs (a determinism check, as madsim does by running twice).
#include <cstdio>
#include <fstream>
#include <sstream>

#include "commands.hpp"
#include "spmc/sim/invariants.hpp"
#include "spmc/sim/world.hpp"

namespace spmc::cli {

namespace {

int run_replay(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "spmc: error: cannot read %s\n", path.c_str());
    return kExitUsage;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string recorded = buffer.str();
  const std::string first_line = recorded.substr(0, recorded.find('\n'));
  const auto header = nlohmann::json::parse(first_line, nullptr, false);
  if (header.is_discarded() || !header.is_object() || header.value("ev", "") != "world" ||
      !header.contains("seed") || !header["seed"].is_number_unsigned() ||
      !header.contains("scenario") || !header.contains("bug") ||
      !header["bug"].is_number_integer()) {
    std::fprintf(stderr, "spmc: error: %s: line 1: not a trace written by spmc sim --trace\n",
                 path.c_str());
    return kExitUsage;
  }
  auto scenario = sim::parse_scenario(header["scenario"].dump(), path + " (line 1)");
  const int bug = header["bug"].get<int>();
  if (!scenario.ok() || bug < 0 || bug > 2) {
    std::fprintf(stderr, "spmc: error: %s\n",
                 scenario.ok() ? "unknown bug in trace header" : scenario.error().detail.c_str());
    return kExitUsage;
  }
  sim::WorldOptions options;
  options.capture_trace = true;
  options.server_bug = static_cast<server::ServerBug>(bug);
  for (const auto& name : header.value("invariants", nlohmann::json::array())) {
    const auto id =
        name.is_string() ? sim::invariant_by_name(name.get<std::string>()) : std::nullopt;
    if (!id) {
      std::fprintf(stderr, "spmc: error: %s: line 1: field invariants: unknown invariant %s\n",
                   path.c_str(), name.dump().c_str());
      return kExitUsage;
    }
    options.invariants.push_back(*id);
  }
  sim::World world(*scenario, header["seed"].get<std::uint64_t>(), options);
  const sim::Report report = world.run();
  std::fputs(sim::render_text(report).c_str(), stdout);
  const std::string& replayed = world.captured_trace();
  if (replayed == recorded) {
    std::printf("replay: identical to %s (%zu bytes)\n", path.c_str(), recorded.size());
    return report.pass ? kExitPass : kExitFail;
  }
  std::size_t line = 1;
  std::size_t i = 0;
  for (; i < recorded.size() && i < replayed.size() && recorded[i] == replayed[i]; ++i) {
    line += recorded[i] == '\n' ? 1 : 0;
  }
  std::printf("replay: DIVERGES from %s at line %zu (non-determinism, or a different build)\n",
              path.c_str(), line);
  return kExitFail;
}

}  // namespace

void add_replay_command(CLI::App& app, int& exit_code) {
  auto path = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("replay", "Re-run the world a trace records and compare");
  cmd->add_option("trace", *path, "A JSONL trace written by spmc sim --trace")->required();
  cmd->callback([path, &exit_code] { exit_code = run_replay(*path); });
}

}  // namespace spmc::cli
