// Vectors for U2U authentication (U2U-002, U2U-003, U2U-010): secret hashes, the paper's
// text and figure values, the hardened bound value and nonce responses, each also run
// through a pair of U2uSessions; negative cases: wrong secrets and malformed bodies.
#include <cstring>
#include <deque>

#include "spmc/schemes/u2u_scheme.hpp"
#include "spmc/u2u.hpp"
#include "suites.hpp"

namespace spmc::vectors {

namespace {

using u2u::KeyFingerprints;
using u2u::Message;
using u2u::U2uSession;

// Hands out queued bytes: lets a check replay the exact nonces a case records.
class QueueRng final : public Rng {
 public:
  void push(ByteView bytes) { m_queue.insert(m_queue.end(), bytes.begin(), bytes.end()); }
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) {
      SPMC_CHECK(!m_queue.empty());
      b = m_queue.front();
      m_queue.pop_front();
    }
  }

 private:
  std::deque<std::uint8_t> m_queue;
};

std::string random_secret(Rng& rng) {
  static constexpr std::string_view kAlphabet =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";
  std::string s(8 + rng.uniform(9), ' ');
  for (char& c : s) {
    c = kAlphabet[rng.uniform(kAlphabet.size())];
  }
  return s;
}

template <typename Array>
std::optional<Array> field_fixed(const Json& c, std::string_view key) {
  const auto bytes = field_hex(c, key);
  if (!bytes || bytes->size() != std::tuple_size_v<Array>) {
    return std::nullopt;
  }
  Array out{};
  std::memcpy(out.data(), bytes->data(), out.size());
  return out;
}

// Everything one run of opt-in and authentication needs, and what it produced.
struct Run {
  const Profile* profile = nullptr;
  std::string secret_a, secret_b, entered_a, entered_b;
  KeyFingerprints fps_a, fps_b;
  u2u::Nonce nonce_a{}, nonce_b{};
  std::vector<Message> sent_by_a, sent_by_b;
  std::optional<U2uSession> a, b;
};

bool deliver(Run& run, bool a_sends, Result<u2u::Outgoing> out) {
  std::vector<Message> pending = out.ok() ? out->messages : std::vector<Message>{};
  if (!out.ok()) {
    return false;
  }
  while (!pending.empty()) {
    std::vector<Message> replies;
    for (const Message& m : pending) {
      (a_sends ? run.sent_by_a : run.sent_by_b).push_back(m);
      auto r = (a_sends ? *run.b : *run.a).handle(m);
      if (!r.ok()) {
        return false;
      }
      replies.insert(replies.end(), r->messages.begin(), r->messages.end());
    }
    pending = std::move(replies);
    a_sends = !a_sends;
  }
  return true;
}

// Opt-in, then A asks, B's user enters first, then A's (U2U-001..003 / U2U-010).
bool play(Run& run) {
  run.a.emplace(*run.profile);
  run.b.emplace(*run.profile);
  QueueRng rng;
  rng.push(run.nonce_a);
  rng.push(run.nonce_b);
  return deliver(run, true, run.a->request_optin()) && deliver(run, false, run.b->accept_optin()) &&
         deliver(run, true, run.a->provide_secret(run.secret_a, run.fps_a)) &&
         deliver(run, false, run.b->provide_secret(run.secret_b, run.fps_b)) &&
         deliver(run, true, run.a->request_auth(rng)) &&
         deliver(run, false, run.b->provide_auth_secret(rng, run.entered_b, run.fps_b)) &&
         deliver(run, true, run.a->provide_auth_secret(rng, run.entered_a, run.fps_a));
}

Json run_inputs(const Run& run) {
  Json c;
  c["profile"] = run.profile->name;
  c["secret_a"] = run.secret_a;
  c["secret_b"] = run.secret_b;
  if (run.profile->u2u->binds_keys()) {
    c["fingerprint_a"] = hex(run.fps_a.self);
    c["fingerprint_b"] = hex(run.fps_b.self);
    c["nonce_a"] = hex(run.nonce_a);
    c["nonce_b"] = hex(run.nonce_b);
  }
  return c;
}

