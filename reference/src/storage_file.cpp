// The store file codec (STO-001) and the PIN key derivation (STO-002).
#include <algorithm>

#include "spmc/codec.hpp"
#include "spmc/crypto.hpp"
#include "spmc/storage.hpp"

namespace spmc::storage {

namespace {

constexpr std::string_view kMagic = "SPMCST01";
constexpr std::size_t kSealedMin = 12 + crypto::kGcmTagSize;

ByteView view_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Canonical KDF parameters: sha256 carries none; scrypt a bounded power-of-two cost.
bool kdf_params_valid(const StoreFile& f) {
  if (f.kdf == Kdf::kSha256) {
    return f.cost_n == 0 && f.block_r == 0 && f.parallel_p == 0;
  }
  const bool pow2 = f.cost_n >= 2 && (f.cost_n & (f.cost_n - 1)) == 0;
  return pow2 && f.cost_n <= kMaxScryptCost && f.block_r >= 1 && f.block_r <= 16 &&
         f.parallel_p >= 1 && f.parallel_p <= 4;
}

// STO-004: the wrapped key is present exactly while tries remain.
Status check_key_and_tries(const StoreFile& f) {
  if (!f.wrapped_storage_key.empty() && f.wrapped_storage_key.size() != kWrappedKeySize) {
    return make_error(ErrorCode::kBadLength, "wrapped storage key must be 0 or 60 bytes");
  }
  const bool wiped = f.wrapped_storage_key.empty();
  if (wiped != (f.failed_tries == kPinTries) || f.failed_tries > kPinTries) {
    return make_error(ErrorCode::kBadValue, "failed_tries inconsistent with the wrapped key");
  }
  return ok_status();
}

}  // namespace

Bytes encode_file_parameters(const StoreFile& file) {
  SPMC_CHECK(kdf_params_valid(file));
  codec::Writer w;
  w.raw(view_of(kMagic));
  w.u8(static_cast<std::uint8_t>(file.kdf));
  w.u64(file.cost_n);
  w.u8(file.block_r);
  w.u8(file.parallel_p);
  w.raw(file.salt);
  return w.take();
}

Bytes encode_store_file(const StoreFile& file) {
  SPMC_CHECK(check_key_and_tries(file).ok());
  SPMC_CHECK(file.sealed_state.size() >= kSealedMin &&
             file.sealed_state.size() <= kMaxStateSize + kSealedMin);
  codec::Writer w;
  w.raw(encode_file_parameters(file));
  w.u8(file.failed_tries);
  w.bytes16(file.wrapped_storage_key);
  w.bytes32(file.sealed_state);
  return w.take();
}

Result<StoreFile> decode_store_file(ByteView in) {
  codec::Reader r(in);
  SPMC_TRY(const Bytes magic, r.raw(kMagic.size()));
  if (!std::equal(magic.begin(), magic.end(), kMagic.begin())) {
    return make_error(ErrorCode::kBadValue, "not a store file (bad magic)");
  }
  StoreFile f;
  SPMC_TRY(const std::uint8_t kdf, r.u8());
  if (kdf != 1 && kdf != 2) {
    return make_error(ErrorCode::kBadValue, "unknown PIN KDF");
  }
  f.kdf = static_cast<Kdf>(kdf);
  SPMC_TRY(f.cost_n, r.u64());
  SPMC_TRY(f.block_r, r.u8());
  SPMC_TRY(f.parallel_p, r.u8());
  if (!kdf_params_valid(f)) {
    return make_error(ErrorCode::kBadValue, "PIN KDF parameters out of range");
  }
  SPMC_TRY(const Block salt, r.block());
  std::copy(salt.begin(), salt.end(), f.salt.begin());
  SPMC_TRY(f.failed_tries, r.u8());
  SPMC_TRY(f.wrapped_storage_key, r.bytes16(0, kWrappedKeySize));
  SPMC_TRY_STATUS(check_key_and_tries(f));
  SPMC_TRY(f.sealed_state, r.bytes32(kSealedMin, kMaxStateSize + kSealedMin));
  SPMC_TRY_STATUS(r.expect_end());
  return f;
}

Bytes derive_kek(const StoreFile& file, std::string_view pin) {
  if (file.kdf == Kdf::kSha256) {
    Bytes input(file.salt.begin(), file.salt.end());
    input.insert(input.end(), pin.begin(), pin.end());
    const crypto::Digest kek = crypto::sha256(input);
    secure_wipe(input);
    return Bytes(kek.begin(), kek.end());
  }
  return crypto::scrypt(view_of(pin), file.salt, file.cost_n, file.block_r, file.parallel_p,
                        kStorageKeySize);
}

}  // namespace spmc::storage
