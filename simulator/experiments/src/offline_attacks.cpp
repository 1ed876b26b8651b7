// REQ-7 as experiments on the reference store (spec/requirements_evidence.md, "Experiments"):
// a lost phone's real store file (from a LoopbackWorld run) is scanned, guessed at through
// the app, copied and restored, and searched offline, and what the recovered PIN opens is
// counted.
#include "spmc/sim/offline_attacks.hpp"

#include <algorithm>
#include <optional>

#include "offline_common.hpp"
#include "spmc/check.hpp"
#include "spmc/codec.hpp"
#include "spmc/phone_store.hpp"
#include "spmc/ratchet.hpp"
#include "spmc/schemes/pin_kdf.hpp"
#include "spmc/storage.hpp"

namespace spmc::sim {
namespace {

using offline::log2_text;
using offline::make_result;
using offline::rate_text;
using offline::short_number;

constexpr std::uint32_t kPinDigits = 4;
constexpr std::uint64_t kPinSpace = 10000;
// REQ-7.offline_cost's thresholds: one core runs 2^28 AES-equivalents a second (AES-NI,
// about 16 cycles a block at 4 GHz), a year is 31 557 600 s.
constexpr double kAesPerCoreSecond = 268435456.0;
constexpr double kCpuYear = kAesPerCoreSecond * 31557600.0;
constexpr double kTwoTo64 = 18446744073709551616.0;
constexpr std::uint32_t kCopyRestores = 3;  // REQ-7.copy_bypass: rounds of two wrong PINs

std::string pin_text(std::uint64_t n) {
  std::string pin(kPinDigits, '0');
  for (std::size_t i = kPinDigits; i > 0; --i) {
    pin[i - 1] = static_cast<char>('0' + n % 10);
    n /= 10;
  }
  return pin;
}

// A wrong PIN, distinct from `pin` for every step < kPinSpace - 1.
std::string wrong_pin(const std::string& pin, std::uint64_t step) {
  return pin_text((std::stoull(pin) + 1 + step) % kPinSpace);
}

std::string random_id(Rng& rng, std::size_t length) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string id(length, 'A');
  for (char& c : id) {
    c = kAlphabet[rng.uniform(kAlphabet.size())];
  }
  return id;
}

ratchet::SeedFile random_seed(Rng& rng) {
  ratchet::SeedFile seed;
  for (Block& n : seed.n) {
    n = rng.block();
  }
  return seed;
}

// The KDF fields the profile's PIN KDF writes into every new store (STO-001): what an
// attacker holding a copy reads and must pay for.
storage::StoreFile kdf_fields(const Profile& profile) {
  storage::StoreFile file;
  profile.pin_kdf->configure(file);
  return file;
}

bool fast_kdf(const Profile& profile) { return kdf_fields(profile).kdf == storage::Kdf::kSha256; }

// SHA-256 compressions for a message of `length` bytes (padding adds 9 at least).
std::uint64_t sha_blocks(std::uint64_t length) { return (length + 9 + 63) / 64; }

// PBKDF2-HMAC-SHA256 with one iteration: two compressions for the key pads, then per
// 32-byte output block the inner hash of salt || INT(i) and the outer hash, each after
// its pad block.
std::uint64_t pbkdf2_blocks(std::uint64_t salt_length, std::uint64_t out_length) {
  const std::uint64_t per_block =
      (sha_blocks(64 + salt_length + 4) - 1) + (sha_blocks(64 + 32) - 1);
  return 2 + (out_length + 31) / 32 * per_block;
}

// ---- The lost phones -----------------------------------------------------------------

// Two real phones' last store files (STO-009) after a LoopbackWorld run (seed kOfflineSeed):
// A and B sign up, become contacts and exchange a text each, so each file seals keys,
// certificates, a contact, key shares with their chains and a chat history. A's PIN is
// copy_bypass_pin (REQ-7.at_rest, online_guess, copy_bypass), B's the offline search's.
struct LostPhone {
  Bytes file;
  std::string pin;
  std::vector<Plant> plants;  // values of its state an attacker must not read in clear
};
struct LostPhones {
  LostPhone a;
  LostPhone b;
};

std::string offline_cost_pin(const Profile& profile) {
  // paper: the last PIN of the search order, so the real search covers the whole space;
  // scrypt: the fourth, so a few guesses are timed and the rest extrapolated.
  return fast_kdf(profile) ? pin_text(kPinSpace - 1) : pin_text(3);
}

constexpr std::string_view kChatA = "canary chat from A: meet at the north gate at seven";
constexpr std::string_view kChatB = "canary reply from B: the north gate, seven it is";

LostPhones lost_phones(const Profile& profile) {
  LoopbackWorld world(profile, kOfflineSeed);
  const std::size_t a =
      world.add_signed_up_phone("alice@example.org", {}, copy_bypass_pin(profile));
  const std::size_t b = world.add_signed_up_phone("bob@example.org", {}, offline_cost_pin(profile));
  world.befriend(a, b);
  const std::string a_id = world.phone(a).state().user_id;
  const std::string b_id = world.phone(b).state().user_id;
  world.act(a, {0, 0, "send", "a text to B", {{"text", bytes_of(kChatA)}}},
            [&](phone::Phone& p, phone::PhoneEffects& fx) {
              SPMC_CHECK(p.send_text(b_id, bytes_of(kChatA), fx).ok());
            });
  world.run();
  world.act(b, {0, 0, "send", "a text to A", {{"text", bytes_of(kChatB)}}},
            [&](phone::Phone& p, phone::PhoneEffects& fx) {
              SPMC_CHECK(p.send_text(a_id, bytes_of(kChatB), fx).ok());
            });
  world.run();
  auto lost = [&](std::size_t i, const std::string& contact) {
    LostPhone out;
    out.file = world.store_file(i);
    out.pin = i == a ? copy_bypass_pin(profile) : offline_cost_pin(profile);
    const phone::PersistentState& s = world.phone(i).state();
    auto plant = [&out](std::string name, ByteView bytes) {
      out.plants.push_back({std::move(name), Bytes(bytes.begin(), bytes.end())});
    };
    plant("user id", bytes_of(s.user_id));
    plant("contact id", bytes_of(contact));
    plant("email", bytes_of(s.email));
    plant("password", s.password);
    plant("signing secret key", s.sign_keys.secret_key);
    plant("encryption secret key", s.enc_keys.secret_key);
    // The ratchet slots of the chains with the contact (RAT-002): the current message keys.
    const phone::Contact& c = s.contacts.at(contact);
    SPMC_CHECK(c.send.has_value() && !c.receive.empty());
    plant("sending slot", c.send->slots()[0]);
    plant("receiving slot", c.receive.begin()->second.slots()[0]);
    for (std::size_t h = 0; h < s.history.size(); ++h) {
      plant("chat text " + std::to_string(h + 1), s.history[h].body);
    }
    plant("PIN", bytes_of(out.pin));
    auto decoded = storage::decode_store_file(out.file);
    SPMC_CHECK(decoded.ok());
    plant("KEK", storage::derive_kek(*decoded, out.pin));
    return out;
  };
  return {lost(a, b_id), lost(b, a_id)};
}

// What a thief holding the PIN reads from a store file: load, unlock, decode_state.
std::string opened_text(const Profile& profile, const Bytes& file, const std::string& pin) {
  auto store = storage::LocalStore::load(file);
  if (!store.ok()) {
    return "the file does not load";
  }
  auto plain = store->unlock(pin);
  if (!plain.ok()) {
    return "unlock answered " + std::string(error_name(plain.code()));
  }
  auto state = phone::decode_state(*plain, profile);
  if (!state.ok()) {
    return "the state does not decode";
  }
  const std::size_t shares = state->book ? state->book->pairwise_entries().size() : 0;
  return "decode_state gives user " + state->user_id + "'s signing and encryption secret keys, " +
         std::to_string(state->contacts.size()) + " contact(s), " + std::to_string(shares) +
         " pairwise key share(s) and " + std::to_string(state->history.size()) + " history entries";
}

// ---- REQ-7.at_rest -------------------------------------------------------------------

CheckResult check_at_rest(const Profile& profile, const LostPhone& lost) {
  // The plants are really inside: the right PIN gives the phone's state back.
  auto store = storage::LocalStore::load(lost.file);
  SPMC_CHECK(store.ok());
  auto opened = store->unlock(lost.pin);
  SPMC_CHECK(opened.ok() && phone::decode_state(*opened, profile).ok());
  return at_rest_check(profile, lost.file, lost.plants);
}

// ---- REQ-7.online_guess --------------------------------------------------------------

CheckResult check_online_guess(const Profile& profile, const LostPhone& lost) {
  CheckResult result = make_result(profile, "REQ-7.online_guess", "LOST",
                                   "storage.online_guess (LocalStore::unlock)");
  const std::string& pin = lost.pin;
  auto loaded = storage::LocalStore::load(lost.file);
  SPMC_CHECK(loaded.ok());
  storage::LocalStore& store = *loaded;
  constexpr std::uint64_t kCap = 20;  // a store that never locks fails at this count
  std::uint64_t wrong = 0;
  std::string answers;
  while (!store.locked() && wrong < kCap) {
    auto answer = store.unlock(wrong_pin(pin, wrong));
    ++wrong;
    answers +=
        (answers.empty() ? "" : ", ") + std::string(answer.ok() ? "ok" : error_name(answer.code()));
  }
  auto right = store.unlock(pin);
  const std::string right_answer = right.ok() ? "ok" : std::string(error_name(right.code()));
  const bool holds = store.locked() && !right.ok() && wrong <= profile.limits.pin_tries;
  result.verdict = holds ? Verdict::kHolds : Verdict::kFails;
  result.evidence = std::to_string(wrong) + " wrong PINs through unlock answered " + answers +
                    (store.locked() ? "" : " (never locked)") +
                    "; the right PIN afterwards: " + right_answer + "; limit " +
                    std::to_string(profile.limits.pin_tries);
  return result;
}

// ---- REQ-7.copy_bypass ---------------------------------------------------------------

// Wrong PINs through the app on a restored copy: returns how many were answered without
// the store locking (each restore resets failed_tries).
std::uint64_t guess_through_restores(const Bytes& copy, const std::string& pin, bool& locked) {
  std::uint64_t guesses = 0;
  locked = false;
  for (std::uint32_t round = 0; round < kCopyRestores; ++round) {
    auto restored = storage::LocalStore::load(copy);
    SPMC_CHECK(restored.ok());
    for (std::uint32_t i = 0; i + 1 < storage::kPinTries; ++i) {
      (void)restored->unlock(wrong_pin(pin, guesses));
      ++guesses;
    }
    locked = locked || restored->locked();
  }
  return guesses;
}

CheckResult check_copy_bypass(const Profile& profile, const Stopwatch& clock,
                              const LostPhone& lost) {
  CheckResult result =
      make_result(profile, "REQ-7.copy_bypass", "LOST", "storage.copy_bypass (pin_bruteforce)");
  const std::string& pin = lost.pin;
  const Bytes copy = lost.file;  // taken when the phone is found, before any guess
  auto loaded = storage::LocalStore::load(lost.file);
  SPMC_CHECK(loaded.ok());
  storage::LocalStore& store = *loaded;
  bool ever_locked = false;
  const std::uint64_t app_guesses = guess_through_restores(copy, pin, ever_locked);
  // The original, guessed at three times, is locked and its wrapped key wiped.
  for (std::uint64_t i = 0; i < storage::kPinTries; ++i) {
    (void)store.unlock(wrong_pin(pin, i));
  }
  std::uint64_t locked_guesses = 0;
  const bool locked_opened =
      storage::pin_bruteforce(store.file(), kPinDigits, locked_guesses).has_value();
  std::uint64_t guesses = 0;
  const double start = clock();
  const std::optional<std::string> found = storage::pin_bruteforce(copy, kPinDigits, guesses);
  const double seconds = clock() - start;
  const bool unbounded = (!ever_locked && app_guesses > profile.limits.pin_tries) || found;
  result.verdict = unbounded ? Verdict::kFails : Verdict::kHolds;
  result.evidence =
      "copy taken before guessing; " + std::to_string(kCopyRestores) +
      " restores x 2 wrong PINs = " + std::to_string(app_guesses) + " wrong PINs through unlock, " +
      (ever_locked ? "locked" : "never locked") + "; the locked original " +
      (store.locked() ? "has its wrapped key wiped, pin_bruteforce "
                      : "is not locked, pin_bruteforce ") +
      (locked_opened ? "opens it" : "finds nothing") + "; pin_bruteforce on the copy " +
      (found ? "recovered PIN " + *found + (*found == pin ? " = planted" : " != planted " + pin)
             : std::string("found nothing")) +
      " after " + std::to_string(guesses) + " of " + std::to_string(kPinSpace) + " guesses" +
      (fast_kdf(profile) ? ""
                         : " (planted among the first 10 of the search order to bound the run)") +
      (found ? "; the copy opened with it: " + opened_text(profile, copy, *found) : "") +
      ": guesses " + (unbounded ? "unbounded" : "bounded");
  result.measured = "pin_bruteforce on the copy: " + std::to_string(guesses) + " guesses in " +
                    short_number(seconds) + " s (" +
                    rate_text(static_cast<double>(guesses), seconds) + ")";
  return result;
}

// ---- REQ-7.offline_cost --------------------------------------------------------------

// The smallest PIN length whose whole space costs more than `threshold`.
std::uint32_t digits_above(double per_guess, double threshold) {
  double space = 10;
  std::uint32_t digits = 1;
  while (space * per_guess <= threshold && digits < 40) {
    space *= 10;
    ++digits;
  }
  return digits;
}

CheckResult check_offline_cost(const Profile& profile, const Stopwatch& clock,
                               const LostPhone& lost) {
  CheckResult result =
      make_result(profile, "REQ-7.offline_cost", "LOST", "storage.offline_cost (pin_bruteforce)");
  const bool fast = fast_kdf(profile);
  const std::string& pin = lost.pin;
  std::uint64_t guesses = 0;
  const double start = clock();
  const std::optional<std::string> found = storage::pin_bruteforce(lost.file, kPinDigits, guesses);
  const double seconds = clock() - start;
  const auto per_guess = static_cast<double>(pin_guess_cost(profile));
  const double total = per_guess * static_cast<double>(kPinSpace);
  result.verdict = total > kTwoTo64   ? Verdict::kHolds
                   : total > kCpuYear ? Verdict::kPartly
                                      : Verdict::kFails;
  const std::string kdf =
      fast ? "sha256" : "scrypt N=" + std::to_string(kdf_fields(profile).cost_n) + " r=8 p=1";
  const std::string recovered =
      found ? "recovered PIN " + *found + (*found == pin ? " = planted" : " != planted " + pin)
            : std::string("found nothing");
  result.evidence =
      "KDF " + kdf + " (STO-002): " + std::to_string(pin_guess_cost(profile)) +
      " AES-equivalents per guess; 4-digit space " + std::to_string(kPinSpace) +
      " guesses = " + log2_text(total) + " AES-equivalents (1 CPU-year = " + log2_text(kCpuYear) +
      " at 2^28/s, holds above 2^64); partly from " +
      std::to_string(digits_above(per_guess, kCpuYear)) + " digits, holds from " +
      std::to_string(digits_above(per_guess, kTwoTo64)) + " digits; " +
      (fast ? "ran the full search: " : "timed " + std::to_string(guesses) + " guesses: ") +
      recovered + " after " + std::to_string(guesses) + " guesses" +
      (found ? "; the file opened with it: " + opened_text(profile, lost.file, *found) : "") +
      (fast ? ""
            : "; whole-space time extrapolated from " + std::to_string(guesses) + " timed guesses");
  const double per_second = seconds / static_cast<double>(std::max<std::uint64_t>(guesses, 1));
  result.measured =
      std::to_string(guesses) + " guesses in " + short_number(seconds) + " s (" +
      rate_text(static_cast<double>(guesses), seconds) + ")" +
      (fast ? ""
            : "; whole 4-digit space extrapolated from " + std::to_string(guesses) +
                  " timed guesses: " + short_number(per_second * static_cast<double>(kPinSpace)) +
                  " s");
  return result;
}

}  // namespace