std::optional<std::string> parse_bound_inputs(const Json& c, const std::string& where, Run& run) {
  const auto fa = field_fixed<crypto::Digest>(c, "fingerprint_a");
  const auto fb = field_fixed<crypto::Digest>(c, "fingerprint_b");
  const auto na = field_fixed<u2u::Nonce>(c, "nonce_a");
  const auto nb = field_fixed<u2u::Nonce>(c, "nonce_b");
  const std::pair<bool, const char*> present[] = {{fa.has_value(), "fingerprint_a"},
                                                  {fb.has_value(), "fingerprint_b"},
                                                  {na.has_value(), "nonce_a"},
                                                  {nb.has_value(), "nonce_b"}};
  for (const auto& [ok, key] : present) {
    if (!ok) {
      return bad_field(where, key);
    }
  }
  run.fps_a = {*fa, *fb};
  run.fps_b = {*fb, *fa};
  run.nonce_a = *na;
  run.nonce_b = *nb;
  return std::nullopt;
}

// Reads the inputs of a run; returns the first missing or malformed field's mismatch.
std::optional<std::string> parse_run(const Json& c, const std::string& where, Run& run) {
  const auto name = field_string(c, "profile");
  auto profile = profile_by_name(name.value_or(""));
  if (!name || !profile.ok()) {
    return bad_field(where, "profile");
  }
  run.profile = *profile;
  const auto secret_a = field_string(c, "secret_a");
  const auto secret_b = field_string(c, "secret_b");
  // entered_*: what the user types when it differs from the secret (negative cases).
  const auto entered_a = c.contains("entered_a") ? field_string(c, "entered_a") : secret_a;
  const auto entered_b = c.contains("entered_b") ? field_string(c, "entered_b") : secret_b;
  const std::pair<const std::optional<std::string>*, const char*> secrets[] = {
      {&secret_a, "secret_a"},
      {&secret_b, "secret_b"},
      {&entered_a, "entered_a"},
      {&entered_b, "entered_b"}};
  for (const auto& [s, key] : secrets) {
    if (!*s || (*s)->empty() || (*s)->size() > u2u::kMaxSecretBytes) {
      return bad_field(where, key);
    }
  }
  run.secret_a = *secret_a;
  run.secret_b = *secret_b;
  run.entered_a = *entered_a;
  run.entered_b = *entered_b;
  return run.profile->u2u->binds_keys() ? parse_bound_inputs(c, where, run) : std::nullopt;
}

Json expected_outputs(const Run& run) {
  Json out;
  const auto h_a = u2u::secret_hash(run.secret_a);
  const auto h_b = u2u::secret_hash(run.secret_b);
  out["hash_a"] = hex(h_a);
  out["hash_b"] = hex(h_b);
  if (!run.profile->u2u->binds_keys()) {
    out["paper_value_a"] = hex(u2u::paper_value(run.secret_a, h_b));
    out["paper_value_b"] = hex(u2u::paper_value(run.secret_b, h_a));
    out["figure_value_a"] = hex(u2u::figure_value(h_a, h_b));
    out["figure_value_b"] = hex(u2u::figure_value(h_b, h_a));
    return out;
  }
  const auto v = u2u::hardened_value(h_a, h_b, run.fps_a, u2u::Role::kInitiator);
  out["hardened_value"] = hex(v);
  out["response_b"] = hex(u2u::hardened_response(v, run.nonce_a, run.nonce_b));
  out["response_a"] = hex(u2u::hardened_response(v, run.nonce_b, run.nonce_a));
  return out;
}

// The state machine must have sent exactly these bodies and reached `authenticated`.
std::optional<std::string> check_played(Run& run, const Json& expected) {
  if (!play(run)) {
    return "protocol run failed";
  }
  if (!run.a->auth_status().ok() || !run.b->auth_status().ok()) {
    return "matching secrets did not authenticate";
  }
  const std::string stored = hex(*run.a->stored_value());
  const bool hardened = run.profile->u2u->binds_keys();
  if (stored != expected.at(hardened ? "hardened_value" : "paper_value_a")) {
    return "stored value differs";
  }
  const Message& last_b = run.sent_by_b.back();
  const Message& last_a = run.sent_by_a.back();
  // `expected` comes from expected_outputs(), so these keys exist and hold strings.
  const std::string b_body = hardened
                                 ? hex(run.nonce_b) + expected.at("response_b").get<std::string>()
                                 : expected.at("hash_b").get<std::string>();
  const std::string a_body = hardened
                                 ? hex(run.nonce_a) + expected.at("response_a").get<std::string>()
                                 : expected.at("hash_a").get<std::string>();
  if (hex(u2u::encode_body(last_b)) != b_body || hex(u2u::encode_body(last_a)) != a_body) {
    return "authentication response bodies differ";
  }
  return std::nullopt;
}

