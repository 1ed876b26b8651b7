// The paper's PIN KDF (STO-002): one SHA-256 over salt || PIN. A 4-digit PIN falls to an
// offline search of a copied store in milliseconds; requirements REQ-7.offline_cost shows it.
#include "spmc/schemes/pin_kdf.hpp"
#include "spmc/storage.hpp"

namespace spmc::storage {

namespace {

class Sha256PinKdf final : public PinKdf {
 public:
  std::string_view name() const override { return "sha256"; }

  void configure(StoreFile& file) const override {
    file.kdf = Kdf::kSha256;
    file.cost_n = 0;
    file.block_r = 0;
    file.parallel_p = 0;
  }
};

}  // namespace

const PinKdf& sha256_pin_kdf() {
  static const Sha256PinKdf kKdf;
  return kKdf;
}

}  // namespace spmc::storage
