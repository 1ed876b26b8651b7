// `spmc vectors generate|check`: write or verify the vector files (spec/vectors/*.json).
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "invocation.hpp"
#include "output_file.hpp"
#include "spmc/sim/bounded_file.hpp"
#include "vectors.hpp"

namespace spmc::cli {

std::string default_vector_dir() { return data_dir() + "/vectors"; }

namespace {

// Bounded (issue 23): a vector file is a few KiB; a device, a FIFO or a file past 64 MiB in
// the vector directory is a one-line failure, not a read that never ends.
constexpr std::size_t kMaxVectorFileBytes = std::size_t{64} << 20U;

std::optional<std::string> read_file(const std::filesystem::path& path, std::string& out) {
  auto read = sim::read_bounded_file(path.string(), kMaxVectorFileBytes);
  if (!read.ok()) {
    return read.error().detail;
  }
  out = std::move(read).value();
  return std::nullopt;
}

// First differing line, for a loud and useful failure message.
std::size_t first_diff_line(const std::string& a, const std::string& b) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] != b[i]) {
      return line;
    }
    if (a[i] == '\n') {
      ++line;
    }
  }
  return line;
}

// `explicit_dir`: the user named the directory with --dir. The default is the tracked
// spec/vectors (through the data directory), which only --force may rewrite: a stray
// `generate` must not change files a commit would then carry.
int generate(const std::string& dir, bool explicit_dir, bool force) {
  if (!explicit_dir && !force) {
    std::fprintf(stderr,
                 "spmc: error: vectors generate would rewrite the vector files in %s; pass "
                 "--dir DIR to write elsewhere, or --force to rewrite them\n",
                 dir.c_str());
    return kExitUsage;
  }
  // The directory must exist: a mistyped path is an error, not a new tree.
  struct stat st {};
  const int err = ::stat(dir.c_str(), &st) != 0 ? errno : (S_ISDIR(st.st_mode) ? 0 : ENOTDIR);
  if (err != 0) {
    print_output_error({dir, std::strerror(err)});
    return kExitUsage;
  }
  // Every file is written before any is committed: all of them change, or none.
  OutputSet outputs;
  std::vector<std::string> paths;
  for (const auto& suite : vectors::all_suites()) {
    paths.push_back((std::filesystem::path(dir) / (std::string(suite.name) + ".json")).string());
    outputs.write(paths.back(), vectors::render(suite.generate()));
  }
  if (auto error = outputs.commit()) {
    print_output_error(*error);
    return kExitUsage;
  }
  for (const std::string& path : paths) {
    std::printf("wrote %s\n", path.c_str());
  }
  return kExitPass;
}

// Defence in depth: every check reads fields through the checked helpers of vectors.hpp,
// so a malformed file gives a mismatch; should one still throw, it is a FAIL line too.
std::optional<std::string> run_check(const vectors::VectorSuite& suite, const vectors::Json& file) {
  try {
    return suite.check(file);
  } catch (const nlohmann::json::exception& e) {
    return std::string("check threw (a bug in the checker): ") + e.what();
  }
}

// One vector file's verdict: nothing when it passes, else the reason.
std::optional<std::string> check_file(const vectors::VectorSuite& suite,
                                      const std::filesystem::path& path, std::size_t& cases) {
  std::string text;
  if (auto error = read_file(path, text)) {
    return "cannot read " + *error;
  }
  const auto parsed = vectors::Json::parse(text, nullptr, false);
  if (parsed.is_discarded()) {
    return path.string() + " is not valid JSON";
  }
  const auto* case_list = vectors::field_array(parsed, "cases");
  cases = case_list != nullptr ? case_list->size() : 0;
  // Two independent checks: every case recomputes, and the file is byte-identical to
  // what the generator writes (so no byte can change unnoticed).
  if (auto mismatch = run_check(suite, parsed)) {
    return mismatch;
  }
  const std::string expected = vectors::render(suite.generate());
  if (text != expected) {
    return path.string() + " differs from the generator at line " +
           std::to_string(first_diff_line(text, expected));
  }
  return std::nullopt;
}

int check(const std::string& dir, bool json) {
  int failures = 0;
  auto files = nlohmann::ordered_json::array();
  for (const auto& suite : vectors::all_suites()) {
    const std::string name(suite.name);
    std::size_t cases = 0;
    const auto failure = check_file(suite, std::filesystem::path(dir) / (name + ".json"), cases);
    failures += failure ? 1 : 0;
    files.push_back({{"suite", name},
                     {"verdict", failure ? "fail" : "pass"},
                     {"cases", cases},
                     {"detail", failure.value_or("")}});
    if (!json) {
      if (failure) {
        std::printf("FAIL %-12s %s\n", name.c_str(), failure->c_str());
      } else {
        std::printf("ok   %-12s %zu cases\n", name.c_str(), cases);
      }
    }
  }
  if (json) {
    nlohmann::ordered_json j;
    j["verdict"] = failures == 0 ? "pass" : "fail";
    j["dir"] = dir;
    j["failures"] = failures;
    j["files"] = files;
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::printf("%s: %d of %zu vector files failed\n", failures == 0 ? "PASS" : "FAIL", failures,
                vectors::all_suites().size());
  }
  return failures == 0 ? kExitPass : kExitFail;
}

}  // namespace

void add_vectors_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("vectors", "Generate or check the JSON test vectors");
  cmd->require_subcommand(1);
  auto dir = std::make_shared<std::string>(default_vector_dir());
  auto force = std::make_shared<bool>(false);
  auto* gen = cmd->add_subcommand(
      "generate",
      "Write the vector files from the generator (into --dir, or with --force over "
      "the shipped ones)");
  auto* gen_dir = gen->add_option("--dir", *dir,
                                  "Existing directory to write into (default: the shipped "
                                  "vectors, which only --force rewrites)")
                      ->capture_default_str();
  gen->add_flag("--force", *force, "Rewrite the shipped vector files (spec/vectors)");
  gen->callback([dir, force, gen_dir, &exit_code] {
    exit_code = generate(*dir, gen_dir->count() > 0, *force);
  });
  auto* chk = cmd->add_subcommand("check", "Verify every vector file; exit 1 on any mismatch");
  chk->add_option("--dir", *dir,
                  "Vector directory (default: vectors/ of the data directory, SPMC_DATA_DIR or "
                  "../share/spmc next to the program)")
      ->capture_default_str();
  auto json = std::make_shared<bool>(false);
  chk->add_flag("--json", *json, "Print one JSON object: verdict and each file's result");
  chk->callback([dir, json, &exit_code] { exit_code = check(*dir, *json); });
}

}  // namespace spmc::cli