std::optional<std::string> check_values_case(const Json& c, const std::string& where) {
  Run run;
  if (auto err = parse_run(c, where, run)) {
    return err;
  }
  const Json expected = expected_outputs(run);
  for (const auto& [key, value] : expected.items()) {
    if (!field_equals(c, key, value)) {
      return where + ": field " + key + " differs";
    }
  }
  if (auto err = check_played(run, expected)) {
    return where + ": " + *err;
  }
  return std::nullopt;
}

std::optional<std::string> check_error_case(const Json& c, const std::string& where) {
  const auto want = field_string(c, "expected_error");
  if (!want) {
    return bad_field(where, "expected_error");
  }
  if (c.contains("content_type")) {
    const auto type = field_uint(c, "content_type", 0xff);
    const auto body = field_hex(c, "body");
    if (!type) {
      return bad_field(where, "content_type");
    }
    if (!body) {
      return bad_field(where, "body");
    }
    const auto r = u2u::decode_body(static_cast<std::uint8_t>(*type), *body);
    return expect_error(c, where, r.ok() ? nullptr : &r.error());
  }
  Run run;
  if (auto err = parse_run(c, where, run)) {
    return err;
  }
  if (!play(run)) {
    return where + ": protocol run failed";
  }
  for (const U2uSession* side : {&*run.a, &*run.b}) {
    const Status s = side->auth_status();
    if (s.ok() || error_name(s.code()) != *want) {
      return where + ": authentication did not fail with " + *want;
    }
  }
  return std::nullopt;
}

Run random_run(Rng& rng, const Profile& profile) {
  Run run;
  run.profile = &profile;
  run.secret_a = random_secret(rng);
  run.secret_b = random_secret(rng);
  run.entered_a = run.secret_a;
  run.entered_b = run.secret_b;
  if (profile.u2u->binds_keys()) {
    const auto fa = crypto::sha256(rng.bytes(32));
    const auto fb = crypto::sha256(rng.bytes(32));
    run.fps_a = {fa, fb};
    run.fps_b = {fb, fa};
    rng.fill(run.nonce_a);
    rng.fill(run.nonce_b);
  }
  return run;
}

}  // namespace

Json generate_u2u_vectors() {
  Json file = file_header("u2u", "spec/u2u.md");
  Json cases = Json::array();
  DeterministicRng rng(1, "u2u vectors");
  for (const Profile* profile : all_profiles()) {
    for (int i = 0; i < 2; ++i) {
      const Run run = random_run(rng, *profile);
      Json c = run_inputs(run);
      c.update(expected_outputs(run));
      cases.push_back(c);
    }
    for (const bool wrong_a : {true, false}) {
      const Run run = random_run(rng, *profile);
      Json c = run_inputs(run);
      c[wrong_a ? "entered_a" : "entered_b"] = (wrong_a ? run.secret_a : run.secret_b) + "!";
      c["expected_error"] = "u2u_mismatch";
      cases.push_back(c);
    }
  }
  const std::tuple<int, const char*, const char*> bad[] = {
      {4, "00112233445566778899aabbccddeeff00112233445566778899aabbccddee", "bad_length"},
      {5, "00", "bad_length"},
      {6, "00112233445566778899aabbccddeeff", "bad_length"},
      {2, "00", "bad_length"},
      {7, "", "bad_value"},
      {1, "", "bad_value"},
  };
  for (const auto& [type, body, error] : bad) {
    cases.push_back(Json{{"content_type", type}, {"body", body}, {"expected_error", error}});
  }
  file["cases"] = cases;
  return file;
}

std::optional<std::string> check_u2u_vectors(const Json& file) {
  return check_cases(file, [](const Json& c, const std::string& where) {
    return c.contains("expected_error") ? check_error_case(c, where) : check_values_case(c, where);
  });
}

}  // namespace spmc::vectors
