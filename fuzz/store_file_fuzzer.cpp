// storage::decode_store_file (STO-001) round-trips; LocalStore::load accepts exactly
// what decodes and keeps the bytes it was given.
#include "fuzz_support.hpp"
#include "spmc/storage.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spmc;
  const ByteView in = fuzz::view(data, size);
  fuzz::round_trip(
      in, [](ByteView b) { return storage::decode_store_file(b); },
      [](const storage::StoreFile& f) { return storage::encode_store_file(f); });
  auto file = storage::decode_store_file(in);
  auto store = storage::LocalStore::load(in);
  SPMC_FUZZ_CHECK(file.ok() == store.ok());
  if (store.ok()) {
    SPMC_FUZZ_CHECK(fuzz::same(store->file(), in));
    SPMC_FUZZ_CHECK(store->failed_tries() == file->failed_tries);
  }
  return 0;
}
