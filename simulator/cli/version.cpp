// `spmc --version`: the project version from CMake and what the build was made with, all
// fixed at compile time (no git, no date), so two builds of one tree print the same text.
#include <nlohmann/json.hpp>
#include <string>

#include "commands.hpp"

namespace spmc::cli {

// GCC's __VERSION__ is the bare number; clang's names itself.
#if defined(__clang__)
constexpr const char* kCompiler = __VERSION__;
#else
constexpr const char* kCompiler = "GCC " __VERSION__;
#endif

std::string version_text() {
  const std::string json_version = std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                                   std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                                   std::to_string(NLOHMANN_JSON_VERSION_PATCH);
  return std::string("spmc ") + SPMC_VERSION + "\nbuild: " + SPMC_BUILD_TYPE + ", " + kCompiler +
         ", C++ " + std::to_string(__cplusplus) + ", nlohmann_json " + json_version + ", CLI11 " +
         CLI11_VERSION + "\n";
}

std::string exit_codes_text() {
  return "Exit status: " + std::to_string(kExitPass) + " pass; " + std::to_string(kExitFail) +
         " a property failed (an invariant, a check or a vector; for replay, the recorded run "
         "failed again; for diff, B violates an invariant on a seed where A did not); " +
         std::to_string(kExitUsage) +
         " bad usage or bad input (one line on stderr names the option or file, the value and "
         "the reason), a file that could not be written, or a run stopped by --max-events or "
         "--max-wall (verdict STOPPED, nothing judged); spmc replay also " +
         std::to_string(kExitReplayDiverged) + " diverged and " +
         std::to_string(kExitReplayDamaged) + " damaged trace.";
}

}  // namespace spmc::cli
