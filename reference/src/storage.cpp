// LocalStore: PIN-gated unlock with a persisted try counter (STO-002..004).
#include "spmc/storage.hpp"

#include "spmc/crypto.hpp"
#include "spmc/schemes/pin_kdf.hpp"

namespace spmc::storage {

namespace {

constexpr std::size_t kNonceSize = 12;
constexpr std::string_view kStateAad = "SPMCST01 state";

ByteView view_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

crypto::GcmNonce draw_nonce(Rng& rng) {
  crypto::GcmNonce nonce{};
  rng.fill(nonce);
  return nonce;
}

// The wrapping binds the KDF parameters and salt (everything but the changing counter).
Bytes wrap_aad(const StoreFile& f) { return encode_file_parameters(f); }

// nonce || AES-256-GCM(key, nonce, aad, plaintext).
Bytes seal_with(Rng& rng, ByteView key, ByteView aad, ByteView plaintext) {
  const crypto::GcmNonce nonce = draw_nonce(rng);
  Bytes out(nonce.begin(), nonce.end());
  const Bytes ct = crypto::aes_gcm_seal(key, nonce, aad, plaintext);
  out.insert(out.end(), ct.begin(), ct.end());
  return out;
}

Result<Bytes> open_with(ByteView key, ByteView aad, ByteView sealed) {
  SPMC_CHECK(sealed.size() >= kNonceSize + crypto::kGcmTagSize);
  crypto::GcmNonce nonce{};
  std::copy(sealed.begin(), sealed.begin() + kNonceSize, nonce.begin());
  return crypto::aes_gcm_open(key, nonce, aad, sealed.subspan(kNonceSize));
}

}  // namespace

LocalStore::LocalStore(StoreFile store)
    : m_store(std::move(store)), m_file(encode_store_file(m_store)) {}

void LocalStore::commit(StoreFile next) {
  m_file = encode_store_file(next);
  m_store = std::move(next);
}

LocalStore LocalStore::create(Rng& rng, const Profile& profile, std::string_view pin,
                              ByteView initial_state) {
  SPMC_CHECK(initial_state.size() <= kMaxStateSize);
  StoreFile f;
  profile.pin_kdf->configure(f);
  rng.fill(f.salt);
  Bytes storage_key = rng.bytes(kStorageKeySize);
  Bytes kek = derive_kek(f, pin);
  f.wrapped_storage_key = seal_with(rng, kek, wrap_aad(f), storage_key);
  f.sealed_state = seal_with(rng, storage_key, view_of(kStateAad), initial_state);
  secure_wipe(kek);
  LocalStore store(std::move(f));
  store.m_storage_key = std::move(storage_key);  // STO-011: open until locked
  return store;
}

Result<LocalStore> LocalStore::load(ByteView file) {
  SPMC_TRY(StoreFile f, decode_store_file(file));
  return LocalStore(std::move(f));
}

Result<Bytes> LocalStore::open_storage_key(std::string_view pin) {
  if (locked()) {
    return make_error(ErrorCode::kLocked, "store locked after three wrong PINs");  // STO-004
  }
  Bytes kek = derive_kek(m_store, pin);
  auto key = open_with(kek, wrap_aad(m_store), m_store.wrapped_storage_key);
  secure_wipe(kek);
  if (key.ok()) {
    return key;
  }
  // STO-003: count the wrong PIN in the file before answering.
  StoreFile next = m_store;
  ++next.failed_tries;
  if (next.failed_tries >= kPinTries) {
    secure_wipe(next.wrapped_storage_key);  // STO-004: the key is gone for good
    next.wrapped_storage_key.clear();
    commit(std::move(next));
    return make_error(ErrorCode::kLocked, "third wrong PIN: store wiped");
  }
  commit(std::move(next));
  return make_error(ErrorCode::kWrongPin, "wrong PIN");
}

Result<Bytes> LocalStore::unlock(std::string_view pin) {
  SPMC_TRY(Bytes key, open_storage_key(pin));
  auto state = open_with(key, view_of(kStateAad), m_store.sealed_state);
  if (!state.ok()) {
    secure_wipe(key);
    return make_error(ErrorCode::kDecryptFailed, "sealed state does not open");
  }
  m_storage_key = std::move(key);  // STO-011: open until locked
  if (m_store.failed_tries != 0) {
    StoreFile next = m_store;
    next.failed_tries = 0;  // STO-004: a right PIN resets the count
    commit(std::move(next));
  }
  return state;
}

Status LocalStore::update(Rng& rng, std::string_view pin, ByteView new_state) {
  SPMC_CHECK(new_state.size() <= kMaxStateSize);
  SPMC_TRY(Bytes key, open_storage_key(pin));
  StoreFile next = m_store;
  next.failed_tries = 0;
  next.sealed_state = seal_with(rng, key, view_of(kStateAad), new_state);
  secure_wipe(key);
  commit(std::move(next));
  return ok_status();
}

void LocalStore::seal(Rng& rng, ByteView new_state) {
  SPMC_CHECK(open() && new_state.size() <= kMaxStateSize);
  StoreFile next = m_store;
  next.sealed_state = seal_with(rng, m_storage_key, view_of(kStateAad), new_state);
  commit(std::move(next));
}

std::optional<std::string> pin_bruteforce(const Bytes& file, std::uint32_t digits,
                                          std::uint64_t& guesses) {
  SPMC_CHECK(digits >= 1 && digits <= 9);
  guesses = 0;
  auto decoded = decode_store_file(file);
  if (!decoded.ok() || decoded->wrapped_storage_key.empty()) {
    return std::nullopt;
  }
  const StoreFile& f = *decoded;
  const Bytes aad = wrap_aad(f);
  std::uint64_t count = 1;
  for (std::uint32_t i = 0; i < digits; ++i) {
    count *= 10;
  }
  std::string pin(digits, '0');
  for (std::uint64_t n = 0; n < count; ++n) {
    std::uint64_t rest = n;
    for (std::uint32_t i = digits; i > 0; --i) {
      pin[i - 1] = static_cast<char>('0' + rest % 10);
      rest /= 10;
    }
    ++guesses;
    if (open_with(derive_kek(f, pin), aad, f.wrapped_storage_key).ok()) {
      return pin;
    }
  }
  return std::nullopt;
}

}  // namespace spmc::storage
