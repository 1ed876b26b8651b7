// STO-002's fix: the PIN stretched by scrypt (RFC 7914), r = 8, p = 1, which makes each
// offline guess cost memory and time; the cost N is the scheme's parameter.
#include "spmc/schemes/pin_kdf.hpp"
#include "spmc/storage.hpp"

namespace spmc::storage {

namespace {

class ScryptPinKdf final : public PinKdf {
 public:
  explicit ScryptPinKdf(std::uint64_t cost_n) : m_cost_n(cost_n) {
    SPMC_CHECK(cost_n >= 2 && (cost_n & (cost_n - 1)) == 0 && cost_n <= kMaxScryptCost);
  }

  std::string_view name() const override { return "scrypt"; }

  void configure(StoreFile& file) const override {
    file.kdf = Kdf::kScrypt;
    file.cost_n = m_cost_n;
    file.block_r = kScryptR;
    file.parallel_p = kScryptP;
  }

 private:
  std::uint64_t m_cost_n;
};

}  // namespace

const PinKdf& scrypt_pin_kdf() {
  static const ScryptPinKdf kKdf(1U << 14);
  return kKdf;
}

std::unique_ptr<const PinKdf> make_scrypt_pin_kdf(std::uint64_t cost_n) {
  return std::make_unique<const ScryptPinKdf>(cost_n);
}

}  // namespace spmc::storage
