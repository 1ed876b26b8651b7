#pragma once
// `--report DIR` on sim and sweep: the folder a report page (spmc_sim_report) is written to,
// through the command's OutputSet (temporary + rename) like every other output.
#include <optional>
#include <string>

#include "output_file.hpp"

namespace spmc::cli {

// Makes DIR (and its parents) if missing; an existing folder is fine. The error names the
// folder and the system's reason.
std::optional<OutputError> prepare_report_dir(const std::string& dir);

// DIR/name, as the user would write it.
std::string report_file(const std::string& dir, const std::string& name);

// A link from DIR/index.html to `path` (given relative to the working directory): relative
// to DIR, so the folder and the file can move together.
std::string link_from_report(const std::string& dir, const std::string& path);

}  // namespace spmc::cli
