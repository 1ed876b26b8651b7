// The error registry (spec/errors.md, ERR-001..ERR-022): every row's number and name are
// what the code's ErrorCode and error_name() say, with no gaps, so Failure replies, vector
// files and traces all carry the names the spec lists.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "spmc/result.hpp"

namespace spmc {
namespace {

struct Row {
  std::string id;
  int value = 0;
  std::string name;
};

std::string unquote(const std::string& cell) {
  const auto b = cell.find_first_not_of(" `");
  const auto e = cell.find_last_not_of(" `");
  return b == std::string::npos ? "" : cell.substr(b, e - b + 1);
}

std::vector<Row> spec_rows() {
  std::ifstream in(std::string(SPMC_SOURCE_DIR) + "/spec/errors.md");
  EXPECT_TRUE(in);
  std::vector<Row> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("| ERR-")) {
      continue;
    }
    std::vector<std::string> cells;
    std::stringstream ss(line.substr(1));
    std::string cell;
    while (std::getline(ss, cell, '|')) {
      cells.push_back(unquote(cell));
    }
    EXPECT_GE(cells.size(), 4U) << line;
    rows.push_back({cells[0], std::stoi(cells[1]), cells[3]});
  }
  return rows;
}

// Proves: ERR-001..ERR-022, ERR-023
TEST(ErrorRegistry, NumbersAndNamesAreTheSpecTable) {
  const auto rows = spec_rows();
  ASSERT_EQ(rows.size(), 22U);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    EXPECT_EQ(r.value, static_cast<int>(i) + 1) << r.id << ": numbers are consecutive from 1";
    EXPECT_EQ(std::stoi(r.id.substr(4)), r.value) << r.id;
    EXPECT_EQ(error_name(static_cast<ErrorCode>(r.value)), r.name) << r.id;
  }
  EXPECT_EQ(error_name(static_cast<ErrorCode>(rows.size() + 1)), "unknown_error");
}

}  // namespace
}  // namespace spmc
