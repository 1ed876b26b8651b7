// Group fan-out for one sender: one ratchet step, one seal, and the relay's N copies of
// the same bytes (GroupSend); and the organiser's key share distribution, one sealed share
// per member (GroupShareDistribution). A group share holds at most ~210 member ids in its
// 4096-byte sealed box (KS-002), so 1000 members are served as five 200-member shares:
// the figure for 1000 is that per-member cost times 1000, said so in the label.
#include <benchmark/benchmark.h>

#include <string>

#include "bench_common.hpp"
#include "spmc/envelope.hpp"
#include "spmc/group_state.hpp"
#include "spmc/key_share.hpp"

namespace spmc::bench {
namespace {

constexpr TimeMs kNow = 1'000'000;

void BM_GroupSend(benchmark::State& state) {
  const auto members = static_cast<std::size_t>(state.range(0));
  auto chains = make_send_chains(1, Suite::kAes128);
  const envelope::AppPayload payload{envelope::ContentType::kText, Bytes(64, 0x65)};
  std::vector<Bytes> outboxes(members);  // one per member: the relay's per-recipient queue
  for (auto _ : state) {
    const ratchet::MessageKey mk = *chains.front()->next();
    const envelope::EnvelopeHeader h{
        envelope::Kind::kGroup, "alice", "g", kNow, 1, 0, mk.counter, kNow};
    const Bytes wire = envelope::seal(h, mk.key, payload);
    for (Bytes& box : outboxes) {
      box.assign(wire.begin(), wire.end());
    }
    benchmark::DoNotOptimize(outboxes.data());
  }
  state.SetItemsProcessed(state.iterations());  // items: whole group sends
}
BENCHMARK(BM_GroupSend)->Arg(10)->Arg(100)->Arg(1000);

struct Member {
  std::string id;
  crypto::X25519KeyPair enc;
};

void BM_GroupShareDistribution(benchmark::State& state) {
  const auto members = static_cast<std::size_t>(state.range(0));
  const std::size_t per_share = std::min<std::size_t>(members, 200);
  const Profile& profile = hardened_profile();
  DeterministicRng rng(14, "bench group share");
  const crypto::Ed25519KeyPair organiser = crypto::ed25519_generate(rng);
  std::vector<Member> pool;
  for (std::size_t i = 0; i < members; ++i) {
    pool.push_back(Member{"member-" + std::to_string(i), crypto::x25519_generate(rng)});
  }
  for (auto _ : state) {
    for (std::size_t begin = 0; begin < members; begin += per_share) {
      std::vector<std::string> others;  // the organiser is member 0 of every share
      for (std::size_t i = begin; i < begin + per_share && i < members; ++i) {
        others.push_back(pool[i].id);
      }
      std::string group_id = "g";  // appended, not "g" + ...: GCC 12 -Wrestrict false positive
      group_id += std::to_string(begin);
      auto group = group::GroupState::create(rng, profile, group_id, "org", others, Suite::kAes128,
                                             keyshare::Lifetime::session(), kNow);
      const group::MembershipChange d = group->distribution();
      for (std::size_t k = 0; k < d.recipients.size(); ++k) {
        Bytes wire = keyshare::seal(rng, profile, d.share, "org", d.recipients[k],
                                    pool[begin + k].enc.public_key, &organiser.secret_key);
        benchmark::DoNotOptimize(wire);
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));  // items: members served
  state.SetLabel(members > per_share ? "shares of 200 members" : "one share");
}
BENCHMARK(BM_GroupShareDistribution)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace spmc::bench
