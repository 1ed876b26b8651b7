// Vectors for the local store (STO-001..004): PIN, DRBG seed and state give the exact
// store file, for the paper KDF (SHA-256) and for scrypt at a small recorded cost;
// negative cases: wrong PIN, the third wrong PIN, a locked store, malformed files.
#include "spmc/crypto.hpp"
#include "spmc/schemes/pin_kdf.hpp"
#include "spmc/storage.hpp"
#include "suites.hpp"

namespace spmc::vectors {

namespace {

using storage::LocalStore;

constexpr std::string_view kLabel = "storage vectors";

bool cost_valid(std::uint64_t n) {
  return n == 0 || (n >= 2 && n <= storage::kMaxScryptCost && (n & (n - 1)) == 0);
}

LocalStore create(std::uint64_t seed, std::string_view label, std::uint64_t cost_n,
                  std::string_view pin, ByteView state) {
  // 0: SHA-256(salt || PIN); else scrypt N, r=8, p=1
  const auto scrypt = cost_n == 0 ? nullptr : storage::make_scrypt_pin_kdf(cost_n);
  Profile profile = paper_profile();
  profile.pin_kdf = scrypt ? scrypt.get() : &storage::sha256_pin_kdf();
  DeterministicRng rng(seed, label);
  return LocalStore::create(rng, profile, pin, state);
}

Json positive_case(std::uint64_t seed, std::uint64_t cost_n, std::string_view pin,
                   const Bytes& state) {
  const LocalStore store = create(seed, kLabel, cost_n, pin, state);
  const auto file = storage::decode_store_file(store.file());
  SPMC_CHECK(file.ok());
  Json c;
  c["seed"] = std::to_string(seed);
  c["label"] = kLabel;
  c["kdf_cost_n"] = std::to_string(cost_n);
  c["pin"] = pin;
  c["state"] = hex(state);
  c["salt"] = hex(file->salt);
  c["kek"] = hex(storage::derive_kek(*file, pin));
  c["file"] = hex(store.file());
  return c;
}

std::optional<std::string> check_positive(const Json& c, const std::string& where) {
  const auto seed = field_u64(c, "seed");
  const auto label = field_string(c, "label");
  const auto cost = field_u64(c, "kdf_cost_n");
  const auto pin = field_string(c, "pin");
  const auto state = field_hex(c, "state");
  const auto file_bytes = field_hex(c, "file");
  const std::pair<bool, const char*> present[] = {
      {seed.has_value(), "seed"},
      {label.has_value(), "label"},
      {cost && cost_valid(*cost), "kdf_cost_n"},
      {pin.has_value(), "pin"},
      {state && state->size() <= storage::kMaxStateSize, "state"},  // create() requires it
      {file_bytes.has_value(), "file"}};
  for (const auto& [ok, key] : present) {
    if (!ok) {
      return bad_field(where, key);
    }
  }
  const LocalStore store = create(*seed, *label, *cost, *pin, *state);
  const auto decoded = storage::decode_store_file(store.file());
  if (!decoded.ok() || !field_equals(c, "salt", hex(decoded->salt))) {
    return where + ": field salt differs";
  }
  if (!field_equals(c, "kek", hex(storage::derive_kek(*decoded, *pin)))) {
    return where + ": field kek differs";
  }
  if (!field_equals(c, "file", hex(store.file()))) {
    return where + ": field file differs";
  }
  auto loaded = LocalStore::load(*file_bytes);
  if (!loaded.ok()) {
    return where + ": file does not load";
  }
  const auto opened = loaded->unlock(*pin);
  if (!opened.ok() || *opened != *state) {
    return where + ": file does not unlock to the state";
  }
  return std::nullopt;
}

std::optional<std::string> check_negative(const Json& c, const std::string& where) {
  const auto file = field_hex(c, "file");
  const auto pin = field_string(c, "pin");
  if (!file) {
    return bad_field(where, "file");
  }
  if (!pin) {
    return bad_field(where, "pin");
  }
  auto loaded = LocalStore::load(*file);
  if (!loaded.ok()) {
    return expect_error(c, where, &loaded.error());
  }
  const auto opened = loaded->unlock(*pin);
  return expect_error(c, where, opened.ok() ? nullptr : &opened.error());
}

Json negative(const Bytes& file, std::string_view pin, std::string_view error) {
  return Json{{"file", hex(file)}, {"pin", pin}, {"expected_error", error}};
}

void add_negatives(Json& cases, LocalStore store, std::string_view pin) {
  const Bytes good = store.file();
  cases.push_back(negative(good, "0000", "wrong_pin"));
  Bytes truncated(good.begin(), good.end() - 1);
  cases.push_back(negative(truncated, pin, "truncated"));
  Bytes magic = good;
  magic[7] = '2';  // "SPMCST02"
  cases.push_back(negative(magic, pin, "bad_value"));
  Bytes trailing = good;
  trailing.push_back(0);
  cases.push_back(negative(trailing, pin, "trailing_bytes"));
  Bytes tampered = good;
  tampered.back() ^= 0x01;
  cases.push_back(negative(tampered, pin, "decrypt_failed"));
  SPMC_CHECK(store.unlock("0000").code() == ErrorCode::kWrongPin);
  SPMC_CHECK(store.unlock("0000").code() == ErrorCode::kWrongPin);
  cases.push_back(negative(store.file(), "0000", "locked"));  // the third wrong PIN
  SPMC_CHECK(store.unlock("0000").code() == ErrorCode::kLocked);
  cases.push_back(negative(store.file(), pin, "locked"));  // even the right PIN
}

}  // namespace

Json generate_storage_vectors() {
  Json file = file_header("storage", "spec/storage.md");
  Json cases = Json::array();
  DeterministicRng rng(2, "storage vector inputs");
  const std::uint64_t costs[] = {0, 0, 1024};
  for (const std::uint64_t cost : costs) {
    const std::string pin = std::to_string(1000 + rng.uniform(9000));
    const Bytes state = rng.bytes(1 + rng.uniform(48));
    cases.push_back(positive_case(rng.next_u64(), cost, pin, state));
  }
  const std::uint64_t cost_of_negatives[] = {0, 1024};
  for (const std::uint64_t cost : cost_of_negatives) {
    add_negatives(cases, create(rng.next_u64(), kLabel, cost, "4321", bytes_of("state")), "4321");
  }
  file["cases"] = cases;
  return file;
}

std::optional<std::string> check_storage_vectors(const Json& file) {
  return check_cases(file, [](const Json& c, const std::string& where) {
    return c.contains("expected_error") ? check_negative(c, where) : check_positive(c, where);
  });
}

}  // namespace spmc::vectors
