// The reliable channel (CH-001..CH-008) delivers every payload exactly once and in order
// over a link that loses, duplicates and reorders frames.
#include "spmc/channel.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "spmc/rng.hpp"

namespace spmc::channel {
namespace {

struct InFlight {
  TimeMs at;
  std::uint64_t order;
  bool to_b;
  Bytes frame;
};

// A lossy, duplicating, reordering link driven by a seeded RNG.
void run_lossy_link(std::uint64_t seed, std::size_t messages, std::vector<Bytes>& received) {
  DeterministicRng rng(seed, "channel-test");
  Endpoint a(7, Config{});
  Endpoint b(7, Config{});
  std::vector<InFlight> wire;
  std::uint64_t order = 0;
  TimeMs now = 0;
  auto put = [&](bool to_b, std::vector<Bytes>& out) {
    for (Bytes& f : out) {
      if (rng.uniform(100) < 20) {
        continue;  // lost
      }
      const int copies = rng.uniform(100) < 10 ? 2 : 1;
      for (int c = 0; c < copies; ++c) {
        wire.push_back({now + 1 + rng.uniform(50), order++, to_b, f});
      }
    }
    out.clear();
  };
  std::vector<Bytes> out;
  for (std::size_t i = 0; i < messages; ++i) {
    ASSERT_TRUE(
        a.send(Bytes{static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8)}, now, out)
            .ok());
    put(true, out);
  }
  for (int step = 0; step < 200000 && !(a.idle() && wire.empty()); ++step) {
    if (wire.empty()) {
      now = std::max(now, a.next_deadline());
      a.on_timer(now, out);
      put(true, out);
      continue;
    }
    auto it = std::min_element(wire.begin(), wire.end(), [](const auto& x, const auto& y) {
      return x.at != y.at ? x.at < y.at : x.order < y.order;
    });
    InFlight f = std::move(*it);
    wire.erase(it);
    now = std::max(now, f.at);
    a.on_timer(now, out);
    put(true, out);
    Endpoint& dst = f.to_b ? b : a;
    auto got = dst.on_frame(f.frame, now, out);
    ASSERT_TRUE(got.ok());
    put(!f.to_b, out);
    for (Bytes& p : *got) {
      received.push_back(std::move(p));
    }
  }
}

TEST(Channel, LossyLinkDeliversEveryPayloadOnceInOrder) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    std::vector<Bytes> received;
    run_lossy_link(seed, 300, received);
    ASSERT_EQ(received.size(), 300U) << "seed " << seed;
    for (std::size_t i = 0; i < received.size(); ++i) {
      EXPECT_EQ(received[i],
                (Bytes{static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8)}))
          << "seed " << seed << " index " << i;
    }
  }
}

TEST(Channel, FramesOfAnotherSessionAreIgnored) {
  Endpoint a(1, Config{});
  Endpoint b(2, Config{});
  std::vector<Bytes> out;
  ASSERT_TRUE(a.send(Bytes{1}, 0, out).ok());
  std::vector<Bytes> acks;
  auto got = b.on_frame(out.at(0), 0, acks);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->empty());
  EXPECT_TRUE(acks.empty());
}

TEST(Channel, AckBeyondWhatWasSentIsRejected) {
  Endpoint a(1, Config{});
  std::vector<Bytes> out;
  const Bytes forged = encode(Frame{FrameKind::kAck, 1, 5, {}});
  auto got = a.on_frame(forged, 0, out);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.code(), ErrorCode::kBadValue);
}

TEST(Channel, DecodeRejectsUnknownKindAndTrailingBytes) {
  Bytes bad = encode(Frame{FrameKind::kAck, 1, 0, {}});
  bad[0] = 9;
  EXPECT_EQ(decode(bad).code(), ErrorCode::kBadValue);
  Bytes trailing = encode(Frame{FrameKind::kAck, 1, 0, {}});
  trailing.push_back(0);
  EXPECT_EQ(decode(trailing).code(), ErrorCode::kTrailingBytes);
}

TEST(Channel, SendQueueIsBounded) {
  Config config;
  config.window = 1;
  config.queue_max = 2;
  Endpoint a(1, config);
  std::vector<Bytes> out;
  EXPECT_TRUE(a.send(Bytes{1}, 0, out).ok());  // in flight
  EXPECT_TRUE(a.send(Bytes{2}, 0, out).ok());
  EXPECT_TRUE(a.send(Bytes{3}, 0, out).ok());
  EXPECT_EQ(a.send(Bytes{4}, 0, out).code(), ErrorCode::kQueueFull);
}

}  // namespace
}  // namespace spmc::channel
