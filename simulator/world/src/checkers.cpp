#include "spmc/sim/checkers.hpp"

#include <algorithm>
#include <cstring>

#include "spmc/envelope.hpp"

namespace spmc::sim {

Bytes make_canary_body(std::uint64_t uid, std::size_t size) {
  std::string s(kCanaryPrefix);
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) {
    s.push_back(kHex[(uid >> shift) & 0xf]);
  }
  // Filler derived from the id: bodies differ, and no randomness is spent on them.
  for (std::size_t i = 0; s.size() < size; ++i) {
    s.push_back(static_cast<char>('a' + (uid * 31 + i * 7) % 26));
  }
  return bytes_of(s);
}

std::optional<std::uint64_t> canary_uid(ByteView body) {
  const std::size_t n = kCanaryPrefix.size();
  if (body.size() < n + 16 || std::memcmp(body.data(), kCanaryPrefix.data(), n) != 0) {
    return std::nullopt;
  }
  std::uint64_t uid = 0;
  for (std::size_t i = n; i < n + 16; ++i) {
    const char c = static_cast<char>(body[i]);
    const int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (v < 0) {
      return std::nullopt;
    }
    uid = (uid << 4) | static_cast<std::uint64_t>(v);
  }
  return uid;
}

void DeliveryChecker::sent(std::uint64_t uid, const std::string& sender, TimeUs at) {
  m_sent.emplace(uid, Sent{sender, at});
}

void DeliveryChecker::sealed(const Key& key, std::uint64_t uid) { m_by_key[key] = uid; }

void DeliveryChecker::accepted(const std::string& from, const std::string& to,
                               const envelope::EnvelopeHeader& h) {
  auto it = m_by_key.find(Key{from, h.recipient_id, h.key_timestamp_ms, h.counter});
  if (it == m_by_key.end()) {
    return;  // a U2U message or an adversary's envelope: no application message
  }
  m_expected.emplace(it->second, to);
}

void DeliveryChecker::delivered(const std::string& recipient, const std::string& claimed_sender,
                                ByteView body, TimeUs at) {
  ++m_deliveries;
  const auto uid = canary_uid(body);
  auto sent = uid ? m_sent.find(*uid) : m_sent.end();
  m_no_forgery.check(
      sent != m_sent.end() && sent->second.sender == claimed_sender,
      "phone " + recipient + " accepted a message no phone sent as " + claimed_sender);
  if (sent == m_sent.end()) {
    return;
  }
  const std::uint32_t count = ++m_delivered[{*uid, recipient}];
  m_no_replay.check(count == 1, "message " + std::to_string(*uid) + " delivered " +
                                    std::to_string(count) + " times to " + recipient);
  if (count == 1) {
    m_latency_us.push_back(at - sent->second.at);
  }
}

void DeliveryChecker::refused_by_design(const Key& key, const std::string& recipient) {
  auto it = m_by_key.find(key);
  if (it != m_by_key.end()) {
    m_refused_by_design.emplace(it->second, recipient);
  }
}

void DeliveryChecker::unreadable_by_design(const Key& key, const std::string& recipient) {
  auto it = m_by_key.find(key);
  if (it != m_by_key.end()) {
    m_unreadable_by_design.emplace(it->second, recipient);
  }
}

// Forgeries and replays are judged as each delivery happens; exactly-once and the newcomer
// rule only at the end (finish), where a time would say nothing.
void DeliveryChecker::set_clock(const EventQueue& clock) {
  m_no_forgery.set_clock(clock);
  m_no_replay.set_clock(clock);
}

