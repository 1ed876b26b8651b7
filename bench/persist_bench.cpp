// Persisting the phone's store (STO-009..STO-012, issue 17): what a phone call that changed the
// state pays at its end (reference/src/phone_persist.cpp), for a phone with N = 0, 1, 10,
// 100 contacts. The state is built by running reference phones in a sim::LoopbackWorld: phone 0
// befriends phones 1..N, then each pair exchanges kMessages texts each way, so every contact
// holds a send chain and a receive chain that have stepped, and the history holds the texts.
//   BM_PhoneStateEncode/N     encode_state (STO-010) alone
//   BM_PhoneStateUnchanged/N  encode + the content digest: a call that changed nothing
//   BM_PhoneStatePersist/N    encode + digest + generation stamp + LocalStore::seal (AES-256-GCM
//                             under the storage key): the whole write path, as Phone::persist
// Counters: state_bytes (the plaintext encoding) and file_bytes (the store file, STO-001, that
// PhoneEffects::persist receives: the one phone 0 last wrote in the world, checked equal in size
// to the one sealed here).
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "spmc/crypto.hpp"
#include "spmc/phone_store.hpp"
#include "spmc/rng.hpp"
#include "spmc/sim/loopback.hpp"
#include "spmc/storage.hpp"

namespace spmc::bench {
namespace {

constexpr int kMessages = 3;  // texts each way per contact

struct HubWorld {
  std::unique_ptr<sim::LoopbackWorld> world;
  std::size_t hub = 0;
};

// One world per N, built on first use (100 contacts take a while to sign up and befriend).
const HubWorld& hub_world(std::size_t contacts) {
  static std::map<std::size_t, HubWorld> worlds;
  auto it = worlds.find(contacts);
  if (it != worlds.end()) {
    return it->second;
  }
  HubWorld h;
  h.world = std::make_unique<sim::LoopbackWorld>(paper_profile(), 17 + contacts);
  sim::LoopbackWorld& w = *h.world;
  h.hub = w.add_signed_up_phone("hub@bench.org");
  std::vector<std::size_t> others;
  for (std::size_t i = 0; i < contacts; ++i) {
    std::string email = std::to_string(i);  // built by append: GCC 12's -O3 -Wrestrict
    email += "@bench.org";                  // misfires on "c" + std::to_string(i)
    others.push_back(w.add_signed_up_phone(email));
  }
  for (const std::size_t o : others) {
    w.befriend(h.hub, o);
  }
  const std::string hub_id = w.phone(h.hub).state().user_id;
  for (int m = 0; m < kMessages; ++m) {
    for (const std::size_t o : others) {
      const std::string o_id = w.phone(o).state().user_id;
      const std::string text = "message " + std::to_string(m);
      (void)w.phone(h.hub).send_text(o_id, bytes_of(text + " to " + o_id), w.effects(h.hub));
      (void)w.phone(o).send_text(hub_id, bytes_of(text + " from " + o_id), w.effects(o));
    }
    w.run();
  }
  return worlds.emplace(contacts, std::move(h)).first->second;
}

// The phone's state, with a check that the world built what the benchmark claims.
const phone::PersistentState* hub_state(benchmark::State& state) {
  const HubWorld& h = hub_world(static_cast<std::size_t>(state.range(0)));
  const phone::PersistentState& s = h.world->phone(h.hub).state();
  std::size_t ready = 0;
  for (const auto& [id, c] : s.contacts) {
    ready += c.send.has_value() && !c.receive.empty() ? 1 : 0;
  }
  if (ready != static_cast<std::size_t>(state.range(0))) {
    state.SkipWithError("a contact lacks a send or a receive chain");
    return nullptr;
  }
  return &s;
}

void set_sizes(benchmark::State& state, std::size_t state_bytes) {
  const HubWorld& h = hub_world(static_cast<std::size_t>(state.range(0)));
  state.counters["state_bytes"] = static_cast<double>(state_bytes);
  state.counters["file_bytes"] = static_cast<double>(h.world->store_file(h.hub).size());
  state.counters["contacts"] = static_cast<double>(state.range(0));
}

void BM_PhoneStateEncode(benchmark::State& state) {
  const phone::PersistentState* s = hub_state(state);
  if (s == nullptr) {
    return;
  }
  std::size_t bytes = 0;
  for (auto _ : state) {
    Bytes plain = phone::encode_state(*s);
    bytes = plain.size();
    benchmark::DoNotOptimize(plain.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  set_sizes(state, bytes);
}

void BM_PhoneStateUnchanged(benchmark::State& state) {
  const phone::PersistentState* s = hub_state(state);
  if (s == nullptr) {
    return;
  }
  std::size_t bytes = 0;
  for (auto _ : state) {
    Bytes plain = phone::encode_state(*s);
    bytes = plain.size();
    const crypto::Digest d = crypto::sha256(ByteView(plain).first(bytes - phone::kGenerationSize));
    benchmark::DoNotOptimize(d);
    secure_wipe(plain);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  set_sizes(state, bytes);
}

void BM_PhoneStatePersist(benchmark::State& state) {
  const phone::PersistentState* s = hub_state(state);
  if (s == nullptr) {
    return;
  }
  DeterministicRng rng(19, "bench persist");
  auto store = storage::LocalStore::create(rng, paper_profile(), "1234", phone::encode_state(*s));
  std::uint64_t generation = s->store_generation;
  std::size_t bytes = 0;
  const crypto::Digest persisted{};  // no state's digest: every call writes, as after a change
  for (auto _ : state) {
    Bytes plain = phone::encode_state(*s);
    bytes = plain.size();
    const crypto::Digest d = crypto::sha256(ByteView(plain).first(bytes - phone::kGenerationSize));
    const bool changed = d != persisted;
    benchmark::DoNotOptimize(changed);
    ++generation;
    for (std::size_t i = 0; i < phone::kGenerationSize; ++i) {
      plain[bytes - 1 - i] = static_cast<std::uint8_t>(generation >> (8 * i));
    }
    store.seal(rng, plain);
    benchmark::DoNotOptimize(store.file().data());
    secure_wipe(plain);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  set_sizes(state, bytes);
  const HubWorld& h = hub_world(static_cast<std::size_t>(state.range(0)));
  if (store.file().size() != h.world->store_file(h.hub).size()) {
    state.SkipWithError("the sealed file's size differs from the phone's store file");
  }
}

BENCHMARK(BM_PhoneStateEncode)->Arg(0)->Arg(1)->Arg(10)->Arg(100)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PhoneStateUnchanged)->Arg(0)->Arg(1)->Arg(10)->Arg(100)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PhoneStatePersist)->Arg(0)->Arg(1)->Arg(10)->Arg(100)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace spmc::bench
