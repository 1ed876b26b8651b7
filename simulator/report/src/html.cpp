// The page frame and plot descriptions shared by the report pages (html.hpp).
#include "html.hpp"

#include "assets.hpp"

namespace spmc::sim::html {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

// JSON inside <script type="application/json">: a "<" only ever stands in a JSON string, so
// writing it as \u003c keeps "</script>" or "<!--" in a detail from ending the block.
std::string script_safe_json(const nlohmann::ordered_json& data) {
  const std::string text = data.dump();
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string page(std::string_view title, std::string_view body,
                 const nlohmann::ordered_json& data) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + escape(title) + "</title>\n<style>\n";
  out += page_css();
  out += "</style>\n</head>\n<body>\n<main>\n";
  out += body;
  out += "</main>\n<script type=\"application/json\" id=\"report-data\">";
  out += script_safe_json(data);
  out += "</script>\n";
  out += "<!-- Chart.js ";
  out += chartjs_version();
  out += " (MIT licence, banner below), as Debian's libjs-chart.js installs it. -->\n<script>\n";
  out += chartjs_source();
  out += "\n</script>\n<script>\n";
  out += page_script();
  out += "</script>\n</body>\n</html>\n";
  return out;
}

Plot make_plot(std::string id, std::string title, std::string kind, std::string x_label,
               std::string y_label) {
  Plot p;
  p.id = std::move(id);
  p.title = std::move(title);
  p.kind = std::move(kind);
  p.x_label = std::move(x_label);
  p.y_label = std::move(y_label);
  return p;
}

Plot::Series named_series(std::string label, std::string colour) {
  Plot::Series s;
  s.label = std::move(label);
  s.colour = std::move(colour);
  return s;
}

nlohmann::ordered_json plot_json(const Plot& plot) {
  nlohmann::ordered_json j;
  j["id"] = plot.id;
  j["title"] = plot.title;
  j["kind"] = plot.kind;
  j["x_label"] = plot.x_label;
  j["y_label"] = plot.y_label;
  j["x_divisor"] = plot.x_divisor;
  j["log_y"] = plot.log_y;
  j["stacked"] = plot.stacked;
  if (!plot.categories.empty()) {
    j["categories"] = plot.categories;
  }
  auto series = nlohmann::ordered_json::array();
  for (const Plot::Series& s : plot.series) {
    auto points = nlohmann::ordered_json::array();
    for (const auto& [x, y] : s.points) {
      points.push_back({x, y});
    }
    nlohmann::ordered_json one{{"label", s.label}, {"points", points}};
    if (!s.colour.empty()) {
      one["colour"] = s.colour;
    }
    series.push_back(one);
  }
  j["series"] = series;
  return j;
}

std::string plot_figure(const Plot& plot, std::string_view caption) {
  return "<figure class=\"plot\"><div class=\"canvas-box\"><canvas data-plot=\"" + escape(plot.id) +
         "\" id=\"plot-" + escape(plot.id) + "\" role=\"img\" aria-label=\"" + escape(plot.title) +
         "\"></canvas></div><figcaption>" + escape(caption) + "</figcaption></figure>\n";
}

std::string verdict_reason(const std::string& verdict) {
  const auto colon = verdict.find(": ");
  return colon == std::string::npos ? verdict : verdict.substr(colon + 2);
}

std::string group_digits(std::uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) {
      out += ',';
    }
    out += digits[i];
  }
  return out;
}

}  // namespace spmc::sim::html
