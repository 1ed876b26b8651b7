#include "spmc/suite.hpp"

#include <string>

namespace spmc {

std::size_t master_key_size(Suite suite) {
  switch (suite) {
    case Suite::kAes128:
      return 16;
    case Suite::kAes256:
      return 32;
  }
  SPMC_CHECK(false);
  return 0;
}

std::string_view suite_name(Suite suite) {
  switch (suite) {
    case Suite::kAes128:
      return "SPMC_AES128_RATCHET_AES128GCM";
    case Suite::kAes256:
      return "SPMC_AES256_RATCHET_AES128GCM";
  }
  SPMC_CHECK(false);
  return "";
}

Result<Suite> suite_from_wire(std::uint16_t value) {
  switch (value) {
    case 0x0001:
      return Suite::kAes128;
    case 0x0002:
      return Suite::kAes256;
    default:
      break;
  }
  return make_error(ErrorCode::kUnknownSuite, "cipher suite " + std::to_string(value));
}

}  // namespace spmc
