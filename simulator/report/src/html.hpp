#pragma once
// The parts every report page shares: escaping, the page frame (inline CSS, Chart.js, the
// data block and the drawing script) and the plot descriptions the script draws.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spmc::sim::html {

// Text as HTML text or attribute value: & < > " ' escaped.
std::string escape(std::string_view text);

// A whole page: title (escaped), body (HTML as given) and data (the page's JSON block, with
// "plots" the array the script draws into canvas[data-plot]).
std::string page(std::string_view title, std::string_view body, const nlohmann::ordered_json& data);

// A chart for the script: x along the bottom, each series one colour with its legend entry.
struct Plot {
  std::string id;  // canvas[data-plot=id]
  std::string title;
  std::string kind;  // "line", "bar" or "scatter"
  std::string x_label;
  std::string y_label;
  std::uint64_t x_divisor = 1;          // numeric x is shown as x / x_divisor (ms as seconds)
  bool log_y = false;                   // a logarithmic y axis, for counts spanning decades
  bool stacked = false;                 // bar charts: series stacked, y in whole steps
  std::vector<std::string> categories;  // bar charts: one label per bar; else x is numeric
  struct Series {
    std::string label;
    std::string colour;  // empty: the script's palette
    // Numeric x: (x, y) pairs; categories: y only, in category order (x ignored).
    std::vector<std::pair<std::uint64_t, std::uint64_t>> points;
  };
  std::vector<Series> series;
};

Plot make_plot(std::string id, std::string title, std::string kind, std::string x_label,
               std::string y_label);
Plot::Series named_series(std::string label, std::string colour = "");

nlohmann::ordered_json plot_json(const Plot& plot);
// The figure holding plot.id's canvas, with its caption (escaped).
std::string plot_figure(const Plot& plot, std::string_view caption);

// "PASS: every invariant held" -> "every invariant held": pages show the word on its own.
std::string verdict_reason(const std::string& verdict);

// "1234567" -> "1,234,567": figures a reader takes in at a glance.
std::string group_digits(std::uint64_t value);

}  // namespace spmc::sim::html
