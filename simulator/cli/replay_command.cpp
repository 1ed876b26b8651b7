// `spmc replay TRACE`: re-runs the world a trace records (its first line names the seed, the
// scenario, any injected bug and any opt-in invariant) and checks the new trace is byte-identical.
// When it is not, it says why (trace_diff.hpp): a damaged file, or a run that took another
// course; and for the latter it runs the world once more, since two runs of this build that
// agree with each other put the difference in the trace's origin, not in this build (madsim
// checks determinism the same way, by running twice).
#include <cstdio>

#include "commands.hpp"
#include "spmc/sim/bounded_file.hpp"
#include "spmc/sim/invariants.hpp"
#include "spmc/sim/world.hpp"
#include "trace_diff.hpp"

namespace spmc::cli {

// 4 GiB: a trace of about a hundred thousand phones.
inline constexpr std::size_t kMaxTraceBytes = std::size_t{4} << 30U;

namespace {

// Wide enough for a short event whole; long ones are cut around the first difference.
constexpr std::size_t kExcerptWidth = 160;

struct ReplayArgs {
  std::string path;
  bool json = false;
};

struct ReplayHeader {
  sim::Scenario scenario;
  std::uint64_t seed = 0;
  sim::WorldOptions options;
};

// What the first line is when it is not a trace header, so the user learns what they
// passed instead of only that it is wrong.
std::string not_a_trace_reason(const std::string& recorded, nlohmann::json first) {
  if (recorded.empty()) {
    return "empty file, not a trace written by spmc sim --trace";
  }
  if (first.is_discarded()) {
    // A pretty-printed file (a scenario, a report) is JSON only as a whole.
    first = nlohmann::json::parse(recorded, nullptr, false);
  }
  if (first.is_discarded() || !first.is_object()) {
    return "line 1: not JSON, so not a trace written by spmc sim --trace";
  }
  if (first.contains("verdict") && first.contains("trace_hash")) {
    return "line 1: a report (spmc sim --json), not a trace; write one with spmc sim --trace FILE";
  }
  if (!first.contains("ev")) {
    return "line 1: a JSON object but no trace event (a scenario? run it with spmc sim FILE "
           "--trace TRACE)";
  }
  return "line 1: not a trace written by spmc sim --trace (no \"world\" header)";
}

// The header is untrusted input: a file from anywhere, maybe from another version of spmc.
// kTruncated: the file is a trace whose head is missing (damaged); anything else: not a trace.
Result<ReplayHeader> parse_header(const std::string& path, const std::string& recorded) {
  const std::string first_line = recorded.substr(0, recorded.find('\n'));
  const auto header = nlohmann::json::parse(first_line, nullptr, false);
  const bool is_header = !header.is_discarded() && header.is_object() &&
                         header.value("ev", "") == "world" && header.contains("seed") &&
                         header["seed"].is_number_unsigned() && header.contains("scenario") &&
                         header.contains("bug") && header["bug"].is_number_integer();
  if (!is_header) {
    const bool headless = !header.is_discarded() && header.is_object() && header.contains("t") &&
                          header.contains("ev") && header.value("ev", "") != "world";
    return headless ? make_error(ErrorCode::kTruncated,
                                 path +
                                     ": line 1: a trace event but not the trace's \"world\" "
                                     "header: the head of the trace is missing")
                    : make_error(ErrorCode::kBadValue,
                                 path + ": " + not_a_trace_reason(recorded, header));
  }
  auto scenario = sim::parse_scenario(header["scenario"].dump(), path + ": line 1: scenario");
  if (!scenario.ok()) {
    return make_error(ErrorCode::kBadValue,
                      scenario.error().detail + " (a trace of another version of spmc?)");
  }
  ReplayHeader out;
  out.scenario = *scenario;
  out.seed = header["seed"].get<std::uint64_t>();
  const int bug = header["bug"].get<int>();
  if (bug < 0 || bug > 2) {
    return make_error(ErrorCode::kBadValue, path + ": line 1: field bug: unknown bug " +
                                                std::to_string(bug) +
                                                " (a trace of another version of spmc?)");
  }
  out.options.capture_trace = true;
  out.options.server_bug = static_cast<server::ServerBug>(bug);
  for (const auto& name : header.value("invariants", nlohmann::json::array())) {
    const auto id =
        name.is_string() ? sim::invariant_by_name(name.get<std::string>()) : std::nullopt;
    if (!id) {
      return make_error(ErrorCode::kBadValue,
                        path + ": line 1: field invariants: unknown invariant " + name.dump());
    }
    out.options.invariants.push_back(*id);
  }
  return out;
}

// A run that took another course: this build's own determinism decides whose fault it is.
void judge_divergence(const ReplayHeader& header, const std::string& replayed,
                      TraceComparison& comparison) {
  sim::World again(header.scenario, header.seed, header.options);
  (void)again.run();
  const TraceComparison self = compare_traces(replayed, again.captured_trace());
  if (self.verdict != TraceVerdict::kIdentical) {
    comparison.verdict = TraceVerdict::kDiverged;
    comparison.diagnosis =
        "NON-DETERMINISM: two runs of this build differ from each other from "
        "line " +
        std::to_string(self.first_difference ? self.first_difference->line : 0) +
        " (a bug in the simulator; the trace differs from line " +
        std::to_string(comparison.first_difference->line) + ")";
    return;
  }
  if (comparison.verdict == TraceVerdict::kDiverged) {
    comparison.diagnosis +=
        "; two runs of this build agree with each other, so the trace was written by another "
        "build or version of spmc, or its header names another world than its events (a header "
        "edited, or taken from a trace of another seed or scenario)";
  }
}

int exit_code_for(TraceVerdict verdict, bool passed) {
  if (verdict == TraceVerdict::kIdentical) {
    return passed ? kExitPass : kExitFail;
  }
  return is_damage(verdict) ? kExitReplayDamaged : kExitReplayDiverged;
}

std::string summary_line(const std::string& path, const TraceComparison& c,
                         const sim::Report& report, std::size_t bytes) {
  if (c.verdict == TraceVerdict::kIdentical) {
    return "replay: identical to " + path + " (" + std::to_string(bytes) + " bytes); " +
           (report.pass ? "the recorded run passed"
                        : "the recorded run FAILED, and fails again: " + report.verdict);
  }
  return std::string("replay: ") + (is_damage(c.verdict) ? "DAMAGED trace " : "DIVERGES from ") +
         path + ": " + c.diagnosis;
}

void print_text(const std::string& path, const TraceComparison& c, const sim::Report& report,
                std::size_t bytes) {
  std::fputs(sim::render_text(report).c_str(), stdout);
  std::printf("%s\n", summary_line(path, c, report, bytes).c_str());
  if (c.first_difference) {
    const LinePair& d = *c.first_difference;
    std::printf("  first difference, line %zu:\n", d.line);
    std::printf("    expected (trace):  %s\n",
                printable_excerpt(d.expected, d.column, kExcerptWidth).c_str());
    std::printf("    got (this replay): %s\n",
                printable_excerpt(d.got, d.column, kExcerptWidth).c_str());
  }
}

void print_json(const std::string& path, const TraceComparison& c, const sim::Report& report,
                int exit_code) {
  nlohmann::ordered_json j;
  j["trace"] = path;
  j["verdict"] = c.verdict == TraceVerdict::kIdentical ? (report.pass ? "pass" : "fail")
                 : is_damage(c.verdict)                ? "damaged"
                                                       : "diverged";
  j["comparison"] = verdict_name(c.verdict);
  j["exit_code"] = exit_code;
  j["diagnosis"] = c.diagnosis;
  if (c.first_difference) {
    j["first_difference"] = {
        {"line", c.first_difference->line},
        {"column", c.first_difference->column},
        {"expected",
         printable_excerpt(c.first_difference->expected, 0, c.first_difference->expected.size())},
        {"got", printable_excerpt(c.first_difference->got, 0, c.first_difference->got.size())}};
  } else {
    j["first_difference"] = nullptr;
  }
  j["report"] = nlohmann::ordered_json::parse(sim::render_json(report));
  std::printf("%s\n", j.dump().c_str());
}

// A file that is no trace at all: one line on stderr, and the verdict for tools on stdout.
int refuse(const ReplayArgs& a, const Error& error) {
  const int code = error.code == ErrorCode::kTruncated ? kExitReplayDamaged : kExitUsage;
  std::fprintf(stderr, "spmc: error: %s\n", error.detail.c_str());
  if (a.json) {
    nlohmann::ordered_json j;
    j["trace"] = a.path;
    j["verdict"] = code == kExitUsage ? "not_a_trace" : "damaged";
    j["exit_code"] = code;
    j["diagnosis"] = error.detail;
    std::printf("%s\n", j.dump().c_str());
  }
  return code;
}

int run_replay(const ReplayArgs& a) {
  // Bounded (issue 23): a device, a FIFO or a file past the bound is a one-line error, not a
  // read that never ends. The bound is far above any trace this machine can replay, since the
  // replay holds its own trace in memory beside the recorded one.
  auto read = sim::read_bounded_file(a.path, kMaxTraceBytes);
  if (!read.ok()) {
    return refuse(a, make_error(ErrorCode::kBadValue, "cannot read " + read.error().detail));
  }
  const std::string recorded = std::move(read).value();
  auto header = parse_header(a.path, recorded);
  if (!header.ok()) {
    return refuse(a, header.error());
  }
  sim::World world(header->scenario, header->seed, header->options);
  const sim::Report report = world.run();
  const std::string& replayed = world.captured_trace();
  TraceComparison comparison = compare_traces(recorded, replayed);
  const bool bytes_present_match = comparison.verdict == TraceVerdict::kIdentical ||
                                   comparison.verdict == TraceVerdict::kLineEndings ||
                                   comparison.verdict == TraceVerdict::kTruncated ||
                                   comparison.verdict == TraceVerdict::kExtraLines;
  if (!bytes_present_match) {
    judge_divergence(*header, replayed, comparison);
  }
  const int code = exit_code_for(comparison.verdict, report.pass);
  if (a.json) {
    print_json(a.path, comparison, report, code);
  } else {
    print_text(a.path, comparison, report, recorded.size());
  }
  return code;
}

}  // namespace

void add_replay_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ReplayArgs>();
  auto* cmd = app.add_subcommand(
      "replay",
      "Re-run the world a trace records and compare it byte for byte. Exit codes: 0 identical "
      "and the run passed; 1 identical and the recorded run failed (it fails again); 2 bad "
      "usage, or the file is not a trace; 3 diverged: the events differ (another build or "
      "version, a header from another world, or non-determinism); 4 damaged trace: truncated, "
      "line endings converted, lines edited or corrupted");
  cmd->add_option("trace", args->path, "A JSONL trace written by spmc sim --trace")->required();
  cmd->add_flag("--json", args->json,
                "Print one JSON object: verdict (pass, fail, diverged, damaged, not_a_trace), "
                "diagnosis, first_difference and the replayed run's report");
  cmd->callback([args, &exit_code] { exit_code = run_replay(*args); });
}

}  // namespace spmc::cli
