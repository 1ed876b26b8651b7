// The options of `spmc server` and `spmc live` that are not plain numbers (MQT-022, MQT-024):
// a broker address and scrypt's cost, parsed in one place (args.cpp) for both commands.
#include <gtest/gtest.h>

#include "args.hpp"

namespace spmc::cli {
namespace {

// Proves: MQT-022, MQT-024
TEST(LiveOptions, ABrokerAddressIsAHostAndAPortAfterTheLastColon) {
  const auto a = parse_broker_address("127.0.0.1:1883");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 1883);
  const auto v6 = parse_broker_address("::1:8883");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 8883);
  for (const char* bad : {"localhost", ":1883", "host:", "host:0", "host:65536", "host:01883",
                          "host:+1", "host:1883 "}) {
    EXPECT_FALSE(parse_broker_address(bad).ok()) << bad;
  }
}

// Proves: SU-001
TEST(LiveOptions, ScryptsCostIsAPowerOfTwoInItsRange) {
  for (const char* good : {"2", "16", "16384", "1048576"}) {
    EXPECT_TRUE(parse_scrypt_cost(good).ok()) << good;
  }
  for (const char* bad : {"0", "1", "3", "1000", "2097152", "016", "-16"}) {
    EXPECT_FALSE(parse_scrypt_cost(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace spmc::cli
