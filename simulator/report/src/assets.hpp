#pragma once
// Files compiled into the program (assets.cpp.in, filled in by CMake): the pages carry them
// inline so a report opens with no network and no file beside it.
#include <string_view>

namespace spmc::sim::html {

// Chart.js as Debian's libjs-chart.js installs it (chart.min.js, licence banner first).
std::string_view chartjs_source();
std::string_view chartjs_version();  // e.g. "3.9.1", read from that banner at build time
std::string_view page_css();         // simulator/report/page.css
std::string_view page_script();      // simulator/report/page.js: draws the plots

}  // namespace spmc::sim::html
