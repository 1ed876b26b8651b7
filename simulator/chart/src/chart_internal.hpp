#pragma once
// What the chart readers and renderers share inside spmc_sim_chart (not installed).
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

#include "spmc/sim/chart.hpp"

namespace spmc::sim::chart_detail {

// A mark or band on this lane spans every lifeline (a phase change).
inline constexpr std::size_t kAllLanes = std::numeric_limits<std::size_t>::max();

// "source:line: reason" as a typed error.
Error line_error(std::string_view source, std::size_t line, std::string_view reason);

// The three inputs, told apart by their first non-empty line.
enum class InputKind { kTrace, kAbstract, kCounterexample };
InputKind classify(std::string_view first_line);

// Full simulator traces (chart_trace.cpp). `first_line_no` is the number of `first` in the
// stream; `first` has already been read from `in`.
Result<Chart> read_trace_chart(std::istream& in, std::string_view source,
                               const ChartOptions& options, std::string first);
// Abstract traces and SPIN counterexamples (chart_abstract.cpp).
Result<Chart> read_abstract_chart(std::istream& in, std::string_view source,
                                  const ChartOptions& options, std::string first, InputKind kind);

// Collapses runs of identical exchanges, applies the arrow cap and clips marks and bands to
// what is left, adding the notes that say so (chart_finish.cpp).
void finish_chart(Chart& chart, std::size_t max_arrows);

std::string xml_escape(std::string_view text);
// Cuts `text` to `max` bytes on a UTF-8 boundary, ending it with "..." when cut.
std::string shorten(std::string_view text, std::size_t max);

}  // namespace spmc::sim::chart_detail
