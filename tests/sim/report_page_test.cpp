// The run series (WorldOptions::series) and the HTML report pages (spmc_sim_report): sampling
// never changes a run, its figures agree with the report's, and a page shows every invariant,
// the verdict and the replay command with everything from the run escaped.
#include "spmc/sim/report_page.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <string>

#include "spmc/sim/run_series.hpp"
#include "spmc/sim/world.hpp"
#include "support/shipped_scenario.hpp"

namespace spmc::sim {
namespace {

using testing::shipped;

struct SimRun {
  Report report;
  std::string trace;
};

SimRun run(const Scenario& scenario, std::uint64_t seed, bool series,
           server::ServerBug bug = server::ServerBug::kNone) {
  WorldOptions options;
  options.capture_trace = true;
  options.series = series;
  options.server_bug = bug;
  World world(scenario, seed, options);
  SimRun r{world.run(), ""};
  r.trace = world.captured_trace();
  return r;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

// The shipped scenarios the byte-identity checks run: faults, churn, and attacks.
const char* const kScenarios[] = {"default",          "lossy",
                                  "partition",        "attacks/replay",
                                  "attacks/u2u_mitm", "attacks/server_drops_acks"};

TEST(RunSeries, SamplingLeavesTraceHashAndReportsByteIdentical) {
  for (const char* name : kScenarios) {
    const Scenario s = shipped(name);
    const SimRun plain = run(s, 3, false);
    const SimRun sampled = run(s, 3, true);
    EXPECT_TRUE(plain.report.series.samples.empty()) << name;
    EXPECT_FALSE(sampled.report.series.samples.empty()) << name;
    EXPECT_EQ(plain.trace, sampled.trace) << name;
    EXPECT_EQ(plain.report.trace_hash, sampled.report.trace_hash) << name;
    EXPECT_EQ(render_json(plain.report), render_json(sampled.report)) << name;
    EXPECT_EQ(render_text(plain.report), render_text(sampled.report)) << name;
  }
}

TEST(RunSeries, SampledStorePeakIsTheReportsPeakStoreDepth) {
  for (const char* name : kScenarios) {
    for (const std::uint64_t seed : {1ULL, 3ULL}) {
      const Report r = run(shipped(name), seed, true).report;
      const auto& samples = r.series.samples;
      const auto peak = std::max_element(
          samples.begin(), samples.end(),
          [](const SeriesSample& a, const SeriesSample& b) { return a.store_peak < b.store_peak; });
      ASSERT_NE(peak, samples.end()) << name;
      EXPECT_EQ(peak->store_peak, r.peak_store_depth) << name << " seed " << seed;
      for (const SeriesSample& x : samples) {
        EXPECT_LE(x.store_depth, x.store_peak) << name << " at " << x.time_ms << " ms";
      }
    }
  }
}

// A server that keeps delivered items makes the store grow: the series must show it.
TEST(RunSeries, StoreDepthFollowsAServerThatKeepsDeliveredItems) {
  const Report r = run(shipped("default"), 3, true, server::ServerBug::kKeepsDelivered).report;
  ASSERT_FALSE(r.series.samples.empty());
  EXPECT_GT(r.series.samples.back().store_depth, 0U);
  EXPECT_EQ(r.series.samples.back().store_peak, r.peak_store_depth);
}

TEST(RunSeries, OneSamplePerVirtualSecondAccountingForEveryEvent) {
  const Report r = run(shipped("default"), 3, true).report;
  const auto& samples = r.series.samples;
  ASSERT_FALSE(samples.empty());
  std::uint64_t before = 0;
  for (const SeriesSample& x : samples) {
    EXPECT_GT(x.time_ms, before);
    EXPECT_LE(x.time_ms - before, 1000U);
    before = x.time_ms;
  }
  EXPECT_EQ(samples.back().time_ms, r.sim_time_ms);
  const std::uint64_t events =
      std::accumulate(samples.begin(), samples.end(), std::uint64_t{0},
                      [](std::uint64_t n, const SeriesSample& x) { return n + x.events; });
  EXPECT_EQ(events, r.events);
  // Quiescent at the end: every accepted delivery arrived.
  EXPECT_EQ(samples.back().deliveries_owed, 0U);
}

TEST(RunSeries, LatencyHistogramHoldsEveryDeliveryAndPhonesTheirTraffic) {
  const Report r = run(shipped("default"), 3, true).report;
  const auto& counts = r.series.latency.counts;
  EXPECT_EQ(std::accumulate(counts.begin(), counts.end(), std::uint64_t{0}), r.latency.count);
  EXPECT_LE(counts.size(), 40U);
  // The last bin holds the slowest delivery.
  EXPECT_EQ(r.latency.max_ms / r.series.latency.bin_ms, counts.size() - 1);
  ASSERT_EQ(r.series.phones.size(), r.phones);
  std::uint64_t sent = 0;
  for (const PhoneTraffic& p : r.series.phones) {
    EXPECT_GT(p.bytes_sent, 0U);
    EXPECT_GT(p.bytes_received, 0U);
    sent += p.bytes_sent;
  }
  EXPECT_LT(sent, r.wire_bytes);  // the server's own sends are the rest
}

TEST(RunSeries, LatencyBinsAreOneTwoOrFiveTimesAPowerOfTen) {
  EXPECT_EQ(latency_histogram({}).counts.size(), 0U);
  EXPECT_EQ(latency_histogram({0, 39'999}).bin_ms, 1U);   // 0..39 ms: 40 bins of 1
  EXPECT_EQ(latency_histogram({40'000}).bin_ms, 2U);      // 0..40 ms: 21 bins of 2
  EXPECT_EQ(latency_histogram({100'000}).bin_ms, 5U);     // 0..100 ms: 21 bins of 5
  EXPECT_EQ(latency_histogram({1'234'000}).bin_ms, 50U);  // 0..1234 ms: 25 bins of 50
  const LatencyHistogram h = latency_histogram({0, 999, 1'000, 5'500});
  EXPECT_EQ(h.bin_ms, 1U);
  EXPECT_EQ(h.counts, (std::vector<std::uint64_t>{2, 1, 0, 0, 0, 1}));
}

RunPage page_of(Report report) {
  return {std::move(report), "spmc sim --seed 3", "trace.jsonl", std::nullopt, {}};
}

TEST(RunPageHtml, ShowsVerdictEveryInvariantAndTheReplayCommand) {
  const Report r = run(shipped("default"), 3, true).report;
  ASSERT_TRUE(r.pass);
  const std::string html = render_run_page(page_of(r));
  EXPECT_EQ(count(html, "<div id=\"verdict\" data-verdict=\"pass\""), 1U);
  EXPECT_NE(html.find("<span class=\"word\">PASS</span>every invariant held</div>"),
            std::string::npos);
  ASSERT_FALSE(r.invariants.empty());
  EXPECT_EQ(count(html, "<tr data-invariant="), r.invariants.size());
  for (const InvariantResult& i : r.invariants) {
    EXPECT_EQ(count(html, "<tr data-invariant=\"" + i.name + "\""), 1U) << i.name;
  }
  EXPECT_NE(html.find("<pre id=\"replay\">spmc sim --seed 3</pre>"), std::string::npos);
  EXPECT_NE(html.find("<code id=\"trace-hash\">" + r.trace_hash + "</code>"), std::string::npos);
  for (const char* plot : {"latency", "store", "in_flight", "events", "phone_bytes"}) {
    EXPECT_EQ(count(html, "data-plot=\"" + std::string(plot) + "\""), 1U) << plot;
  }
  EXPECT_NE(html.find("no chart"), std::string::npos);
  // Self-contained: Chart.js is inline, nothing is fetched.
  EXPECT_NE(html.find("Chart.js v"), std::string::npos);
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
}

TEST(RunPageHtml, AFailingRunIsMarkedFailWithTheViolatedInvariant) {
  const Report r = run(shipped("default"), 3, true, server::ServerBug::kKeepsDelivered).report;
  ASSERT_FALSE(r.pass);
  const std::string html = render_run_page(page_of(r));
  EXPECT_EQ(count(html, "data-verdict=\"fail\""), 1U);
  EXPECT_EQ(count(html, "data-state=\"violated\""),
            static_cast<std::size_t>(std::count_if(
                r.invariants.begin(), r.invariants.end(),
                [](const InvariantResult& i) { return !i.held && !i.expected_violation; })));
}

TEST(RunPageHtml, RunTextIsEscapedSoAScriptInADetailIsInert) {
  Report r = run(shipped("default"), 1, true).report;
  r.invariants.front().detail = "<script>alert(1)</script> & \"quoted\"";
  r.invariants.front().name = "evil</script><script>alert(2)</script>";
  r.scenario = "<b>bold</b>";
  RunPage page = page_of(r);
  page.replay_command = "spmc sim '<x>'";
  const std::string html = render_run_page(page);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<b>bold</b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;"),
            std::string::npos);
  EXPECT_NE(html.find("spmc sim &#39;&lt;x&gt;&#39;"), std::string::npos);
  // Exactly the page's own three scripts end: the data block, Chart.js and the drawing code.
  EXPECT_EQ(count(html, "</script>"), 3U);
  EXPECT_EQ(count(html, "<script"), 3U);
}

// A world in countries shows where its contact pairs' messages travel next to its latency;
// other worlds show nothing of the kind.
// Proves: LOC-013
TEST(RunPageHtml, AWorldInCountriesShowsItsDeploymentsExposure) {
  const Result<Scenario> s = parse_scenario(
      R"({"phones": 8, "locality": {"deployment": "central:US", "countries": ["DE", "FR"]}})",
      "t.json");
  ASSERT_TRUE(s.ok());
  const Report r = run(*s, 1, true).report;
  ASSERT_TRUE(r.locality.has_value());
  const std::string html = render_run_page(page_of(r));
  const std::string pairs = std::to_string(r.locality->pairs);
  EXPECT_NE(html.find("central:US"), std::string::npos);
  EXPECT_NE(html.find(pairs + " of " + pairs +
                      "</div><div class=\"label\">contact pairs within one "
                      "region that leave it"),
            std::string::npos);
  EXPECT_NE(html.find("contact pairs accessible to 5 Eyes"), std::string::npos);
  const std::string plain = render_run_page(page_of(run(shipped("default"), 1, true).report));
  EXPECT_EQ(plain.find("accessible to"), std::string::npos);
}

TEST(RunPageHtml, SameRunGivesByteIdenticalPage) {
  const std::string a = render_run_page(page_of(run(shipped("lossy"), 2, true).report));
  const std::string b = render_run_page(page_of(run(shipped("lossy"), 2, true).report));
  EXPECT_EQ(a, b);
  const std::string other = render_run_page(page_of(run(shipped("lossy"), 3, true).report));
  EXPECT_NE(a, other);
}

TEST(RunPageHtml, AGivenChartIsPlacedInTheChartSection) {
  RunPage page = page_of(run(shipped("default"), 1, true).report);
  page.chart_svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><line class=\"lifeline\"/></svg>";
  const std::string html = render_run_page(page);
  EXPECT_NE(html.find("<div id=\"chart\">" + *page.chart_svg + "</div>"), std::string::npos);
  EXPECT_EQ(html.find("no chart"), std::string::npos);
}

TEST(SweepPageHtml, OneRowPerSeedWithTheFailingSeedsReplay) {
  SweepPage page;
  page.scenario = "default";
  page.summary = "2 seeds, 1 passed, 1 failed";
  page.command = "spmc sweep --seeds 1..2";
  for (const std::uint64_t seed : {1ULL, 2ULL}) {
    SweepSeed s;
    s.seed = seed;
    s.pass = seed == 1;
    s.verdict = s.pass ? "PASS" : "FAIL: 1 invariant(s) violated";
    s.failed = s.pass ? std::vector<std::string>{} : std::vector<std::string>{"<evil>"};
    s.replay_command = s.pass ? "" : "spmc sim --seed 2";
    page.seeds.push_back(s);
  }
  const std::string html = render_sweep_page(page);
  EXPECT_EQ(count(html, "<tr data-seed="), 2U);
  EXPECT_EQ(count(html, "data-verdict=\"fail\""), 2U);  // the page's and seed 2's
  EXPECT_NE(html.find("<pre id=\"replay-failing\">spmc sim --seed 2\n</pre>"), std::string::npos);
  EXPECT_NE(html.find("&lt;evil&gt;"), std::string::npos);
  EXPECT_EQ(html, render_sweep_page(page));
}

}  // namespace
}  // namespace spmc::sim
