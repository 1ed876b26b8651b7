// The page of a sweep (spmc sweep --report): the summary, one row per seed with its verdict,
// the replay command of each failing seed, and plots across seeds.
#include <string>
#include <vector>

#include "html.hpp"
#include "spmc/sim/report_page.hpp"

namespace spmc::sim {

namespace {

using html::escape;
using html::group_digits;

constexpr const char* kPassColour = "#1b7f3b";
constexpr const char* kFailColour = "#b3261e";

std::vector<html::Plot> sweep_plots(const SweepPage& page) {
  html::Plot latency = html::make_plot("seed_latency", "Delivery latency per seed", "line", "seed",
                                       "latency (ms, logarithmic)");
  latency.log_y = true;  // p50 and p99 are decades apart
  html::Plot verdicts =
      html::make_plot("seed_verdict", "Verdict per seed", "bar", "seed", "runs (1 per seed)");
  html::Plot::Series p50 = html::named_series("p50");
  html::Plot::Series p99 = html::named_series("p99");
  html::Plot::Series passed = html::named_series("passed", kPassColour);
  html::Plot::Series failed = html::named_series("failed", kFailColour);
  for (std::size_t i = 0; i < page.seeds.size(); ++i) {
    const SweepSeed& s = page.seeds[i];
    latency.categories.push_back(std::to_string(s.seed));
    verdicts.categories.push_back(std::to_string(s.seed));
    p50.points.emplace_back(i, s.latency.p50_ms);
    p99.points.emplace_back(i, s.latency.p99_ms);
    passed.points.emplace_back(i, s.pass ? 1 : 0);
    failed.points.emplace_back(i, s.pass ? 0 : 1);
  }
  verdicts.stacked = true;
  latency.series = {p50, p99};
  verdicts.series = {passed, failed};
  return {latency, verdicts};
}

}  // namespace

std::string render_sweep_page(const SweepPage& page) {
  std::size_t failing = 0;
  for (const SweepSeed& s : page.seeds) {
    failing += s.pass ? 0 : 1;
  }
  const std::string word = failing != 0 ? "fail" : page.stopped ? "stopped" : "pass";
  std::string body;
  body += "<header>\n<h1>SPMC sweep report</h1>\n<p class=\"subtitle\">scenario <b>" +
          escape(page.scenario) + "</b>" +
          (page.profile.empty() ? std::string() : ", profile <b>" + escape(page.profile) + "</b>") +
          ", " + group_digits(page.seeds.size()) + " seeds</p>\n</header>\n";
  body += "<div id=\"verdict\" data-verdict=\"" + word +
          "\" role=\"status\"><span class=\"word\">" +
          (word == "fail"      ? "FAIL"
           : word == "stopped" ? "STOPPED"
                               : "PASS") +
          "</span>" + escape(page.summary) + "</div>\n";

  body += "<h2>Plots</h2>\n<div class=\"plots\">\n";
  auto plots = nlohmann::ordered_json::array();
  for (const html::Plot& p : sweep_plots(page)) {
    body += html::plot_figure(p, p.id == "seed_latency"
                                     ? "Median and 99th percentile delivery latency of each seed."
                                     : "Green: the seed passed. Red: it failed.");
    plots.push_back(html::plot_json(p));
  }
  body += "</div>\n";

  body +=
      "<h2>Seeds</h2>\n<table id=\"seeds\">\n<thead><tr><th>seed</th><th>verdict</th>"
      "<th>failed invariants</th><th class=\"num\">p50 ms</th><th class=\"num\">p99 ms</th>"
      "<th class=\"num\">peak store</th><th class=\"num\">events</th></tr></thead>\n<tbody>\n";
  for (const SweepSeed& s : page.seeds) {
    std::string names;
    for (const std::string& n : s.failed) {
      names += (names.empty() ? "" : ", ") + n;
    }
    body += "<tr data-seed=\"" + std::to_string(s.seed) + "\" data-verdict=\"" +
            (s.pass ? "pass" : "fail") + "\"" + (s.pass ? "" : " class=\"failing\"") + "><td>" +
            std::to_string(s.seed) + "</td><td><span class=\"status " +
            (s.pass ? "held\">pass" : "violated\">fail") + "</span> " +
            escape(html::verdict_reason(s.verdict)) + "</td><td class=\"detail\">" + escape(names) +
            "</td><td class=\"num\">" + group_digits(s.latency.p50_ms) + "</td><td class=\"num\">" +
            group_digits(s.latency.p99_ms) + "</td><td class=\"num\">" +
            group_digits(s.peak_store_depth) + "</td><td class=\"num\">" + group_digits(s.events) +
            "</td></tr>\n";
  }
  body += "</tbody>\n</table>\n";

  body += "<h2>Run it again</h2>\n<pre id=\"replay\">" + escape(page.command) + "</pre>\n";
  if (failing != 0) {
    body += "<p>Each failing seed alone:</p>\n<pre id=\"replay-failing\">";
    for (const SweepSeed& s : page.seeds) {
      if (!s.pass) {
        body += escape(s.replay_command) + "\n";
      }
    }
    body += "</pre>\n";
  }

  nlohmann::ordered_json data;
  data["kind"] = "sweep";
  data["verdict"] = word;
  data["seeds"] = page.seeds.size();
  data["failing"] = failing;
  data["plots"] = plots;
  return html::page("SPMC sweep: " + page.scenario + " " + word, body, data);
}

}  // namespace spmc::sim
