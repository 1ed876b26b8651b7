// A map-like SVG of a deployment's paths (LOC-009): countries placed by their coordinates in
// an equirectangular projection, links in grey, every pair's application path as a faint line
// (so the routes many pairs share show dark), servers in red. No tiles, no network, and
// coordinates written as fixed tenths so the bytes are the same everywhere.
#include <cmath>
#include <string>

#include "spmc/locality/report.hpp"

namespace spmc::locality {

namespace {

constexpr double kWidth = 1000;
constexpr double kHeight = 500;

// Tenths of a pixel, written without floating-point formatting.
std::string fixed(double v) {
  const long long tenths = std::llround(v * 10);
  const long long whole = tenths / 10;
  const long long frac = tenths % 10;
  std::string out = (tenths < 0 && whole == 0) ? "-0" : std::to_string(whole);
  return out + "." + std::to_string(frac < 0 ? -frac : frac);
}

double x_of(double lon) { return (lon + 180) / 360 * kWidth; }
double y_of(double lat) { return (90 - lat) / 180 * kHeight; }

// One segment as path data. A segment across the antimeridian (NZ to the U.S.) is drawn twice,
// once from each end towards the map's edge, instead of across the whole map.
std::string segment(const Country& a, const Country& b) {
  const auto move = [](double lon_a, double lat_a, double lon_b, double lat_b) {
    return "M" + fixed(x_of(lon_a)) + " " + fixed(y_of(lat_a)) + "L" + fixed(x_of(lon_b)) + " " +
           fixed(y_of(lat_b));
  };
  const double d = b.lon - a.lon;
  if (d > 180) {
    return move(a.lon, a.lat, b.lon - 360, b.lat) + move(a.lon + 360, a.lat, b.lon, b.lat);
  }
  if (d < -180) {
    return move(a.lon, a.lat, b.lon + 360, b.lat) + move(a.lon - 360, a.lat, b.lon, b.lat);
  }
  return move(a.lon, a.lat, b.lon, b.lat);
}

std::string escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
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
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string render_svg(const Topology& topology, const LocalityReport& report) {
  const auto& countries = topology.countries();
  std::string out =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1000 530\" width=\"1000\" "
      "height=\"530\" font-family=\"sans-serif\">\n"
      "<rect x=\"0\" y=\"0\" width=\"1000\" height=\"500\" fill=\"#eef3f7\"/>\n";
  out += "<g stroke=\"#9aa5ad\" stroke-width=\"1\" fill=\"none\">\n";
  for (const Link& link : topology.links()) {
    out += "<path d=\"" + segment(countries[link.a], countries[link.b]) + "\"" +
           (link.kind == "sea" ? " stroke-dasharray=\"4 3\"" : "") + "/>\n";
  }
  out += "</g>\n<g stroke=\"#c0392b\" stroke-width=\"2\" stroke-opacity=\"0.08\" fill=\"none\">\n";
  std::vector<bool> server(countries.size(), false);
  for (const PairPaths& p : report.pairs) {
    for (const CountryIndex s : p.application.servers) {
      server[s] = true;
    }
    const auto& path = p.application.countries;
    if (path.size() < 2) {
      continue;
    }
    std::string d;
    for (std::size_t i = 0; i + 1 < path.size(); ++i) {
      d += segment(countries[path[i]], countries[path[i + 1]]);
    }
    out += "<path d=\"" + d + "\"/>\n";
  }
  out += "</g>\n<g font-size=\"10\">\n";
  for (CountryIndex c = 0; c < countries.size(); ++c) {
    const Country& country = countries[c];
    const std::string x = fixed(x_of(country.lon));
    const std::string y = fixed(y_of(country.lat));
    const char* fill = server[c] ? "#c0392b" : (country.study ? "#1f2d3a" : "#ffffff");
    out += "<circle cx=\"" + x + "\" cy=\"" + y + "\" r=\"" + (server[c] ? "5" : "3") +
           "\" fill=\"" + fill + "\" stroke=\"#1f2d3a\"><title>" + escape(country.name) + " (" +
           escape(country.city) + ")</title></circle>\n";
    // A label near the right edge goes to the left of its dot, inside the picture (NZ).
    const bool right_edge = x_of(country.lon) > kWidth - 24;
    out += "<text x=\"" + fixed(x_of(country.lon) + (right_edge ? -4 : 4)) + "\" y=\"" +
           fixed(y_of(country.lat) - 4) + "\"" + (right_edge ? " text-anchor=\"end\"" : "") + ">" +
           escape(country.code) + "</text>\n";
  }
  out += "</g>\n<text x=\"8\" y=\"520\" font-size=\"12\">" +
         escape(deployment_name(report.deployment, topology)) + ": application paths of " +
         std::to_string(report.pairs.size()) +
         " pairs (red, darker where shared); links grey, sea links dashed; servers red; "
         "transit-only countries hollow</text>\n</svg>\n";
  return out;
}

}  // namespace spmc::locality
