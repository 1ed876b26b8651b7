#include "spmc/profile.hpp"

#include <array>
#include <string>

namespace spmc {

const Profile& paper_profile() {
  static const Profile kPaper{
      .id = ProfileId::kPaper,
      .name = "paper",
      .default_suite = Suite::kAes128,
      .key_share_signed = false,
      .group_rekey_on_change = false,
      .u2u_bound = false,
      .pin_kdf_cost_n = 0,
      .limits = Limits{},
  };
  return kPaper;
}

const Profile& hardened_profile() {
  static const Profile kHardened{
      .id = ProfileId::kHardened,
      .name = "hardened",
      .default_suite = Suite::kAes256,
      .key_share_signed = true,
      .group_rekey_on_change = true,
      .u2u_bound = true,
      .pin_kdf_cost_n = 1U << 14,
      .limits = Limits{},
  };
  return kHardened;
}

std::span<const Profile* const> all_profiles() {
  static const std::array<const Profile*, 2> kAll{&paper_profile(), &hardened_profile()};
  return kAll;
}

Result<const Profile*> profile_by_name(std::string_view name) {
  for (const Profile* p : all_profiles()) {
    if (p->name == name) {
      return p;
    }
  }
  return make_error(ErrorCode::kBadValue, "unknown profile '" + std::string(name) + "'");
}

}  // namespace spmc
