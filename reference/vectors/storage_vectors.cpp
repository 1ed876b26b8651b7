// Vectors for the local store (STO-001..004): PIN, DRBG seed and state give the exact
// store file, for the paper KDF (SHA-256) and for scrypt at a small recorded cost;
// negative cases: wrong PIN, the third wrong PIN, a locked store, malformed files.
#include "spmc/crypto.hpp"
#include "spmc/storage.hpp"
#include "suites.hpp"

namespace spmc::vectors {

namespace {

using storage::LocalStore;

constexpr std::string_view kLabel = "storage vectors";

std::string field_string(const Json& c, std::string_view key) {
  const auto it = c.find(std::string(key));
  return it != c.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::uint64_t> field_u64(const Json& c, std::string_view key) {
  const std::string s = field_string(c, key);
  if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoull(s);
}

bool cost_valid(std::uint64_t n) {
  return n == 0 || (n >= 2 && n <= storage::kMaxScryptCost && (n & (n - 1)) == 0);
}

LocalStore create(std::uint64_t seed, std::string_view label, std::uint64_t cost_n,
                  std::string_view pin, ByteView state) {
  Profile profile = paper_profile();
  profile.pin_kdf_cost_n = cost_n;  // 0: SHA-256(salt || PIN); else scrypt N, r=8, p=1
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

std::optional<std::string> check_positive(const Json& c) {
  const auto seed = field_u64(c, "seed");
  const auto cost = field_u64(c, "kdf_cost_n");
  const auto state = field_hex(c, "state");
  const auto file_bytes = field_hex(c, "file");
  if (!seed || !cost || !cost_valid(*cost) || !state || !file_bytes) {
    return "malformed inputs";
  }
  const std::string pin = field_string(c, "pin");
  const LocalStore store = create(*seed, field_string(c, "label"), *cost, pin, *state);
  const auto decoded = storage::decode_store_file(store.file());
  if (!decoded.ok() || c["salt"] != hex(decoded->salt) ||
      c["kek"] != hex(storage::derive_kek(*decoded, pin))) {
    return "salt or KEK differs";
  }
  if (c["file"] != hex(store.file())) {
    return "file differs";
  }
  auto loaded = LocalStore::load(*file_bytes);
  if (!loaded.ok()) {
    return "file does not load";
  }
  const auto opened = loaded->unlock(pin);
  if (!opened.ok() || *opened != *state) {
    return "file does not unlock to the state";
  }
  return std::nullopt;
}

std::optional<std::string> check_negative(const Json& c) {
  const std::string want = field_string(c, "expected_error");
  const auto file = field_hex(c, "file");
  if (!file) {
    return "file is not hex";
  }
  auto loaded = LocalStore::load(*file);
  if (loaded.ok()) {
    const auto opened = loaded->unlock(field_string(c, "pin"));
    if (opened.ok() || error_name(opened.code()) != want) {
      return "unlock did not fail with " + want;
    }
    return std::nullopt;
  }
  if (error_name(loaded.code()) != want) {
    return "load failed with " + std::string(error_name(loaded.code())) + ", not " + want;
  }
  return std::nullopt;
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
  if (!file.contains("cases") || !file["cases"].is_array()) {
    return "missing cases array";
  }
  std::size_t i = 0;
  for (const Json& c : file["cases"]) {
    const std::string where = "case " + std::to_string(i++) + ": ";
    const auto mismatch = c.contains("expected_error") ? check_negative(c) : check_positive(c);
    if (mismatch) {
      return where + *mismatch;
    }
  }
  return std::nullopt;
}

}  // namespace spmc::vectors
