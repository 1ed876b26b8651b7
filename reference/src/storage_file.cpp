// The store file codec (STO-001) and the PIN key derivation (STO-002).
#include <algorithm>

#include "spmc/codec.hpp"
#include "spmc/crypto.hpp"
#include "spmc/storage.hpp"

namespace spmc::storage {

namespace {

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

}  // namespace

Status StoreFile::check_kdf_parameters(const StoreFile& f) {
  if (!kdf_params_valid(f)) {
    return make_error(ErrorCode::kBadValue, "PIN KDF parameters out of range");
  }
  return ok_status();
}

// STO-004: the wrapped key is present exactly while tries remain.
Status StoreFile::check_key_and_tries(const StoreFile& f) {
  if (!f.wrapped_storage_key.empty() && f.wrapped_storage_key.size() != kWrappedKeySize) {
    return make_error(ErrorCode::kBadLength, "wrapped storage key must be 0 or 60 bytes");
  }
  const bool wiped = f.wrapped_storage_key.empty();
  if (wiped != (f.failed_tries == kPinTries) || f.failed_tries > kPinTries) {
    return make_error(ErrorCode::kBadValue, "failed_tries inconsistent with the wrapped key");
  }
  return ok_status();
}

Bytes encode_file_parameters(const StoreFile& file) {
  SPMC_CHECK(kdf_params_valid(file));
  codec::Writer w;
  wire::write_first<StoreFile::kParameterFields>(w, file);
  return w.take();
}

Bytes encode_store_file(const StoreFile& file) {
  SPMC_CHECK(kdf_params_valid(file));
  SPMC_CHECK(StoreFile::check_key_and_tries(file).ok());
  SPMC_CHECK(file.sealed_state.size() >= kSealedMin &&
             file.sealed_state.size() <= kMaxStateSize + kSealedMin);
  return wire::encode(file);
}

Result<StoreFile> decode_store_file(ByteView in) { return wire::decode<StoreFile>(in); }

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
