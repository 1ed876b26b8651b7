// keyshare::open(seal(x)) == x (KS-003) for fuzzer-chosen plains under both profiles, and
// the sealed message decodes (KS-002). The plain comes from decode_plain of fuzzer bytes,
// so only valid shares are sealed; the recipient and sender keys are fixed.
#include "fuzz_support.hpp"
#include "spmc/key_share.hpp"
#include "spmc/rng.hpp"
#include "spmc/schemes/key_share_scheme.hpp"

namespace {

using namespace spmc;

struct Keys {
  crypto::X25519KeyPair enc;
  crypto::Ed25519KeyPair sign;
};

const Keys& keys() {
  static const Keys k = [] {
    DeterministicRng rng(5, "key-share-seal-fuzz");
    Keys out;
    out.enc = crypto::x25519_generate(rng);
    out.sign = crypto::ed25519_generate(rng);
    return out;
  }();
  return k;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) {
    return 0;
  }
  const Profile& profile = (data[0] & 1U) ? hardened_profile() : paper_profile();
  auto plain = keyshare::decode_plain(fuzz::view(data + 1, size - 1));
  if (!plain.ok() || !keyshare::fits_in_message(*plain)) {
    return 0;
  }
  DeterministicRng rng(data[0], "seal");
  const Keys& k = keys();
  const Bytes wire =
      keyshare::seal(rng, profile, *plain, "alice", "bob", k.enc.public_key, &k.sign.secret_key);
  auto message = keyshare::decode_message(wire);
  SPMC_FUZZ_CHECK(message.ok());
  SPMC_FUZZ_CHECK(message->signature.has_value() == profile.key_share->signs());
  auto opened = keyshare::open(profile, *message, k.enc.secret_key, &k.sign.public_key);
  SPMC_FUZZ_CHECK(opened.ok() && *opened == *plain);
  return 0;
}
