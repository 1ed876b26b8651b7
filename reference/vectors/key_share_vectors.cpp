// Vectors for the key share (contract KS-001..KS-015): plain encodings, and the sealed
// KeyShareMessage under both profiles, reproducible because the ephemeral X25519 key comes
// from a DeterministicRng whose seed and label each case records. Negative cases name the
// error a receiver must report: decode errors, decrypt_failed, bad_signature, and the
// KeyShareBook's replay / stale_timestamp / expired / not_member, with the book unchanged.
#include "key_share_json.hpp"
#include "spmc/key_share_book.hpp"
#include "spmc/schemes/key_share_scheme.hpp"
#include "suites.hpp"

namespace spmc::vectors {

namespace {

const std::string kAlice = "Alice7Qx2LmP0aZk";
const std::string kBob = "Bob4RtY8uIo1pAsD";
const std::string kMallory = "Mallory9ZyXwVuTs";
constexpr TimeMs kT0 = 1'700'000'000'000;
constexpr TimeMs kWeek = 7ULL * 24 * 3600 * 1000;

struct Keys {
  crypto::X25519KeyPair bob_enc;
  crypto::Ed25519KeyPair alice_sign;
  crypto::Ed25519KeyPair mallory_sign;
};

struct Spec {
  const char* description;
  const Profile* profile;
  Suite suite;
  keyshare::Lifetime lifetime;
  bool group;
  std::uint64_t seal_seed;
};

std::string seal_label(std::uint64_t seed) {
  return "vectors/key_share/seal/" + std::to_string(seed);
}

keyshare::KeySharePlain draw_plain(Rng& rng, const Spec& s, TimeMs timestamp) {
  keyshare::KeySharePlain plain = keyshare::make_pairwise(rng, s.suite, timestamp, s.lifetime);
  if (s.group) {
    plain.group = group::GroupPart{"Friends0Group001", 4, {kAlice, kBob, kMallory}};
  }
  return plain;
}

Bytes seal_with(const Keys& k, const Profile& profile, const keyshare::KeySharePlain& plain,
                const std::string& sender, std::uint64_t seal_seed) {
  DeterministicRng seal_rng(seal_seed, seal_label(seal_seed));
  return keyshare::seal(seal_rng, profile, plain, sender, kBob, k.bob_enc.public_key,
                        &k.alice_sign.secret_key);
}

Json positive_case(const Keys& k, const Spec& s, const keyshare::KeySharePlain& plain) {
  Json j;
  j["description"] = s.description;
  j["profile"] = s.profile->name;
  j["sender_id"] = kAlice;
  j["recipient_id"] = kBob;
  j["recipient_secret"] = hex(k.bob_enc.secret_key);
  j["recipient_public"] = hex(k.bob_enc.public_key);
  if (s.profile->key_share->signs()) {
    j["sender_sign_secret"] = hex(k.alice_sign.secret_key);
    j["sender_sign_public"] = hex(k.alice_sign.public_key);
  }
  j["seal_rng_seed"] = std::to_string(s.seal_seed);
  j["seal_rng_label"] = seal_label(s.seal_seed);
  j.update(ks::plain_fields(plain));
  j["plain"] = hex(keyshare::encode(plain));
  j["message"] = hex(seal_with(k, *s.profile, plain, kAlice, s.seal_seed));
  return j;
}

// A receiver-side negative case: Bob opens `message` at now_ms, holding (if given) an
// earlier share from the message's sender with previous_timestamp_ms.
Json receive_case(const Keys& k, const char* description, const Profile& profile,
                  const Bytes& message, const crypto::Ed25519Public& sign_public, TimeMs now,
                  std::optional<TimeMs> previous, const char* error) {
  Json j;
  j["description"] = description;
  j["profile"] = profile.name;
  j["recipient_id"] = kBob;
  j["recipient_secret"] = hex(k.bob_enc.secret_key);
  if (profile.key_share->signs()) {
    j["sender_sign_public"] = hex(sign_public);
  }
  j["message"] = hex(message);
  j["now_ms"] = std::to_string(now);
  if (previous) {
    j["previous_timestamp_ms"] = std::to_string(*previous);
  }
  j["expected_error"] = error;
  return j;
}

Bytes resigned_as_mallory(const Keys& k, const Bytes& wire, bool resign) {
  auto m = keyshare::decode_message(wire);
  SPMC_CHECK(m.ok());
  m->sender_id = kMallory;
  if (resign) {
    m->signature = crypto::ed25519_sign(k.mallory_sign.secret_key, keyshare::signed_bytes(*m));
  }
  return keyshare::encode(*m);
}

void add_receive_cases(const Keys& k, Rng& rng, Json& cases) {
  const Profile& paper = paper_profile();
  const Profile& hardened = hardened_profile();
  const TimeMs skew = paper.limits.max_future_skew_ms;
  const Spec session{"", &paper, Suite::kAes128, keyshare::Lifetime::session(), false, 0};
  const Spec lasting{"", &hardened, Suite::kAes256, keyshare::Lifetime::duration(kWeek), false, 0};
  const auto p = draw_plain(rng, session, kT0);
  const auto h = draw_plain(rng, lasting, kT0);
  const Bytes pw = seal_with(k, paper, p, kAlice, 201);
  const Bytes hw = seal_with(k, hardened, h, kAlice, 202);
  const auto& alice = k.alice_sign.public_key;
  const auto& mallory = k.mallory_sign.public_key;
  const std::size_t sealed_at = 2 + 18 + 18 + 1 + 2;
  const struct {
    const char* description;
    const Profile* profile;
    Bytes message;
    const crypto::Ed25519Public* sign_public;
    TimeMs now;
    std::optional<TimeMs> previous;
    const char* error;
  } rows[] = {
      {"same share delivered twice", &paper, pw, &alice, kT0 + 1, kT0, "replay"},
      {"share older than the one held", &hardened, hw, &alice, kT0 + 1, kT0 + 1, "replay"},
      {"timestamp beyond now + max_future_skew",
       &paper,
       pw,
       &alice,
       kT0 - skew - 1,
       {},
       "stale_timestamp"},
      {"duration share opened after its lifetime",
       &hardened,
       hw,
       &alice,
       kT0 + kWeek,
       {},
       "expired"},
      {"sealed byte flipped",
       &paper,
       ks::changed(pw, sealed_at + 40, pw[sealed_at + 40] ^ 1),
       &alice,
       kT0,
       {},
       "decrypt_failed"},
      {"relabelled as Mallory and re-signed by her: the AAD still names Alice",
       &hardened,
       resigned_as_mallory(k, hw, true),
       &mallory,
       kT0,
       {},
       "decrypt_failed"},
      {"signature byte flipped",
       &hardened,
       ks::changed(hw, hw.size() - 1, hw.back() ^ 1),
       &alice,
       kT0,
       {},
       "bad_signature"},
      {"relabelled as Mallory, Alice's signature kept",
       &hardened,
       resigned_as_mallory(k, hw, false),
       &mallory,
       kT0,
       {},
       "bad_signature"},
      {"unsigned share under the hardened profile",
       &hardened,
       pw,
       &alice,
       kT0,
       {},
       "bad_signature"},
      {"flags 0x02", &paper, ks::changed(pw, 38, 2), &alice, kT0, {}, "bad_value"},
      {"sealed length 47",
       &paper,
       ks::changed(ks::changed(pw, 39, 0), 40, 47),
       &alice,
       kT0,
       {},
       "bad_length"},
      {"signature cut short",
       &hardened,
       Bytes(hw.begin(), hw.end() - 1),
       &alice,
       kT0,
       {},
       "truncated"},
      {"version 0", &paper, ks::changed(pw, 1, 0), &alice, kT0, {}, "bad_version"},
  };
  for (const auto& r : rows) {
    cases.push_back(receive_case(k, r.description, *r.profile, r.message, *r.sign_public, r.now,
                                 r.previous, r.error));
  }
  keyshare::KeySharePlain outsider = p;
  outsider.group = group::GroupPart{"Friends0Group001", 4, {kAlice, kMallory}};
  cases.push_back(receive_case(k, "group share that does not list the receiver", paper,
                               seal_with(k, paper, outsider, kAlice, 203), alice, kT0, {},
                               "not_member"));
}

void add_plain_error_cases(Rng& rng, Json& cases) {
  const Spec s{"", &paper_profile(), Suite::kAes128, keyshare::Lifetime::session(), false, 0};
  const Bytes good = keyshare::encode(draw_plain(rng, s, kT0));
  Bytes trailing = good;
  trailing.push_back(0);
  cases.push_back(ks::plain_error_case("suite 0x0003", ks::changed(good, 21, 3), "unknown_suite"));
  cases.push_back(ks::plain_error_case("scope 3", ks::changed(good, 2, 3), "bad_value"));
  cases.push_back(ks::plain_error_case("lifetime kind 2", ks::changed(good, 11, 2), "bad_value"));
  cases.push_back(ks::plain_error_case("session lifetime with lifetime_ms 1",
                                       ks::changed(good, 19, 1), "bad_value"));
  cases.push_back(ks::plain_error_case("version 2", ks::changed(good, 1, 2), "bad_version"));
  cases.push_back(ks::plain_error_case("trailing byte", trailing, "trailing_bytes"));
  cases.push_back(
      ks::plain_error_case("scope 2 without a group part", ks::changed(good, 2, 2), "truncated"));
}

}  // namespace

Json generate_key_share_vectors() {
  Json file = file_header("key_share", "spec/contract.md#key-share-ks--figs-2-3");
  DeterministicRng rng(0x4B53, "vectors/key_share");
  Keys k;
  k.bob_enc = crypto::x25519_generate(rng);
  k.alice_sign = crypto::ed25519_generate(rng);
  k.mallory_sign = crypto::ed25519_generate(rng);
  const Spec specs[] = {
      {"paper, suite 1, session, pairwise", &paper_profile(), Suite::kAes128,
       keyshare::Lifetime::session(), false, 101},
      {"paper, suite 1, seven days, group", &paper_profile(), Suite::kAes128,
       keyshare::Lifetime::duration(kWeek), true, 102},
      {"hardened, suite 2, session, pairwise", &hardened_profile(), Suite::kAes256,
       keyshare::Lifetime::session(), false, 103},
      {"hardened, suite 2, seven days, group", &hardened_profile(), Suite::kAes256,
       keyshare::Lifetime::duration(kWeek), true, 104},
      {"hardened, suite 1, one millisecond, pairwise", &hardened_profile(), Suite::kAes128,
       keyshare::Lifetime::duration(1), false, 105},
  };
  Json cases = Json::array();
  TimeMs t = kT0;
  for (const Spec& s : specs) {
    cases.push_back(positive_case(k, s, draw_plain(rng, s, t)));
    t += 1000;
  }
  add_receive_cases(k, rng, cases);
  add_plain_error_cases(rng, cases);
  file["cases"] = cases;
  return file;
}

namespace {

std::optional<std::string> valid_id(const Json& c, std::string_view key) {
  auto id = field_string(c, key);
  return id && !id->empty() && id->size() <= 64 ? id : std::nullopt;
}

const Profile* case_profile(const Json& c) {
  const auto name = field_string(c, "profile");
  if (!name) {
    return nullptr;
  }
  auto p = profile_by_name(*name);
  return p.ok() ? *p : nullptr;
}

// Decodes the case's plain share and checks it against the case's fields.
std::optional<std::string> check_plain(const Json& c, const std::string& where,
                                       keyshare::KeySharePlain& out) {
  const auto plain = field_hex(c, "plain");
  if (!plain) {
    return bad_field(where, "plain");
  }
  auto decoded = keyshare::decode_plain(*plain);
  if (!decoded.ok()) {
    return where + ": plain does not decode: " + decoded.error().detail;
  }
  if (const auto key = ks::plain_fields_mismatch(c, *decoded)) {
    return where + ": field " + *key + " differs from the decoded plain";
  }
  if (keyshare::encode(*decoded) != *plain) {
    return where + ": re-encoding differs (not canonical)";
  }
  out = std::move(decoded).value();
  return std::nullopt;
}

std::optional<std::string> check_positive(const Json& c, const std::string& where) {
  const Profile* profile = case_profile(c);
  crypto::X25519Secret secret{};
  crypto::X25519Public recipient{};
  const auto seal_seed = field_u64(c, "seal_rng_seed");
  const auto seal_label = field_string(c, "seal_rng_label");
  const auto sender_id = valid_id(c, "sender_id");
  const auto recipient_id = valid_id(c, "recipient_id");
  const std::pair<bool, const char*> present[] = {
      {profile != nullptr, "profile"},
      {fixed_hex(c, "recipient_secret", secret), "recipient_secret"},
      {fixed_hex(c, "recipient_public", recipient), "recipient_public"},
      {seal_seed.has_value(), "seal_rng_seed"},
      {seal_label.has_value(), "seal_rng_label"},
      {sender_id.has_value(), "sender_id"},
      {recipient_id.has_value(), "recipient_id"},
  };
  for (const auto& [ok, name] : present) {
    if (!ok) {
      return bad_field(where, name);
    }
  }
  if (crypto::x25519_public_from_secret(secret) != recipient) {
    return where + ": recipient_public is not the public key of recipient_secret";
  }
  crypto::Ed25519Secret sign_secret{};
  crypto::Ed25519Public sign_public{};
  if (profile->key_share->signs() && !fixed_hex(c, "sender_sign_secret", sign_secret)) {
    return bad_field(where, "sender_sign_secret");
  }
  if (profile->key_share->signs() && !fixed_hex(c, "sender_sign_public", sign_public)) {
    return bad_field(where, "sender_sign_public");
  }
  keyshare::KeySharePlain plain;
  if (auto mismatch = check_plain(c, where, plain)) {
    return mismatch;
  }
  if (!keyshare::fits_in_message(plain)) {  // seal() requires it (KS-002)
    return bad_field(where, "plain");
  }
  DeterministicRng seal_rng(*seal_seed, *seal_label);
  const Bytes message =
      keyshare::seal(seal_rng, *profile, plain, *sender_id, *recipient_id, recipient, &sign_secret);
  if (field_hex(c, "message") != message) {
    return where + ": field message differs from the sealed message";
  }
  auto decoded = keyshare::decode_message(message);
  if (!decoded.ok()) {
    return where + ": message does not decode";
  }
  auto opened = keyshare::open(*profile, *decoded, secret, &sign_public);
  if (!opened.ok() || *opened != plain) {
    return where + ": message does not open to the plain share";
  }
  return std::nullopt;
}

keyshare::KeySharePlain previous_share(TimeMs timestamp) {
  DeterministicRng rng(0, "vectors/key_share/previous");
  return keyshare::make_pairwise(rng, Suite::kAes128, timestamp, keyshare::Lifetime::session());
}

// Bob's side: decode, open, then the KeyShareBook; the book must not change.
std::optional<std::string> check_receive(const Json& c, const std::string& where) {
  const Profile* profile = case_profile(c);
  crypto::X25519Secret secret{};
  crypto::Ed25519Public sign_public{};
  const auto message = field_hex(c, "message");
  const auto now = field_u64(c, "now_ms");
  const auto recipient_id = valid_id(c, "recipient_id");
  const std::pair<bool, const char*> present[] = {
      {profile != nullptr, "profile"},
      {fixed_hex(c, "recipient_secret", secret), "recipient_secret"},
      {message.has_value(), "message"},
      {now.has_value(), "now_ms"},
      {recipient_id.has_value(), "recipient_id"},
      {profile == nullptr || !profile->key_share->signs() ||
           fixed_hex(c, "sender_sign_public", sign_public),
       "sender_sign_public"},
  };
  for (const auto& [ok, name] : present) {
    if (!ok) {
      return bad_field(where, name);
    }
  }
  auto decoded = keyshare::decode_message(*message);
  if (!decoded.ok()) {
    return expect_error(c, where, &decoded.error());
  }
  auto opened = keyshare::open(*profile, *decoded, secret, &sign_public);
  if (!opened.ok()) {
    return expect_error(c, where, &opened.error());
  }
  keyshare::KeyShareBook book(*recipient_id);
  if (c.contains("previous_timestamp_ms")) {
    const auto previous = field_u64(c, "previous_timestamp_ms");
    if (!previous) {
      return bad_field(where, "previous_timestamp_ms");
    }
    auto held =
        book.validate(previous_share(*previous), decoded->sender_id, *previous, profile->limits);
    if (!held.ok()) {  // e.g. a timestamp the limits refuse: the file is wrong, not the code
      return bad_field(where, "previous_timestamp_ms");
    }
    book.accept(std::move(held).value());
  }
  const Bytes before = keyshare::encode(book);
  auto accepted = book.validate(*opened, decoded->sender_id, *now, profile->limits);
  if (keyshare::encode(book) != before) {
    return where + ": validation changed the book";
  }
  return expect_error(c, where, accepted.ok() ? nullptr : &accepted.error());
}

std::optional<std::string> check_negative(const Json& c, const std::string& where) {
  if (!c.contains("message")) {
    const auto plain = field_hex(c, "plain");
    if (!plain) {
      return bad_field(where, "plain");
    }
    auto decoded = keyshare::decode_plain(*plain);
    return expect_error(c, where, decoded.ok() ? nullptr : &decoded.error());
  }
  return check_receive(c, where);
}

}  // namespace

std::optional<std::string> check_key_share_vectors(const Json& file) {
  return check_cases(file, [](const Json& c, const std::string& where) {
    return c.contains("expected_error") ? check_negative(c, where) : check_positive(c, where);
  });
}

}  // namespace spmc::vectors
