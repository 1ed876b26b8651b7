#include "spmc/profile.hpp"

#include <array>
#include <string>

#include "spmc/schemes/group_policy.hpp"
#include "spmc/schemes/key_share_scheme.hpp"
#include "spmc/schemes/pin_kdf.hpp"
#include "spmc/schemes/u2u_scheme.hpp"

namespace spmc {

const Profile& paper_profile() {
  static const Profile kPaper{
      .name = "paper",
      .description = "the seed paper as written, ambiguities resolved as spec/ambiguities.md says",
      .default_suite = Suite::kAes128,
      .key_share = &keyshare::paper_key_share(),
      .group = &group::keep_key_group_policy(),
      .u2u = &u2u::paper_u2u(),
      .pin_kdf = &storage::sha256_pin_kdf(),
      .limits = Limits{},
  };
  return kPaper;
}

const Profile& hardened_profile() {
  static const Profile kHardened{
      .name = "hardened",
      .description =
          "every fix of wave one: signed key shares, rekey on membership change, "
          "key-bound U2U, scrypt PIN",
      .default_suite = Suite::kAes256,
      .key_share = &keyshare::signed_key_share(),
      .group = &group::rekey_group_policy(),
      .u2u = &u2u::bound_u2u(),
      .pin_kdf = &storage::scrypt_pin_kdf(),
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
