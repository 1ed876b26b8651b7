#pragma once
// RapidCheck generators for certificates and key shares (valid values only: the codec
// properties mutate their encodings to reach invalid ones).
#include <rapidcheck.h>

#include <algorithm>
#include <set>

#include "spmc/certificate.hpp"
#include "spmc/key_share.hpp"

namespace spmc::testgen {

inline rc::Gen<std::string> user_id() {
  static const std::string kChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, 65), [](std::size_t n) {
    return rc::gen::container<std::string>(n, rc::gen::elementOf(kChars));
  });
}

template <std::size_t N>
rc::Gen<std::array<std::uint8_t, N>> byte_array() {
  return rc::gen::map(
      rc::gen::container<std::vector<std::uint8_t>>(N, rc::gen::arbitrary<std::uint8_t>()),
      [](const std::vector<std::uint8_t>& v) {
        std::array<std::uint8_t, N> out{};
        std::copy(v.begin(), v.end(), out.begin());
        return out;
      });
}

inline rc::Gen<cert::Certificate> certificate() {
  return rc::gen::build<cert::Certificate>(
      rc::gen::set(&cert::Certificate::serial),
      rc::gen::set(&cert::Certificate::user_id, user_id()),
      rc::gen::set(&cert::Certificate::usage,
                   rc::gen::element(cert::Usage::kSignature, cert::Usage::kEncryption)),
      rc::gen::set(&cert::Certificate::public_key, byte_array<32>()),
      rc::gen::set(&cert::Certificate::not_before_ms),
      rc::gen::set(&cert::Certificate::not_after_ms),
      rc::gen::set(&cert::Certificate::signature, byte_array<64>()));
}

inline rc::Gen<keyshare::Lifetime> lifetime() {
  return rc::gen::oneOf(rc::gen::just(keyshare::Lifetime::session()),
                        rc::gen::map(rc::gen::inRange<TimeMs>(1, UINT64_MAX),
                                     [](TimeMs ms) { return keyshare::Lifetime::duration(ms); }));
}

inline rc::Gen<group::GroupPart> group_part() {
  return rc::gen::build<group::GroupPart>(
      rc::gen::set(&group::GroupPart::group_id, user_id()), rc::gen::set(&group::GroupPart::epoch),
      rc::gen::set(&group::GroupPart::members,
                   rc::gen::resize(20, rc::gen::nonEmpty(
                                           rc::gen::unique<std::vector<std::string>>(user_id())))));
}

inline rc::Gen<keyshare::KeySharePlain> key_share_plain() {
  return rc::gen::exec([] {
    keyshare::KeySharePlain p;
    p.timestamp_ms = *rc::gen::arbitrary<TimeMs>();
    p.lifetime = *lifetime();
    p.suite = *rc::gen::element(Suite::kAes128, Suite::kAes256);
    for (Block& n : p.seed) {
      n = *byte_array<16>();
    }
    p.master_key =
        *rc::gen::container<Bytes>(master_key_size(p.suite), rc::gen::arbitrary<std::uint8_t>());
    if (*rc::gen::arbitrary<bool>()) {
      p.group = *group_part();
    }
    return p;
  });
}

inline rc::Gen<keyshare::KeyShareMessage> key_share_message() {
  return rc::gen::exec([] {
    keyshare::KeyShareMessage m;
    m.sender_id = *user_id();
    m.recipient_id = *user_id();
    const auto size =
        *rc::gen::inRange<std::size_t>(keyshare::kMinSealedSize, keyshare::kMaxSealedSize + 1);
    m.sealed = *rc::gen::container<Bytes>(size, rc::gen::arbitrary<std::uint8_t>());
    if (*rc::gen::arbitrary<bool>()) {
      m.signature = *byte_array<64>();
    }
    return m;
  });
}

}  // namespace spmc::testgen
