// `spmc vectors generate|check`: rewrite or verify spec/vectors/*.json.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "commands.hpp"
#include "vectors.hpp"

namespace spmc::cli {

std::string default_vector_dir() { return std::string(SPMC_SOURCE_DIR) + "/spec/vectors"; }

namespace {

bool read_file(const std::filesystem::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
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

int generate(const std::string& dir) {
  std::filesystem::create_directories(dir);
  for (const auto& suite : vectors::all_suites()) {
    const auto path = std::filesystem::path(dir) / (std::string(suite.name) + ".json");
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << vectors::render(suite.generate());
    if (!out) {
      std::fprintf(stderr, "spmc: error: cannot write %s\n", path.c_str());
      return kExitUsage;
    }
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
  if (!read_file(path, text)) {
    return "cannot read " + path.string();
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
  auto* gen = cmd->add_subcommand("generate", "Rewrite spec/vectors/*.json from the generator");
  gen->add_option("--dir", *dir, "Vector directory")->capture_default_str();
  gen->callback([dir, &exit_code] { exit_code = generate(*dir); });
  auto* chk = cmd->add_subcommand("check", "Verify every vector file; exit 1 on any mismatch");
  chk->add_option("--dir", *dir, "Vector directory")->capture_default_str();
  auto json = std::make_shared<bool>(false);
  chk->add_flag("--json", *json, "Print one JSON object: verdict and each file's result");
  chk->callback([dir, json, &exit_code] { exit_code = check(*dir, *json); });
}

}  // namespace spmc::cli
