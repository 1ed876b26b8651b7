// Per message: ratchet step + envelope seal (send) and decode + open_with_chain (receive),
// against AES-GCM alone with a fresh key per message (what the send path must do) and with
// one fixed key.
#include <benchmark/benchmark.h>

#include "bench_common.hpp"
#include "spmc/envelope.hpp"

namespace spmc::bench {
namespace {

envelope::EnvelopeHeader header_for(std::uint32_t counter) {
  return envelope::EnvelopeHeader{
      envelope::Kind::kDirect, "alice", "bob", 1000, 0, 0, counter, 2000};
}

void BM_SendMessage(benchmark::State& state) {
  auto chains = make_send_chains(1, Suite::kAes128);
  ratchet::SendChain& chain = *chains.front();
  const envelope::AppPayload payload{envelope::ContentType::kText,
                                     Bytes(static_cast<std::size_t>(state.range(0)), 0x61)};
  for (auto _ : state) {
    const ratchet::MessageKey mk = *chain.next();
    Bytes wire = envelope::seal(header_for(mk.counter), mk.key, payload);
    benchmark::DoNotOptimize(wire);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SendMessage)->Arg(64)->Arg(1024);

// BM_SendMessage without the ratchet: the same envelope::seal, the key changed per message as
// BM_AeadSeal's fresh key is. BM_SendMessage minus this is what the ratchet costs in the send
// path (its step is latency a seal waits on, not BM_RatchetSend's overlapped throughput).
void BM_SendMessageNoRatchet(benchmark::State& state) {
  DeterministicRng rng(14, "bench send no ratchet");
  Block key = rng.block();
  const envelope::AppPayload payload{envelope::ContentType::kText,
                                     Bytes(static_cast<std::size_t>(state.range(0)), 0x61)};
  std::uint32_t counter = 0;
  for (auto _ : state) {
    key[counter % 16] ^= 0x5a;
    Bytes wire = envelope::seal(header_for(counter++), key, payload);
    benchmark::DoNotOptimize(wire);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SendMessageNoRatchet)->Arg(64)->Arg(1024);

// Envelopes are made once; the receive chain restarts from the seed when they run out.
void BM_ReceiveMessage(benchmark::State& state) {
  constexpr std::uint32_t kBatch = 4096;
  DeterministicRng rng(10, "bench receive message");
  const Bytes key = rng.bytes(16);
  const ratchet::SeedFile seed = make_seed(rng);
  ratchet::SendChain sender(Suite::kAes128, key, seed);
  const envelope::AppPayload payload{envelope::ContentType::kText,
                                     Bytes(static_cast<std::size_t>(state.range(0)), 0x62)};
  std::vector<Bytes> wires;
  for (std::uint32_t i = 0; i < kBatch; ++i) {
    const ratchet::MessageKey mk = *sender.next();
    wires.push_back(envelope::seal(header_for(mk.counter), mk.key, payload));
  }
  auto receiver = std::make_unique<ratchet::ReceiveChain>(Suite::kAes128, key, seed, Limits{});
  std::uint32_t i = 0;
  for (auto _ : state) {
    if (i == kBatch) {
      state.PauseTiming();
      receiver = std::make_unique<ratchet::ReceiveChain>(Suite::kAes128, key, seed, Limits{});
      i = 0;
      state.ResumeTiming();
    }
    auto env = envelope::decode_envelope(wires[i++]);
    auto opened = envelope::open_with_chain(*env, *receiver);
    if (!opened.ok()) {
      state.SkipWithError("open failed");
      break;
    }
    benchmark::DoNotOptimize(opened);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReceiveMessage)->Arg(64)->Arg(1024);

// GCM seal alone; range(1) = 1: a new key every message (as under the ratchet).
void BM_AeadSeal(benchmark::State& state) {
  DeterministicRng rng(11, "bench aead");
  Block key = rng.block();
  const Bytes body(static_cast<std::size_t>(state.range(0)), 0x63);
  const Bytes aad(40, 0x01);  // about an encoded direct header
  const bool fresh = state.range(1) == 1;
  std::uint32_t counter = 0;
  for (auto _ : state) {
    if (fresh) {
      key[counter % 16] ^= 0x5a;
    }
    Bytes ct = crypto::aes_gcm_seal(key, envelope::nonce_for(counter++), aad, body);
    benchmark::DoNotOptimize(ct);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_AeadSeal)->ArgsProduct({{64, 1024}, {0, 1}})->ArgNames({"bytes", "fresh_key"});

// GCM seal of as many bytes as an envelope seals (ENV-002/ENV-003): the encoded AppPayload
// (type, length, body: 5 bytes more than the body) under an encoded header as AAD, fresh key,
// both encoded once outside the loop (GCM's cost does not depend on the bytes' values), into a
// buffer allocated per message as the others do. Against BM_AeadSeal it is the wire format's
// extra GCM work; against BM_SendMessageNoRatchet, what encoding the envelope costs.
void BM_AeadSealEnvelopeBytes(benchmark::State& state) {
  DeterministicRng rng(13, "bench aead envelope bytes");
  Block key = rng.block();
  const Bytes plain = envelope::encode(envelope::AppPayload{
      envelope::ContentType::kText, Bytes(static_cast<std::size_t>(state.range(0)), 0x61)});
  const Bytes aad = envelope::encode_header(header_for(0));
  std::uint32_t counter = 0;
  for (auto _ : state) {
    key[counter % 16] ^= 0x5a;
    Bytes ct = crypto::aes_gcm_seal(key, envelope::nonce_for(counter++), aad, plain);
    benchmark::DoNotOptimize(ct);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AeadSealEnvelopeBytes)->Arg(64)->Arg(1024);

// GCM open alone (the receive path's AEAD). The facade sets the key on every call, so a
// fixed key here costs what a fresh one does.
void BM_AeadOpen(benchmark::State& state) {
  DeterministicRng rng(12, "bench aead open");
  const Block key = rng.block();
  const Bytes body(static_cast<std::size_t>(state.range(0)), 0x64);
  const Bytes aad(40, 0x01);
  const Bytes ct = crypto::aes_gcm_seal(key, envelope::nonce_for(0), aad, body);
  for (auto _ : state) {
    auto pt = crypto::aes_gcm_open(key, envelope::nonce_for(0), aad, ct);
    benchmark::DoNotOptimize(pt);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AeadOpen)->Arg(64)->Arg(1024);

}  // namespace
}  // namespace spmc::bench
