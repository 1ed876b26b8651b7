// Vectors for certificates (contract CERT-001, CERT-002): issuing reproduces the encoding
// and the CA's Ed25519 signature byte for byte; each negative case fails one check with
// bad_certificate, or fails decoding with the codec error it names.
#include <set>

#include "key_share_json.hpp"
#include "spmc/certificate.hpp"
#include "suites.hpp"

namespace spmc::vectors {

namespace {

constexpr TimeMs kNotBefore = 1'700'000'000'000;
constexpr TimeMs kNotAfter = 1'731'536'000'000;
constexpr TimeMs kNow = 1'700'000'001'000;  // a first-digit change leaves the window

struct Issued {
  crypto::Ed25519KeyPair ca;
  cert::Certificate cert;
};

Json positive_case(const Issued& in, std::string_view description) {
  const cert::Certificate& c = in.cert;
  Json j;
  j["description"] = description;
  j["ca_secret"] = hex(in.ca.secret_key);
  j["ca_public"] = hex(in.ca.public_key);
  j["serial"] = std::to_string(c.serial);
  j["user_id"] = c.user_id;
  j["usage"] = static_cast<int>(c.usage);
  j["public_key"] = hex(c.public_key);
  j["not_before_ms"] = std::to_string(c.not_before_ms);
  j["not_after_ms"] = std::to_string(c.not_after_ms);
  j["now_ms"] = std::to_string(kNow);
  j["encoded"] = hex(cert::encode(c));
  j["signature"] = hex(c.signature);
  j["fingerprint"] = hex(cert::fingerprint(c));
  return j;
}

Json negative_case(const Issued& in, std::string_view description, const Bytes& encoded,
                   std::string_view user, int usage, TimeMs now,
                   const std::vector<std::uint64_t>& revoked, std::string_view error) {
  Json j;
  j["description"] = description;
  j["ca_public"] = hex(in.ca.public_key);
  j["encoded"] = hex(encoded);
  j["expected_user"] = user;
  j["expected_usage"] = usage;
  j["now_ms"] = std::to_string(now);
  j["revoked"] = Json::array();
  for (std::uint64_t s : revoked) {
    j["revoked"].push_back(std::to_string(s));
  }
  j["expected_error"] = error;
  return j;
}

Bytes changed(Bytes b, std::size_t at, std::uint8_t value) {
  b.at(at) = value;
  return b;
}

void add_negative_cases(const Issued& in, Json& cases) {
  const Bytes good = cert::encode(in.cert);
  const std::string& user = in.cert.user_id;
  const int usage = static_cast<int>(in.cert.usage);
  const std::size_t usage_at = 2 + 8 + 2 + user.size();
  Bytes trailing = good;
  trailing.push_back(0);
  const Bytes bad_sig = changed(good, good.size() - 1, good.back() ^ 0x01);
  const struct {
    const char* description;
    Bytes encoded;
    std::string user;
    int usage;
    TimeMs now;
    std::vector<std::uint64_t> revoked;
    const char* error;
  } rows[] = {
      {"flipped signature byte", bad_sig, user, usage, kNow, {}, "bad_certificate"},
      {"certificate of another user", good, "MalloryMMMMMMMMM", usage, kNow, {}, "bad_certificate"},
      {"wrong usage", good, user, 3 - usage, kNow, {}, "bad_certificate"},
      {"expired: now = not_after", good, user, usage, kNotAfter, {}, "bad_certificate"},
      {"not yet valid", good, user, usage, kNotBefore - 1, {}, "bad_certificate"},
      {"serial revoked", good, user, usage, kNow, {in.cert.serial}, "bad_certificate"},
      {"truncated signature",
       Bytes(good.begin(), good.end() - 1),
       user,
       usage,
       kNow,
       {},
       "truncated"},
      {"trailing byte", trailing, user, usage, kNow, {}, "trailing_bytes"},
      {"version 2", changed(good, 1, 2), user, usage, kNow, {}, "bad_version"},
      {"usage 3", changed(good, usage_at, 3), user, usage, kNow, {}, "bad_value"},
      {"public key of 31 bytes",
       changed(good, usage_at + 2, 31),
       user,
       usage,
       kNow,
       {},
       "bad_length"},
  };
  for (const auto& r : rows) {
    cases.push_back(
        negative_case(in, r.description, r.encoded, r.user, r.usage, r.now, r.revoked, r.error));
  }
}

struct CertInputs {
  crypto::Ed25519Secret ca_secret{};
  crypto::Ed25519Public ca_public{};
  cert::PublicKey public_key{};
  std::uint64_t serial = 0;
  std::string user_id;
  cert::Usage usage{};
  TimeMs not_before = 0;
  TimeMs not_after = 0;
  TimeMs now = 0;
};

template <std::size_t N>
bool fixed_hex(const Json& c, std::string_view key, std::array<std::uint8_t, N>& out) {
  const auto b = field_hex(c, key);
  if (!b || b->size() != N) {
    return false;
  }
  std::copy(b->begin(), b->end(), out.begin());
  return true;
}

std::optional<CertInputs> read_inputs(const Json& c) {
  CertInputs in;
  const auto serial = ks::field_u64(c, "serial");
  const auto not_before = ks::field_u64(c, "not_before_ms");
  const auto not_after = ks::field_u64(c, "not_after_ms");
  const auto now = ks::field_u64(c, "now_ms");
  if (!fixed_hex(c, "ca_secret", in.ca_secret) || !fixed_hex(c, "ca_public", in.ca_public) ||
      !fixed_hex(c, "public_key", in.public_key) || !serial || !not_before || !not_after || !now ||
      !c.contains("user_id") || !c["user_id"].is_string() || !c.contains("usage") ||
      !c["usage"].is_number_integer()) {
    return std::nullopt;
  }
  in.user_id = c["user_id"].get<std::string>();
  const int usage = c["usage"].get<int>();
  if (in.user_id.empty() || in.user_id.size() > 64 || (usage != 1 && usage != 2)) {
    return std::nullopt;
  }
  in.usage = static_cast<cert::Usage>(usage);
  in.serial = *serial;
  in.not_before = *not_before;
  in.not_after = *not_after;
  in.now = *now;
  return in;
}

std::optional<std::string> check_positive(const Json& c, const std::string& where) {
  const auto in = read_inputs(c);
  if (!in) {
    return where + ": missing or malformed input";
  }
  const cert::Certificate issued = cert::issue(in->ca_secret, in->serial, in->user_id, in->usage,
                                               in->public_key, in->not_before, in->not_after);
  if (field_hex(c, "encoded") != cert::encode(issued)) {
    return where + ": encoding differs";
  }
  const Bytes signature(issued.signature.begin(), issued.signature.end());
  if (field_hex(c, "signature") != signature) {
    return where + ": signature differs";
  }
  const crypto::Digest fp = cert::fingerprint(issued);
  if (field_hex(c, "fingerprint") != Bytes(fp.begin(), fp.end())) {
    return where + ": fingerprint differs";
  }
  auto decoded = cert::decode(cert::encode(issued));
  if (!decoded.ok() || *decoded != issued) {
    return where + ": does not decode to the issued certificate";
  }
  const Status st = cert::verify(*decoded, in->ca_public, in->user_id, in->usage, in->now, {});
  if (!st.ok()) {
    return where + ": does not verify: " + st.error().detail;
  }
  return std::nullopt;
}

std::optional<std::string> check_negative(const Json& c, const std::string& where) {
  const auto encoded = field_hex(c, "encoded");
  crypto::Ed25519Public ca{};
  const auto now = ks::field_u64(c, "now_ms");
  if (!encoded || !fixed_hex(c, "ca_public", ca) || !now || !c.contains("revoked") ||
      !c["revoked"].is_array() || !c.contains("expected_usage") ||
      !c["expected_usage"].is_number_integer()) {
    return where + ": missing or malformed input";
  }
  auto decoded = cert::decode(*encoded);
  if (!decoded.ok()) {
    return ks::expect_error(c, where, &decoded.error());
  }
  std::set<std::uint64_t> revoked;
  for (const Json& s : c["revoked"]) {
    const auto serial = ks::parse_u64(s);
    if (!serial) {
      return where + ": malformed revoked serial";
    }
    revoked.insert(*serial);
  }
  const auto usage = static_cast<cert::Usage>(c["expected_usage"].get<int>());
  const Status st = cert::verify(*decoded, ca, c.value("expected_user", ""), usage, *now, revoked);
  return ks::expect_error(c, where, st.ok() ? nullptr : &st.error());
}

Issued issue_sample(Rng& rng, const crypto::Ed25519KeyPair& ca, std::uint64_t serial,
                    std::string user, cert::Usage usage) {
  const auto key = usage == cert::Usage::kSignature ? crypto::ed25519_generate(rng).public_key
                                                    : crypto::x25519_generate(rng).public_key;
  return Issued{
      ca, cert::issue(ca.secret_key, serial, std::move(user), usage, key, kNotBefore, kNotAfter)};
}

}  // namespace

Json generate_certificate_vectors() {
  Json file = file_header("certificate", "spec/contract.md#sign-up-and-certificates-su-cert");
  DeterministicRng rng(0xCE57, "vectors/certificate");
  const crypto::Ed25519KeyPair ca = crypto::ed25519_generate(rng);
  Json cases = Json::array();
  const Issued sig = issue_sample(rng, ca, 1, "Alice7Qx2LmP0aZk", cert::Usage::kSignature);
  const Issued enc = issue_sample(rng, ca, 2, "Alice7Qx2LmP0aZk", cert::Usage::kEncryption);
  const Issued big =
      issue_sample(rng, ca, 9'007'199'254'740'993ULL, "Bob4RtY8uIo1pAsD", cert::Usage::kEncryption);
  cases.push_back(positive_case(sig, "signature-key certificate"));
  cases.push_back(positive_case(enc, "encryption-key certificate"));
  cases.push_back(positive_case(big, "serial above 2^53 (JSON numbers would lose it)"));
  add_negative_cases(enc, cases);
  file["cases"] = cases;
  return file;
}

std::optional<std::string> check_certificate_vectors(const Json& file) {
  if (!file.contains("cases") || !file["cases"].is_array()) {
    return "missing cases array";
  }
  std::size_t i = 0;
  for (const Json& c : file["cases"]) {
    const std::string where = "case " + std::to_string(i++);
    const auto mismatch =
        c.contains("expected_error") ? check_negative(c, where) : check_positive(c, where);
    if (mismatch) {
      return mismatch;
    }
  }
  return std::nullopt;
}

}  // namespace spmc::vectors
