// A user's file is read with a bound (issue 23): a device, FIFO or directory is refused
// before it is opened, a file over the limit is refused while it is read.
#include "spmc/sim/bounded_file.hpp"

#include <gtest/gtest.h>

#include <string>

namespace spmc::sim {
namespace {

TEST(BoundedFile, DevicesDirectoriesAndOversizedFilesAreOneLineErrors) {
  const auto zero = read_bounded_file("/dev/zero", 1024);
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().detail,
            "/dev/zero: (file): not a regular file (a character device); give a file of at "
            "most 1024 bytes");
  const auto dir = read_bounded_file(SPMC_SOURCE_DIR, 1024);
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.error().detail.find("(a directory)"), std::string::npos);
  const std::string schema = std::string(SPMC_SOURCE_DIR) + "/simulator/scenarios/SCHEMA.md";
  const auto small = read_bounded_file(schema, 100);
  ASSERT_FALSE(small.ok());
  EXPECT_EQ(small.error().detail, schema + ": (file): larger than the limit of 100 bytes");
  const auto whole = read_bounded_file(schema, kMaxScenarioBytes);
  ASSERT_TRUE(whole.ok());
  EXPECT_GT(whole->size(), 100U);
}

}  // namespace
}  // namespace spmc::sim
