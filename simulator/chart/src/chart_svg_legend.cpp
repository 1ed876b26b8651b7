// The bands (offline, crashed, partitioned) and the legend of the SVG chart.
#include <array>

#include "chart_svg_parts.hpp"

namespace spmc::sim::chart_detail {
namespace {

constexpr std::string_view kOffline = "fill=\"#9e9e9e\" fill-opacity=\"0.45\"";
constexpr std::string_view kCrashed = "fill=\"#333\" fill-opacity=\"0.6\"";
constexpr std::string_view kPartitioned =
    "fill=\"#ef8f00\" fill-opacity=\"0.3\" stroke=\"#ef8f00\" stroke-dasharray=\"3 2\"";

}  // namespace

void draw_bands(SvgOut& s, const Chart& chart, const Layout& l) {
  for (const Band& b : chart.bands) {
    const int x = l.lane_x(b.lane);
    const int top = l.y_at(b.from);
    const int bottom = std::max(top + 4, l.y_at(b.to));
    switch (b.kind) {
      case BandKind::kPartitioned:
        s.rect(x - 12, top, 24, bottom - top, kPartitioned);
        break;
      case BandKind::kOffline:
        s.rect(x - 7, top, 14, bottom - top, kOffline);
        break;
      case BandKind::kCrashed:
        s.rect(x - 7, top, 14, bottom - top, kCrashed);
        break;
    }
  }
}

int draw_legend(SvgOut& s, int y, int width) {
  struct Entry {
    std::string_view name;
    int sample;  // which drawing
  };
  constexpr std::array<Entry, 16> kEntries{{
      {"application message (envelope)", 0},
      {"key share", 1},
      {"protocol request / reply", 2},
      {"acknowledgement", 3},
      {"resent (same bytes again)", 4},
      {"duplicate copy from the network", 5},
      {"injected or tampered by the adversary", 6},
      {"lost (reason in brackets)", 7},
      {"phone offline", 8},
      {"crashed", 9},
      {"cut off by a partition", 10},
      {"message delivered to the app", 11},
      {"event (key share accepted, ...)", 12},
      {"rejected / failed", 13},
      {"adversary action", 14},
      {"invariant violated", 15},
  }};
  s.text(16, y + 4, "Legend", "font-size=\"12\" font-weight=\"bold\"");
  y += 14;
  const int columns = std::max(1, (width - 16) / 280);
  const int rows = (static_cast<int>(kEntries.size()) + columns - 1) / columns;
  for (std::size_t i = 0; i < kEntries.size(); ++i) {
    const int col = static_cast<int>(i) / rows;
    const int row = static_cast<int>(i) % rows;
    const int x = 16 + col * 280;
    const int ly = y + row * 20 + 10;
    switch (kEntries[i].sample) {
      case 0:
        s.line(x, ly, x + 40, ly, "stroke=\"#1a56c4\" stroke-width=\"2.2\"");
        break;
      case 1:
        s.line(x, ly, x + 40, ly, "stroke=\"#1e8c3a\" stroke-width=\"2\"");
        break;
      case 2:
        s.line(x, ly, x + 40, ly, "stroke=\"#555\" stroke-width=\"1.3\"");
        break;
      case 3:
        s.line(x, ly, x + 40, ly, "stroke=\"#9a9a9a\" stroke-width=\"1\" stroke-dasharray=\"3 3\"");
        break;
      case 4:
        s.line(x, ly, x + 40, ly,
               "stroke=\"#1a56c4\" stroke-width=\"2.2\" stroke-dasharray=\"8 4\"");
        break;
      case 5:
        s.line(x, ly, x + 40, ly,
               "stroke=\"#7b3fb5\" stroke-width=\"1.6\" stroke-dasharray=\"2 4\"");
        break;
      case 6:
        s.line(x, ly, x + 40, ly, "stroke=\"#c0007a\" stroke-width=\"2.4\"");
        break;
      case 7:
        s.line(x, ly, x + 30, ly, "stroke=\"#555\" stroke-width=\"1.3\"");
        s.line(x + 26, ly - 5, x + 36, ly + 5, "stroke=\"#d32f2f\" stroke-width=\"2.5\"");
        s.line(x + 26, ly + 5, x + 36, ly - 5, "stroke=\"#d32f2f\" stroke-width=\"2.5\"");
        break;
      case 8:
        s.rect(x + 13, ly - 8, 14, 16, kOffline);
        break;
      case 9:
        s.rect(x + 13, ly - 8, 14, 16, kCrashed);
        break;
      case 10:
        s.rect(x + 8, ly - 8, 24, 16, kPartitioned);
        break;
      case 11:
        s.circle(x + 20, ly, 5, "fill=\"#1a56c4\"");
        break;
      case 12:
        s.circle(x + 20, ly, 4, "fill=\"#fff\" stroke=\"#444\" stroke-width=\"1.5\"");
        break;
      case 13:
        s.rect(x + 15, ly - 5, 10, 10, "fill=\"#c62828\"");
        break;
      case 14:
        s.polygon({{x + 20, ly - 7}, {x + 27, ly}, {x + 20, ly + 7}, {x + 13, ly}},
                  "fill=\"#c0007a\"");
        break;
      default:
        s.line(x, ly, x + 40, ly, "stroke=\"#d00\" stroke-width=\"3\"");
        break;
    }
    s.text(x + 50, ly + 4, kEntries[i].name, "font-size=\"11\" fill=\"#333\"");
  }
  return y + rows * 20 + 8;
}

}  // namespace spmc::sim::chart_detail
