#pragma once
// Two U2U sessions wired back to back for tests: every message goes through its wire
// body (encode, decode) and replies are delivered until both sides are quiet.
#include <string>
#include <vector>

#include "spmc/u2u.hpp"

namespace spmc::u2u::testing {

struct Fingerprints {
  crypto::Digest a{};
  crypto::Digest b{};
};

class U2uPair {
 public:
  explicit U2uPair(const Profile& profile, std::uint64_t seed = 1)
      : a(profile), b(profile), m_rng(seed, "u2u pair") {}

  U2uSession a;
  U2uSession b;
  std::vector<Message> sent_by_a;
  std::vector<Message> sent_by_b;
  // A's and B's view of the two fingerprints; a server substituting B's key changes
  // a_sees_b only.
  Fingerprints keys{crypto::sha256(bytes_of("key A")), crypto::sha256(bytes_of("key B"))};
  crypto::Digest a_sees_b = keys.b;
  crypto::Digest b_sees_a = keys.a;

  KeyFingerprints fps_a() const { return {keys.a, a_sees_b}; }
  KeyFingerprints fps_b() const { return {keys.b, b_sees_a}; }
  Rng& rng() { return m_rng; }

  // Delivers what `from` produced to the other side and follows the replies; false if
  // producing or any delivery failed.
  bool from_a(const Result<Outgoing>& out) { return out.ok() && pump(true, out->messages); }
  bool from_b(const Result<Outgoing>& out) { return out.ok() && pump(false, out->messages); }

  bool establish(std::string_view secret_a, std::string_view secret_b) {
    return from_a(a.request_optin()) && from_b(b.accept_optin()) &&
           from_a(a.provide_secret(secret_a, fps_a())) &&
           from_b(b.provide_secret(secret_b, fps_b()));
  }

  // A asks; then the user of `first` enters the secret, then the other.
  bool authenticate(std::string_view entered_a, std::string_view entered_b, bool a_first = false) {
    if (!from_a(a.request_auth(m_rng))) {
      return false;
    }
    auto enter_a = [&] { return from_a(a.provide_auth_secret(m_rng, entered_a, fps_a())); };
    auto enter_b = [&] { return from_b(b.provide_auth_secret(m_rng, entered_b, fps_b())); };
    return a_first ? enter_a() && enter_b() : enter_b() && enter_a();
  }

 private:
  bool pump(bool a_sends, std::vector<Message> pending) {
    while (!pending.empty()) {
      std::vector<Message> replies;
      for (const Message& m : pending) {
        (a_sends ? sent_by_a : sent_by_b).push_back(m);
        auto decoded = decode_body(static_cast<std::uint8_t>(m.type), encode_body(m));
        if (!decoded.ok() || !(*decoded == m)) {
          return false;
        }
        auto out = (a_sends ? b : a).handle(*decoded);
        if (!out.ok()) {
          return false;
        }
        replies.insert(replies.end(), out->messages.begin(), out->messages.end());
      }
      pending = std::move(replies);
      a_sends = !a_sends;
    }
    return true;
  }

  DeterministicRng m_rng;
};

}  // namespace spmc::u2u::testing
