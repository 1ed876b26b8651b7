// Vectors for certificates (contract CERT-001, CERT-002): issuing reproduces the encoding
// and the CA's Ed25519 signature byte for byte; each negative case fails one check with
// bad_certificate, or fails decoding with the codec error it names.
#include <set>
#include <variant>

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

// Returns the inputs, or the name of the first missing or malformed field.
std::variant<CertInputs, std::string> read_inputs(const Json& c) {
  CertInputs in;
  const auto serial = field_u64(c, "serial");
  const auto not_before = field_u64(c, "not_before_ms");
  const auto not_after = field_u64(c, "not_after_ms");
  const auto now = field_u64(c, "now_ms");
  const auto user_id = field_string(c, "user_id");
  const auto usage = field_uint(c, "usage", 0xff);
  const std::pair<bool, const char*> present[] = {
      {fixed_hex(c, "ca_secret", in.ca_secret), "ca_secret"},
      {fixed_hex(c, "ca_public", in.ca_public), "ca_public"},
      {fixed_hex(c, "public_key", in.public_key), "public_key"},
      {serial.has_value(), "serial"},
      {not_before.has_value(), "not_before_ms"},
      {not_after.has_value(), "not_after_ms"},
      {now.has_value(), "now_ms"},
      {user_id && !user_id->empty() && user_id->size() <= 64, "user_id"},
      {usage && (*usage == 1U || *usage == 2U), "usage"},
  };
  for (const auto& [ok, name] : present) {
    if (!ok) {
      return std::string(name);
    }
  }
  in.user_id = *user_id;
  in.usage = static_cast<cert::Usage>(*usage);
  in.serial = *serial;
  in.not_before = *not_before;
  in.not_after = *not_after;
  in.now = *now;
  return in;
}

std::optional<std::string> check_positive(const Json& c, const std::string& where) {
  const auto inputs = read_inputs(c);
  if (const auto* bad = std::get_if<std::string>(&inputs)) {
    return bad_field(where, *bad);
  }
  const CertInputs* in = &std::get<CertInputs>(inputs);
  const cert::Certificate issued = cert::issue(in->ca_secret, in->serial, in->user_id, in->usage,
                                               in->public_key, in->not_before, in->not_after);
  if (field_hex(c, "encoded") != cert::encode(issued)) {
    return where + ": field encoded differs";
  }
  const Bytes signature(issued.signature.begin(), issued.signature.end());
  if (field_hex(c, "signature") != signature) {
    return where + ": field signature differs";
  }
  const crypto::Digest fp = cert::fingerprint(issued);
  if (field_hex(c, "fingerprint") != Bytes(fp.begin(), fp.end())) {
    return where + ": field fingerprint differs";
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
  const auto now = field_u64(c, "now_ms");
  const Json* revoked_list = field_array(c, "revoked");
  const auto user = field_string(c, "expected_user");
  const auto usage = field_uint(c, "expected_usage", 0xff);
  const std::pair<bool, const char*> present[] = {
      {encoded.has_value(), "encoded"},    {fixed_hex(c, "ca_public", ca), "ca_public"},
      {now.has_value(), "now_ms"},         {revoked_list != nullptr, "revoked"},
      {user.has_value(), "expected_user"}, {usage.has_value(), "expected_usage"},
  };
  for (const auto& [ok, name] : present) {
    if (!ok) {
      return bad_field(where, name);
    }
  }
  auto decoded = cert::decode(*encoded);
  if (!decoded.ok()) {
    return expect_error(c, where, &decoded.error());
  }
  std::set<std::uint64_t> revoked;
  for (const Json& s : *revoked_list) {
    const auto serial = parse_u64(s);
    if (!serial) {
      return bad_field(where, "revoked");
    }
    revoked.insert(*serial);
  }
  const Status st =
      cert::verify(*decoded, ca, *user, static_cast<cert::Usage>(*usage), *now, revoked);
  return expect_error(c, where, st.ok() ? nullptr : &st.error());
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
  return check_cases(file, [](const Json& c, const std::string& where) {
    return c.contains("expected_error") ? check_negative(c, where) : check_positive(c, where);
  });
}

}  // namespace spmc::vectors
