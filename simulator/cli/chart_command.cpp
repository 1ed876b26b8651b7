// `spmc chart TRACE [TRACE2]`: a sequence chart of a simulator trace, an abstract trace or a
// SPIN counterexample (spmc/sim/chart.hpp), as SVG, Mermaid or mscgen; two inputs are drawn
// side by side (a model's counterexample next to the simulator's replay of the attack).
// The file is streamed, never loaded whole, so a trace of any size can be charted.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "args.hpp"
#include "commands.hpp"
#include "output_file.hpp"
#include "spmc/sim/chart.hpp"

namespace spmc::cli {
namespace {

struct ChartArgs {
  std::vector<std::string> traces;
  sim::ChartOptions options;
  std::string format = "svg";
  std::string out;
};

// "1,2,17": phone indexes.
std::vector<std::uint32_t> parse_phones(const std::string& text) {
  std::vector<std::uint32_t> out;
  std::size_t from = 0;
  while (from <= text.size()) {
    const std::size_t comma = std::min(text.find(',', from), text.size());
    auto phone = parse_u64(std::string_view(text).substr(from, comma - from), 0,
                           std::numeric_limits<std::uint32_t>::max() - 1);
    if (!phone.ok()) {
      throw CLI::ValidationError(
          "--phones", "invalid value '" + text + "': phone '" + text.substr(from, comma - from) +
                          "' " + phone.error().detail + "; expected phone indexes such as 1,2");
    }
    out.push_back(static_cast<std::uint32_t>(*phone));
    from = comma + 1;
  }
  return out;
}

Result<sim::Chart> chart_file(const std::string& path, const sim::ChartOptions& options) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return make_error(ErrorCode::kBadValue, path + ": (file): not found");
  }
  if (!std::filesystem::is_regular_file(status)) {
    return make_error(ErrorCode::kBadValue, path + ": (file): not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ErrorCode::kBadValue, path + ": (file): cannot be opened");
  }
  return sim::read_chart(in, path, options);
}

int run_chart(const ChartArgs& a) {
  if (a.traces.size() == 2 && a.format != "svg") {
    std::fprintf(stderr,
                 "spmc: error: --format %s: two inputs are drawn side by side in svg only\n",
                 a.format.c_str());
    return kExitUsage;
  }
  std::vector<sim::Chart> charts;
  for (const std::string& path : a.traces) {
    auto chart = chart_file(path, a.options);
    if (!chart.ok()) {
      std::fprintf(stderr, "spmc: error: %s\n", chart.error().detail.c_str());
      return kExitUsage;
    }
    charts.push_back(std::move(*chart));
  }
  std::string text;
  if (charts.size() == 2) {
    text = sim::render_svg_side_by_side(charts[0], charts[1]);
  } else if (a.format == "mermaid") {
    text = sim::render_mermaid(charts[0]);
  } else if (a.format == "mscgen") {
    text = sim::render_mscgen(charts[0]);
  } else {
    text = sim::render_svg(charts[0]);
  }
  if (a.out.empty()) {
    std::fputs(text.c_str(), stdout);
    return kExitPass;
  }
  OutputSet outputs;
  outputs.write(a.out, text);
  if (auto error = outputs.commit()) {
    print_output_error(*error);
    return kExitUsage;
  }
  return kExitPass;
}

}  // namespace

void add_chart_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ChartArgs>();
  auto* cmd = app.add_subcommand(
      "chart",
      "draw a sequence chart of a trace (spmc sim --trace), an abstract trace (--abstract) or a "
      "SPIN counterexample; two inputs side by side");
  cmd->add_option("TRACE", args->traces, "one input, or two drawn side by side")
      ->required()
      ->expected(1, 2);
  add_duration_option(*cmd, "--from", args->options.from_us,
                      "start of the window in virtual time (12.5s, 300ms, 1500us)");
  add_duration_option(*cmd, "--to", args->options.to_us, "end of the window in virtual time");
  cmd->add_option_function<std::string>(
         "--phones", [args](const std::string& text) { args->options.phones = parse_phones(text); },
         "only these phones (indexes, comma-separated) and the server")
      ->type_name("LIST");
  add_conversation_option(*cmd, "--conversation", args->options.conversation,
                          "only what passes between two phones (A:B, phone indexes or user ids)");
  cmd->add_option_function<std::string>(
         "--group", [args](const std::string& text) { args->options.group = text; },
         "only what concerns this group id")
      ->type_name("GROUP");
  cmd->add_flag(
      "--around-failure", args->options.around_failure,
      "the window around the first invariant violation (3 s before, 1 s after); for violations "
      "judged at the end of the run, around the first adversary action (1 s before, 4 s "
      "after)");
  add_choice_option(*cmd, "--format", args->format, "format", {"svg", "mermaid", "mscgen"},
                    "svg (a picture), mermaid (sequenceDiagram) or mscgen (msc text)");
  auto max_arrows = std::make_shared<std::uint64_t>(args->options.max_arrows);
  add_u64_option(*cmd, "--max-arrows", *max_arrows, 1, 1'000'000,
                 "draw at most this many arrows; a note says what was left out");
  cmd->add_option("--out", args->out, "write the chart to this file instead of stdout")
      ->type_name("FILE");
  cmd->callback([args, max_arrows, &exit_code] {
    args->options.max_arrows = static_cast<std::size_t>(*max_arrows);
    exit_code = run_chart(*args);
  });
}

}  // namespace spmc::cli
