#pragma once
// How a profile turns the user's PIN into the key that wraps the storage key (STO-002). The
// scheme fills the KDF fields of a new store file; unlocking reads them back from the file
// (storage::derive_kek), so a store opens whichever profile made it.
#include <cstdint>
#include <memory>
#include <string_view>

namespace spmc::storage {

struct StoreFile;

class PinKdf {
 public:
  virtual ~PinKdf() = default;
  virtual std::string_view name() const = 0;
  // STO-001: sets kdf, cost_n, block_r and parallel_p of a store file being created.
  virtual void configure(StoreFile& file) const = 0;
};

// The paper: SHA-256(salt || PIN), no cost parameters.
const PinKdf& sha256_pin_kdf();
// scrypt at N = 2^14, r = 8, p = 1.
const PinKdf& scrypt_pin_kdf();
// scrypt at another cost N (a power of two, at least 2), r = 8, p = 1: for tests and
// benchmarks that need a cheaper or dearer KDF than a profile's.
std::unique_ptr<const PinKdf> make_scrypt_pin_kdf(std::uint64_t cost_n);

}  // namespace spmc::storage
