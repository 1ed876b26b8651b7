// LocalStore::unlock / update (STO-002..STO-004) with fuzzer-chosen PINs against a store
// made with PIN "1234", or a fuzzer-damaged copy of its file, or a fuzzer-made file.
// Checked: a wrong PIN counts and is in file() at once; the third locks for good; a right
// PIN resets the count and yields the state; every other error leaves file() unchanged.
#include <fuzzer/FuzzedDataProvider.h>

#include "fuzz_support.hpp"
#include "spmc/profile.hpp"
#include "spmc/rng.hpp"
#include "spmc/storage.hpp"

namespace {

using namespace spmc;

const Bytes kState = bytes_of("the sealed phone state");

const Bytes& good_file() {
  static const Bytes file = [] {
    DeterministicRng rng(7, "store-fuzz");
    return storage::LocalStore::create(rng, paper_profile(), "1234", kState).file();
  }();
  return file;
}

Bytes pick_file(FuzzedDataProvider& in) {
  Bytes file = good_file();
  switch (in.ConsumeIntegralInRange<int>(0, 2)) {
    case 0:
      return file;
    case 1: {
      const std::size_t flips = in.ConsumeIntegralInRange<std::size_t>(1, 4);
      for (std::size_t i = 0; i < flips; ++i) {
        file[in.ConsumeIntegralInRange<std::size_t>(0, file.size() - 1)] ^=
            in.ConsumeIntegralInRange<std::uint8_t>(1, 255);
      }
      return file;
    }
    default:
      return in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 400));
  }
}

// A hostile file may ask for up to 2 GiB of scrypt work (kMaxScryptCost): a real bound,
// but too slow for a fuzzer iteration, so such files are only decoded.
bool cheap_enough(ByteView file) {
  auto decoded = storage::decode_store_file(file);
  return !decoded.ok() || decoded->kdf == storage::Kdf::kSha256 ||
         decoded->cost_n * decoded->block_r * decoded->parallel_p <= 1024;
}

std::string pick_pin(FuzzedDataProvider& in) {
  return in.ConsumeBool() ? std::string("1234") : in.ConsumeRandomLengthString(12);
}

void unlock_once(FuzzedDataProvider& in, storage::LocalStore& store, bool pristine) {
  const Bytes before = store.file();
  const std::uint8_t tries = store.failed_tries();
  const bool was_locked = store.locked();
  auto state = store.unlock(pick_pin(in));
  if (state.ok()) {
    SPMC_FUZZ_CHECK(!was_locked && store.failed_tries() == 0);
    SPMC_FUZZ_CHECK(!pristine || *state == kState);
    return;
  }
  switch (state.code()) {
    case ErrorCode::kWrongPin:
      SPMC_FUZZ_CHECK(store.failed_tries() == tries + 1 && store.file() != before);
      SPMC_FUZZ_CHECK(!store.locked());
      break;
    case ErrorCode::kLocked:
      SPMC_FUZZ_CHECK(store.locked());
      SPMC_FUZZ_CHECK(was_locked || store.failed_tries() == storage::kPinTries);
      break;
    default:
      SPMC_FUZZ_CHECK(store.file() == before);
  }
  auto reloaded = storage::LocalStore::load(store.file());  // what the caller persisted
  SPMC_FUZZ_CHECK(reloaded.ok() && reloaded->failed_tries() == store.failed_tries());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const Bytes file = pick_file(in);
  if (!cheap_enough(file)) {
    return 0;
  }
  auto loaded = storage::LocalStore::load(file);
  if (!loaded.ok()) {
    return 0;
  }
  storage::LocalStore store = std::move(*loaded);
  bool pristine = file == good_file();
  DeterministicRng rng(8, "store-fuzz-update");
  for (int i = 0; i < 8 && in.remaining_bytes() > 0; ++i) {
    if (in.ConsumeIntegralInRange<int>(0, 3) == 0) {
      const Bytes next =
          in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 64));
      const Bytes before = store.file();
      const std::string pin = pick_pin(in);
      auto st = store.update(rng, pin, next);
      if (st.ok()) {
        auto state = store.unlock(pin);
        SPMC_FUZZ_CHECK(state.ok() && *state == next);
        pristine = false;
      } else if (st.code() != ErrorCode::kWrongPin && st.code() != ErrorCode::kLocked) {
        SPMC_FUZZ_CHECK(store.file() == before);
      }
      continue;
    }
    unlock_once(in, store, pristine);
  }
  return 0;
}