void DeliveryChecker::finish() {
  // STO-005: what a reinstall made unreadable was owed an attempt (reinstall_loses_nothing),
  // so it is not an expected delivery either.
  std::erase_if(m_expected, [this](const auto& owed) {
    return !m_delivered.contains(owed) && m_unreadable_by_design.contains(owed);
  });
  for (const auto& [uid, to] : m_expected) {
    auto it = m_delivered.find({uid, to});
    if (it == m_delivered.end() && m_refused_by_design.contains({uid, to})) {
      m_newcomer.check(false, "message " + std::to_string(uid) +
                                  " from a member added later was "
                                  "refused by " +
                                  to + " (not_member: its share predates the add, A-30)");
      continue;
    }
    m_newcomer.check(true, "");
    m_exactly_once.check(it != m_delivered.end() && it->second == 1,
                         "message " + std::to_string(uid) + " accepted by the server for " + to +
                             " was delivered " +
                             std::to_string(it == m_delivered.end() ? 0 : it->second) + " times");
  }
}

std::uint64_t DeliveryChecker::owed_delivered() const {
  return static_cast<std::uint64_t>(
      std::count_if(m_expected.begin(), m_expected.end(),
                    [this](const auto& owed) { return m_delivered.contains(owed); }));
}

LatencySummary DeliveryChecker::latency() const {
  LatencySummary s;
  if (m_latency_us.empty()) {
    return s;
  }
  std::vector<std::uint64_t> v = m_latency_us;
  std::sort(v.begin(), v.end());
  auto at = [&v](std::uint64_t per_mille) { return percentile(v, per_mille) / 1000; };
  s.count = v.size();
  s.p50_ms = at(500);
  s.p90_ms = at(900);
  s.p99_ms = at(990);
  s.max_ms = v.back() / 1000;
  return s;
}

std::vector<InvariantResult> DeliveryChecker::results() const {
  return {m_exactly_once.result(), m_no_forgery.result(), m_no_replay.result(),
          m_newcomer.result()};
}

void DeliveryChecker::judge(std::vector<InvariantResult>& out) const {
  for (const InvariantResult& i : results()) {
    out.push_back(i);
  }
}

std::size_t SecrecyChecker::WindowHash::operator()(const Window& w) const {
  std::uint64_t h = 0;
  std::memcpy(&h, w.data(), sizeof(h));  // secrets are uniformly random bytes
  return static_cast<std::size_t>(h);
}

void SecrecyChecker::add_secret(ByteView secret) {
  if (secret.size() < 16) {
    return;
  }
  auto add = [this](const std::uint8_t* p) {
    Window w{};
    std::copy_n(p, 16, w.begin());
    m_secrets.insert(w);
    m_prefix[(std::size_t{p[0]} << 16) | (std::size_t{p[1]} << 8) | p[2]] = true;
  };
  add(secret.data());
  if (secret.size() >= 32) {
    add(secret.data() + secret.size() - 16);
  }
}

void SecrecyChecker::scan(std::string_view where, ByteView bytes) {
  const auto* prefix = reinterpret_cast<const std::uint8_t*>(kCanaryPrefix.data());
  const bool canary =
      std::search(bytes.begin(), bytes.end(), prefix, prefix + kCanaryPrefix.size()) != bytes.end();
  m_plaintext.check(!canary, "a message body appeared in " + std::string(where));
  bool key = false;
  Window w{};
  for (std::size_t i = 0; !key && i + 16 <= bytes.size(); ++i) {
    const std::size_t window_prefix =
        (std::size_t{bytes[i]} << 16) | (std::size_t{bytes[i + 1]} << 8) | bytes[i + 2];
    if (!m_prefix[window_prefix]) {
      continue;
    }
    std::copy_n(bytes.begin() + static_cast<std::ptrdiff_t>(i), 16, w.begin());
    key = m_secrets.contains(w);
  }
  m_keys.check(!key, "a phone's secret key appeared in " + std::string(where));
}

std::vector<InvariantResult> SecrecyChecker::results() const {
  return {m_plaintext.result(), m_keys.result()};
}

void SecrecyChecker::judge(std::vector<InvariantResult>& out) const {
  for (const InvariantResult& i : results()) {
    out.push_back(i);
  }
}

void KeyReuseChecker::used(const std::string& key_id, const std::string& who) {
  auto [it, fresh] = m_seen.emplace(key_id, who);
  m_invariant.check(fresh, "message key " + key_id + " used by " + it->second + " and " + who);
}

}  // namespace spmc::sim
