// The page of one run (spmc sim --report): verdict, figures, invariants, plots, the sequence
// chart, the replay command and the trace hash.
#include <string>
#include <vector>

#include "html.hpp"
#include "spmc/sim/report_page.hpp"

namespace spmc::sim {

namespace {

using html::escape;
using html::group_digits;

std::string verdict_word(const Report& r) {
  return r.stopped ? "stopped" : r.pass ? "pass" : "fail";
}

// An invariant's state in words and a style class: the words say what happened, not a code.
std::pair<std::string, std::string> invariant_state(const InvariantResult& i) {
  if (!i.held) {
    return i.expected_violation ? std::pair{"violated (expected)", "expected"}
                                : std::pair{"violated", "violated"};
  }
  if (i.expected_violation) {
    return {"held, a violation was expected", "violated"};
  }
  if (!i.exercised()) {
    return i.required ? std::pair{"not exercised (required)", "violated"}
                      : std::pair{"not exercised", "idle"};
  }
  return {"held", "held"};
}

// Milliseconds as seconds with three decimals, by integer arithmetic.
std::string seconds(std::uint64_t ms) {
  std::string frac = std::to_string(ms % 1000);
  frac.insert(0, 3 - frac.size(), '0');
  return group_digits(ms / 1000) + "." + frac + " s";
}

std::string figure(std::string_view value, std::string_view label) {
  return "<div class=\"figure\"><div class=\"value\">" + escape(value) +
         "</div><div class=\"label\">" + escape(label) + "</div></div>\n";
}

std::string figures_section(const Report& r) {
  std::string out = "<h2>Figures</h2>\n<div class=\"figures\" id=\"figures\">\n";
  out += figure(group_digits(r.messages_sent), "messages sent");
  out += figure(group_digits(r.deliveries) + " of " + group_digits(r.deliveries_expected),
                "deliveries of expected");
  out += figure(group_digits(r.latency.p50_ms) + " ms", "latency p50");
  out += figure(group_digits(r.latency.p90_ms) + " ms", "latency p90");
  out += figure(group_digits(r.latency.p99_ms) + " ms", "latency p99");
  out += figure(group_digits(r.latency.max_ms) + " ms", "latency max");
  out += figure(group_digits(r.peak_store_depth), "peak offline store (items)");
  out += figure(group_digits(r.wire_packets), "packets on the wire");
  out += figure(group_digits(r.wire_bytes) + " B", "bytes on the wire");
  if (r.deliveries_expected != 0) {
    const std::uint64_t per = (r.wire_bytes + r.deliveries_expected / 2) / r.deliveries_expected;
    out += figure(group_digits(per) + " B", "wire bytes per expected delivery");
  }
  out += figure(group_digits(r.key_shares_relayed) + " (" + group_digits(r.key_share_bytes) + " B)",
                "key shares relayed");
  out += figure(group_digits(r.envelopes_relayed) + " (" + group_digits(r.envelope_bytes) + " B)",
                "envelopes relayed");
  out += figure(group_digits(r.events), "events executed");
  out += figure(seconds(r.sim_time_ms), "virtual time simulated");
  out += figure(r.quiescent ? "yes" : "no", "quiescent at the end");
  if (r.locality) {  // a world in countries: the exposure next to its latency (LOC-013)
    const LocalityExposure& l = *r.locality;
    out += figure(l.deployment, "deployment");
    out += figure(group_digits(l.leaving) + " of " + group_digits(l.same_region),
                  "contact pairs within one region that leave it");
    for (const auto& [group, pairs] : l.accessible) {
      out += figure(group_digits(pairs) + " of " + group_digits(l.pairs),
                    "contact pairs accessible to " + group);
    }
  }
  out += "</div>\n";
  return out;
}

std::string invariants_section(const Report& r) {
  std::string out = "<h2>Invariants</h2>\n";
  if (r.invariants.empty()) {
    out += "<p>No invariant was judged: the run did not finish.</p>\n";
  }
  out +=
      "<table id=\"invariants\">\n<thead><tr><th>invariant</th><th>requirement</th>"
      "<th>state</th><th class=\"num\">checks</th><th>detail</th></tr></thead>\n<tbody>\n";
  for (const InvariantResult& i : r.invariants) {
    const auto [words, style] = invariant_state(i);
    out += "<tr data-invariant=\"" + escape(i.name) + "\" data-state=\"" + escape(style) +
           "\"><td><code>" + escape(i.name) + "</code></td><td>" + escape(i.requirement) +
           "</td><td><span class=\"status " + escape(style) + "\">" + escape(words) +
           "</span></td><td class=\"num\">" + group_digits(i.checks) +
           "</td><td class=\"detail\">" + escape(i.detail) + "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n";
  return out;
}

std::string notes_section(const Report& r) {
  std::string out;
  auto list = [&out](std::string_view title, const std::vector<std::string>& lines) {
    if (lines.empty()) {
      return;
    }
    out += "<h2>" + escape(title) + "</h2>\n<ul class=\"notes\">\n";
    for (const std::string& line : lines) {
      out += "<li>" + escape(line) + "</li>\n";
    }
    out += "</ul>\n";
  };
  list("What the attacks learned", r.findings);
  list("Warnings", r.warnings);
  if (!r.rejects.empty()) {
    out +=
        "<h2>Phone refusals</h2>\n<table id=\"rejects\"><thead><tr><th>event:reason</th>"
        "<th class=\"num\">count</th></tr></thead><tbody>\n";
    for (const auto& [what, count] : r.rejects) {  // std::map: in name order
      out += "<tr><td><code>" + escape(what) + "</code></td><td class=\"num\">" +
             group_digits(count) + "</td></tr>\n";
    }
    out += "</tbody></table>\n";
  }
  return out;
}

std::vector<html::Plot> run_plots(const RunSeries& s) {
  std::vector<html::Plot> plots;
  const std::string time_axis = "virtual time (s)";

  html::Plot latency = html::make_plot("latency", "Delivery latency", "bar",
                                       "latency (ms, start of bin)", "deliveries (logarithmic)");
  latency.log_y = true;  // most deliveries are fast; the slow tail is what a reader looks for
  html::Plot::Series deliveries =
      html::named_series("deliveries per " + std::to_string(s.latency.bin_ms) + " ms bin");
  for (std::size_t i = 0; i < s.latency.counts.size(); ++i) {
    latency.categories.push_back(std::to_string(i * s.latency.bin_ms));
    deliveries.points.emplace_back(i, s.latency.counts[i]);
  }
  latency.series.push_back(deliveries);
  plots.push_back(latency);

  html::Plot store =
      html::make_plot("store", "Offline store depth", "line", time_axis, "items stored");
  store.x_divisor = 1000;
  html::Plot flight = html::make_plot("in_flight", "In flight", "line", time_axis, "count");
  flight.x_divisor = 1000;
  html::Plot events =
      html::make_plot("events", "Events per virtual second", "line", time_axis, "events");
  events.x_divisor = 1000;
  html::Plot::Series depth = html::named_series("depth at the end of each second");
  html::Plot::Series peak = html::named_series("deepest within the second");
  html::Plot::Series packets = html::named_series("network packets in flight");
  html::Plot::Series owed = html::named_series("deliveries accepted, not yet delivered");
  html::Plot::Series executed = html::named_series("events executed in the second");
  for (const SeriesSample& x : s.samples) {
    depth.points.emplace_back(x.time_ms, x.store_depth);
    peak.points.emplace_back(x.time_ms, x.store_peak);
    packets.points.emplace_back(x.time_ms, x.packets_in_flight);
    owed.points.emplace_back(x.time_ms, x.deliveries_owed);
    executed.points.emplace_back(x.time_ms, x.events);
  }
  store.series = {peak, depth};
  flight.series = {packets, owed};
  events.series = {executed};
  plots.push_back(store);
  plots.push_back(flight);
  plots.push_back(events);

  html::Plot traffic =
      html::make_plot("phone_bytes", "Bytes per phone", "bar", "phone", "payload bytes");
  html::Plot::Series sent = html::named_series("sent");
  html::Plot::Series received = html::named_series("received");
  for (std::size_t i = 0; i < s.phones.size(); ++i) {
    traffic.categories.push_back(std::to_string(i));
    sent.points.emplace_back(i, s.phones[i].bytes_sent);
    received.points.emplace_back(i, s.phones[i].bytes_received);
  }
  traffic.series = {sent, received};
  plots.push_back(traffic);
  return plots;
}

const char* plot_caption(std::string_view id) {
  if (id == "latency") {
    return "How long each delivered message took from the sender's send to the recipient's "
           "application, virtual time.";
  }
  if (id == "store") {
    return "Items the server holds for recipients that have not acknowledged them.";
  }
  if (id == "in_flight") {
    return "Packets sent but not yet delivered or lost, and accepted messages not yet "
           "delivered, at the end of each second.";
  }
  if (id == "events") {
    return "Simulator events executed in each second of virtual time: how busy the world was.";
  }
  return "Payload bytes each phone offered to the network and received from it.";
}

}  // namespace

std::string render_run_page(const RunPage& page) {
  const Report& r = page.report;
  const std::string word = verdict_word(r);
  std::string body;
  body += "<header>\n<h1>SPMC run report</h1>\n<p class=\"subtitle\">scenario <b>" +
          escape(r.scenario) + "</b>, profile <b>" + escape(r.profile) + "</b>, seed <b>" +
          std::to_string(r.seed) + "</b>, " + group_digits(r.phones) + " phones, " +
          group_digits(r.contact_pairs) + " contact pairs</p>\n</header>\n";
  body += "<div id=\"verdict\" data-verdict=\"" + word +
          "\" role=\"status\"><span class=\"word\">" +
          (r.stopped ? std::string("STOPPED")
           : r.pass  ? std::string("PASS")
                     : std::string("FAIL")) +
          "</span>" + escape(html::verdict_reason(r.verdict)) + "</div>\n";
  body += figures_section(r);
  body += invariants_section(r);
  body += notes_section(r);

  body += "<h2>Plots</h2>\n";
  nlohmann::ordered_json data;
  data["kind"] = "run";
  data["verdict"] = word;
  data["seed"] = r.seed;
  data["trace_hash"] = r.trace_hash;
  auto names = nlohmann::ordered_json::array();
  for (const InvariantResult& i : r.invariants) {
    names.push_back(i.name);
  }
  data["invariants"] = names;
  auto plots = nlohmann::ordered_json::array();
  if (r.series.samples.empty()) {
    body += "<p>No samples: this report was made without the run's series.</p>\n";
  } else {
    body += "<div class=\"plots\">\n";
    for (const html::Plot& p : run_plots(r.series)) {
      body += html::plot_figure(p, plot_caption(p.id));
      plots.push_back(html::plot_json(p));
    }
    body += "</div>\n";
  }
  data["plots"] = plots;

  body += "<h2>Sequence chart</h2>\n<div id=\"chart\">";
  if (page.chart_svg) {
    if (!page.chart_caption.empty()) {
      body += "<p class=\"caption\">" + escape(page.chart_caption) + "</p>";
    }
    body += *page.chart_svg;
  } else {
    body += "<p class=\"none\">no chart: " +
            escape(page.chart_caption.empty() ? "none was made for this run" : page.chart_caption) +
            " (spmc chart draws any window of the trace)</p>";
  }
  body += "</div>\n";

  body += "<h2>Run it again</h2>\n<pre id=\"replay\">" + escape(page.replay_command) + "</pre>\n";
  body += "<p>Trace hash <code id=\"trace-hash\">" + escape(r.trace_hash) +
          "</code> (the same command prints the same hash). Trace: <a id=\"trace\" href=\"" +
          escape(page.trace_href) + "\">" + escape(page.trace_href) + "</a></p>\n";
  body += "<details><summary>The text report</summary><pre>" + escape(render_text(r)) +
          "</pre></details>\n";
  return html::page("SPMC run: " + r.scenario + " seed " + std::to_string(r.seed) + " " + word,
                    body, data);
}

}  // namespace spmc::sim