std::string copy_bypass_pin(const Profile& profile) {
  DeterministicRng rng(kOfflineSeed, kCopyBypassLabel);
  return pin_text(rng.uniform(fast_kdf(profile) ? kPinSpace : 10));
}

std::vector<ScanHit> scan_for_plants(ByteView file, std::span<const Plant> plants) {
  std::vector<ScanHit> hits;
  for (const Plant& plant : plants) {
    const std::size_t window = std::min(plant.bytes.size(), kScanWindow);
    if (window == 0) {
      continue;
    }
    std::optional<std::size_t> first;
    for (std::size_t start = 0; start + window <= plant.bytes.size(); ++start) {
      const auto begin = plant.bytes.begin() + static_cast<std::ptrdiff_t>(start);
      const auto at =
          std::search(file.begin(), file.end(), begin, begin + static_cast<std::ptrdiff_t>(window));
      if (at != file.end()) {
        const auto offset = static_cast<std::size_t>(at - file.begin());
        first = std::min(first.value_or(offset), offset);
      }
    }
    if (first) {
      hits.push_back({plant.name, *first});
    }
  }
  return hits;
}

PlantedState make_planted_state(const Profile& profile, Rng& rng) {
  PlantedState out;
  auto plant = [&out](std::string name, ByteView bytes) {
    out.plants.push_back({std::move(name), Bytes(bytes.begin(), bytes.end())});
  };
  const std::string user_id = random_id(rng, 16);
  const std::string contact_id = random_id(rng, 16);
  const std::string email = "canary." + to_hex(rng.bytes(4)) + "@example.org";
  const Bytes password = rng.bytes(16);
  const crypto::Ed25519KeyPair sign = crypto::ed25519_generate(rng);
  const crypto::X25519KeyPair enc = crypto::x25519_generate(rng);
  const Suite suite = profile.default_suite;
  const Bytes send_key = rng.bytes(master_key_size(suite));
  ratchet::SendChain send(suite, send_key, random_seed(rng));
  for (int i = 0; i < 3; ++i) {
    SPMC_CHECK(send.next().ok());
  }
  // The contact's chain: counter 5 received first, so 0..4 are held (RAT-006).
  const Bytes receive_key = rng.bytes(master_key_size(suite));
  const ratchet::SeedFile receive_seed = random_seed(rng);
  ratchet::ReceiveChain receive(suite, receive_key, receive_seed, profile.limits);
  SPMC_CHECK(receive.accept(5).ok());
  ratchet::SendChain contact(suite, receive_key, receive_seed, 2);
  const auto held = contact.next();
  SPMC_CHECK(held.ok() && receive.holds(2));
  const std::string keyword = random_id(rng, 6);
  U2uOptin optin = run_u2u_optin(profile, keyword, random_id(rng, 6));
  const std::string chat =
      "canary chat " + to_hex(rng.bytes(6)) + ": meet at the north gate at seven";

  codec::Writer writer;
  writer.string16(user_id);
  writer.string16(email);
  writer.bytes16(password);
  writer.raw(sign.secret_key);
  writer.raw(sign.public_key);
  writer.raw(enc.secret_key);
  writer.raw(enc.public_key);
  writer.string16(contact_id);
  writer.bytes32(send.encode_state());
  writer.bytes32(receive.encode_state());
  writer.bytes32(optin.initiator.encode_state());
  writer.u32(1);  // chat history: one message from the contact
  writer.string16(contact_id);
  writer.string16(chat);
  out.state = writer.take();

  plant("user id", bytes_of(user_id));
  plant("contact id", bytes_of(contact_id));
  plant("email", bytes_of(email));
  plant("password", password);
  plant("signing secret key", sign.secret_key);
  plant("encryption secret key", enc.secret_key);
  plant("sending master key", send_key);
  plant("sending slot", send.slots()[0]);
  plant("receiving master key", receive_key);
  plant("held message key", held->key);
  plant("U2U value", *optin.initiator.stored_value());
  plant("chat text", bytes_of(chat));
  return out;
}

