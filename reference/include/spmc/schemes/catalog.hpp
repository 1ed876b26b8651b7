#pragma once
// Every scheme a profile may pick, by part, with the name a profile file uses for it and one
// line on what it does (PRO-008). Profile files are read by name through these lists, and
// `spmc profiles` prints them, so a new variant is its own file plus one line in catalog.cpp.
#include <span>
#include <string_view>

#include "spmc/profile.hpp"  // the scheme interfaces, declared
#include "spmc/suite.hpp"

namespace spmc {
namespace schemes {

template <typename T>
struct Choice {
  std::string_view name;
  const T* value;
  std::string_view summary;
};

std::span<const Choice<keyshare::KeyShareScheme>> key_share_choices();
std::span<const Choice<group::GroupPolicy>> group_choices();
std::span<const Choice<u2u::U2uScheme>> u2u_choices();
std::span<const Choice<storage::PinKdf>> pin_kdf_choices();
// Suites are values, not objects; the name is the registry's (suite_name).
struct SuiteChoice {
  std::string_view name;
  Suite value;
  std::string_view summary;
};
std::span<const SuiteChoice> suite_choices();

}  // namespace schemes
}  // namespace spmc
