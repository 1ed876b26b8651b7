// Properties of the local store (STO-003, STO-004) on the paper profile (cheap KDF).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "spmc/storage.hpp"

namespace spmc::storage {
namespace {

LocalStore make_store(std::string_view pin, ByteView state) {
  DeterministicRng rng(21, "storage prop");
  return LocalStore::create(rng, paper_profile(), pin, state);
}

// Model: a counter of consecutive wrong PINs; the store is locked exactly from the third.
RC_GTEST_PROP(Storage, LocksExactlyAfterThreeConsecutiveWrongPins,
              (const std::vector<bool>& right_pin)) {
  LocalStore store = make_store("2468", bytes_of("state"));
  int consecutive_wrong = 0;
  bool locked = false;
  for (const bool right : right_pin) {
    const auto r = store.unlock(right ? "2468" : "1357");
    if (locked) {
      RC_ASSERT(r.code() == ErrorCode::kLocked);
    } else if (right) {
      RC_ASSERT(r.ok());
      RC_ASSERT(*r == bytes_of("state"));
      consecutive_wrong = 0;
    } else {
      locked = ++consecutive_wrong == 3;
      RC_ASSERT(r.code() == (locked ? ErrorCode::kLocked : ErrorCode::kWrongPin));
    }
    RC_ASSERT(store.locked() == locked);
    // What a restart would read back from the persisted file.
    const auto reloaded = LocalStore::load(store.file());
    RC_ASSERT(reloaded.ok());
    RC_ASSERT(reloaded->locked() == locked);
    RC_ASSERT(reloaded->failed_tries() == (locked ? 3 : consecutive_wrong));
  }
}

RC_GTEST_PROP(Storage, StateRoundTripsThroughTheFile,
              (const std::vector<std::uint8_t>& state, const std::string& pin)) {
  const LocalStore store = make_store(pin, state);
  auto loaded = LocalStore::load(store.file());
  RC_ASSERT(loaded.ok());
  const auto opened = loaded->unlock(pin);
  RC_ASSERT(opened.ok());
  RC_ASSERT(*opened == state);
}

// Changing any one byte of the file never yields a different state: load fails with a
// typed error, or unlock fails, or it still opens the original state (e.g. a changed
// failed_tries, which is not authenticated; an attacker can ignore it anyway).
RC_GTEST_PROP(Storage, ChangedByteNeverOpensADifferentState, ()) {
  const Bytes state = bytes_of("the real state");
  const LocalStore store = make_store("1234", state);
  Bytes file = store.file();
  const auto at = *rc::gen::inRange<std::size_t>(0, file.size());
  const auto delta = *rc::gen::inRange<int>(1, 256);
  file[at] = static_cast<std::uint8_t>(file[at] + delta);
  auto loaded = LocalStore::load(file);
  if (!loaded.ok()) {
    RC_SUCCEED("rejected at load");
  }
  const auto opened = loaded->unlock("1234");
  if (opened.ok()) {
    RC_ASSERT(*opened == state);
  }
}

}  // namespace
}  // namespace spmc::storage