CheckResult at_rest_check(const Profile& profile, ByteView file, std::span<const Plant> plants) {
  CheckResult result =
      make_result(profile, "REQ-7.at_rest", "LOST", "storage.at_rest (scan of the store file)");
  const std::vector<ScanHit> hits = scan_for_plants(file, plants);
  std::string names;
  for (const Plant& plant : plants) {
    names += (names.empty() ? "" : ", ") + plant.name;
  }
  std::string found;
  for (const ScanHit& hit : hits) {
    found += (found.empty() ? "" : ", ") + hit.name + " at " + std::to_string(hit.offset);
  }
  result.verdict = hits.empty() ? Verdict::kHolds : Verdict::kFails;
  result.evidence = "scanned the " + std::to_string(file.size()) + "-byte store file for " +
                    std::to_string(plants.size()) + " planted values (" + names + ") in any " +
                    std::to_string(kScanWindow) + "-byte window: " +
                    (hits.empty() ? std::string("none in clear") : "in clear: " + found);
  return result;
}

std::uint64_t pin_guess_cost(const Profile& profile) {
  // The check of a guess: AES-GCM open of the 32-byte wrapped key under the header AAD,
  // 3 AES blocks (tag mask, two counter blocks) and the GHASH blocks.
  const std::uint64_t aad = storage::encode_file_parameters(storage::StoreFile{}).size();
  const std::uint64_t gcm = 3 + ((aad + 15) / 16 + 2 + 1);
  constexpr std::uint64_t kPerBlock64 = 4;  // a 64-byte block function = four 16-byte blocks
  if (fast_kdf(profile)) {
    return kPerBlock64 * sha_blocks(storage::kSaltSize + kPinDigits) + gcm;
  }
  // RFC 7914: PBKDF2 to 128 r p bytes, ROMix (2 N BlockMix of 2 r Salsa20/8 cores), PBKDF2
  // of the result to 32 bytes.
  const storage::StoreFile kdf = kdf_fields(profile);
  const std::uint64_t n = kdf.cost_n;
  const std::uint64_t r = kdf.block_r;
  const std::uint64_t p = kdf.parallel_p;
  const std::uint64_t sha =
      pbkdf2_blocks(storage::kSaltSize, 128 * r * p) + pbkdf2_blocks(128 * r * p, 32);
  const std::uint64_t salsa = 4 * n * r * p;
  return kPerBlock64 * (sha + salsa) + gcm;
}

std::vector<CheckResult> run_storage_checks(const Profile& profile, const Stopwatch& clock) {
  const LostPhones lost = lost_phones(profile);
  return {check_at_rest(profile, lost.a), check_online_guess(profile, lost.a),
          check_copy_bypass(profile, clock, lost.a), check_offline_cost(profile, clock, lost.b)};
}

}  // namespace spmc::sim
