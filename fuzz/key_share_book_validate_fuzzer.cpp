// KeyShareBook::validate / accept (KS-010..KS-015): fuzzer-chosen shares from a few
// senders at fuzzer-chosen times. A rejected share changes nothing (KS-015); an accepted
// one cannot be accepted again (KS-010 replay); the stored book always round-trips.
#include <fuzzer/FuzzedDataProvider.h>

#include "fuzz_support.hpp"
#include "spmc/key_share_book.hpp"

namespace {

using namespace spmc;

const char* const kUsers[] = {"alice", "bob", "carol", "dave"};

std::string pick_user(FuzzedDataProvider& in) {
  return kUsers[in.ConsumeIntegralInRange<std::size_t>(0, 3)];
}

// Either raw bytes through decode_plain (the wire path), or a share built field by field
// so the checks themselves are reached often.
std::optional<keyshare::KeySharePlain> pick_share(FuzzedDataProvider& in) {
  if (in.ConsumeBool()) {
    const Bytes raw = in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 400));
    auto plain = keyshare::decode_plain(raw);
    return plain.ok() ? std::optional(*plain) : std::nullopt;
  }
  keyshare::KeySharePlain p;
  p.timestamp_ms = in.ConsumeIntegralInRange<TimeMs>(0, 1'000'000);
  if (in.ConsumeBool()) {
    p.lifetime = keyshare::Lifetime::duration(in.ConsumeIntegralInRange<TimeMs>(1, 1'000'000));
  }
  p.master_key.assign(16, 0x33);
  if (in.ConsumeBool()) {
    group::GroupPart g;
    g.group_id = "g" + std::to_string(in.ConsumeIntegralInRange<int>(0, 2));
    g.epoch = in.ConsumeIntegralInRange<std::uint32_t>(0, 3);
    const std::size_t first = in.ConsumeIntegralInRange<std::size_t>(0, 3);
    const std::size_t members = in.ConsumeIntegralInRange<std::size_t>(1, 4);
    for (std::size_t i = 0; i < members; ++i) {
      g.members.emplace_back(kUsers[(first + i) % 4]);
    }
    p.group = std::move(g);
  }
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  Limits limits;
  limits.max_future_skew_ms = 1000;
  keyshare::KeyShareBook book("alice");
  for (int step = 0; step < 32 && in.remaining_bytes() > 0; ++step) {
    const std::string sender = pick_user(in);
    const TimeMs now = in.ConsumeIntegralInRange<TimeMs>(0, 1'100'000);
    if (in.ConsumeBool()) {  // a message under some held share: must not crash
      (void)book.check_message_time(sender, in.ConsumeIntegralInRange<TimeMs>(0, 1'000'000),
                                    in.ConsumeIntegral<TimeMs>(), now, limits);
      continue;
    }
    auto share = pick_share(in);
    if (!share) {
      continue;
    }
    const Bytes before = keyshare::encode(book);
    auto accepted = book.validate(*share, sender, now, limits);
    SPMC_FUZZ_CHECK(keyshare::encode(book) == before);
    if (!accepted.ok()) {
      continue;
    }
    book.accept(std::move(*accepted));
    auto again = book.validate(*share, sender, now, limits);
    SPMC_FUZZ_CHECK(!again.ok() && again.code() == ErrorCode::kReplay);
    auto decoded = keyshare::decode_book(keyshare::encode(book));
    SPMC_FUZZ_CHECK(decoded.ok() && *decoded == book);
  }
  return 0;
}
