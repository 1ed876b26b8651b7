// spmc_receive_count: the receive path's steps run N times each, for counting the instructions
// they cost with valgrind (bench/instructions_per_message.sh). Instruction counts, unlike
// times, do not move with the load of a shared machine, so a change to a codec or to the
// ratchet can be compared with another commit exactly: build this file against each tree's
// libraries and compare the counts. It uses only the public envelope and ratchet interfaces.
//
//   spmc_receive_count MODE N     MODE: none | decode | header | payload | open | prepare |
//                                       receive
//
// `none` makes the envelopes and stops: the others' counts minus its count, over N, is the
// cost per message of that step alone.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include "spmc/envelope.hpp"
#include "spmc/ratchet.hpp"
#include "spmc/rng.hpp"

namespace {

using namespace spmc;  // a one-file tool over the public interfaces

constexpr std::uint32_t kBatch = 4096;  // as BM_ReceiveMessage: the chain restarts after this

envelope::EnvelopeHeader header_for(std::uint32_t counter) {
  return envelope::EnvelopeHeader{
      envelope::Kind::kDirect, "alice", "bob", 1000, 0, 0, counter, 2000};
}

struct Fixture {
  Bytes master_key;
  ratchet::SeedFile seed;
  std::vector<Bytes> wires;
  std::vector<Block> keys;
  envelope::AppPayload payload{envelope::ContentType::kText, Bytes(64, 0x62)};

  Fixture() {
    DeterministicRng rng(10, "receive count");
    master_key = rng.bytes(16);
    for (Block& b : seed.n) {
      b = rng.block();
    }
    ratchet::SendChain sender(Suite::kAes128, master_key, seed);
    for (std::uint32_t i = 0; i < kBatch; ++i) {
      const ratchet::MessageKey mk = *sender.next();
      keys.push_back(mk.key);
      wires.push_back(envelope::seal(header_for(mk.counter), mk.key, payload));
    }
  }
  std::unique_ptr<ratchet::ReceiveChain> fresh_chain() const {
    return std::make_unique<ratchet::ReceiveChain>(Suite::kAes128, master_key, seed, Limits{});
  }
};

// Each returns a number that depends on every iteration, so nothing is optimised away.
std::uint64_t run(std::string_view mode, std::uint64_t n, const Fixture& f) {
  std::uint64_t sink = 0;
  if (mode == "decode") {
    for (std::uint64_t i = 0; i < n; ++i) {
      sink += envelope::decode_envelope(f.wires[i % kBatch])->header.counter;
    }
  } else if (mode == "header") {
    for (std::uint64_t i = 0; i < n; ++i) {
      sink += envelope::encode_header(header_for(static_cast<std::uint32_t>(i))).size();
    }
  } else if (mode == "payload") {
    const Bytes encoded = envelope::encode(f.payload);
    for (std::uint64_t i = 0; i < n; ++i) {
      sink += envelope::decode_payload(encoded)->body.size();
    }
  } else if (mode == "open") {
    std::vector<envelope::Envelope> decoded;
    for (const Bytes& w : f.wires) {
      decoded.push_back(*envelope::decode_envelope(w));
    }
    for (std::uint64_t i = 0; i < n; ++i) {
      sink += envelope::open(decoded[i % kBatch], f.keys[i % kBatch])->body.size();
    }
  } else if (mode == "prepare" || mode == "receive") {
    auto chain = f.fresh_chain();
    for (std::uint64_t i = 0; i < n; ++i) {
      if (i % kBatch == 0) {
        chain = f.fresh_chain();
      }
      if (mode == "prepare") {
        auto pending = chain->prepare(static_cast<std::uint32_t>(i % kBatch));
        chain->commit(std::move(*pending));
        sink += 1;
      } else {
        const auto env = envelope::decode_envelope(f.wires[i % kBatch]);
        sink += envelope::open_with_chain(*env, *chain).ok() ? 1 : 0;
      }
    }
  }
  return sink;
}

}  // namespace

int main(int argc, char** argv) {
  static constexpr std::string_view kModes[] = {"none", "decode",  "header", "payload",
                                                "open", "prepare", "receive"};
  char* end = nullptr;
  const std::uint64_t n = argc == 3 ? std::strtoull(argv[2], &end, 10) : 0;
  const std::string_view mode = argc == 3 ? argv[1] : "";
  bool known = false;
  for (std::string_view m : kModes) {
    known = known || m == mode;
  }
  if (!known || end == argv[2] || *end != '\0' || n == 0) {
    std::fputs("usage: spmc_receive_count none|decode|header|payload|open|prepare|receive N\n",
               stderr);
    return 2;
  }
  const Fixture fixture;
  std::printf("%llu\n", static_cast<unsigned long long>(run(mode, n, fixture)));
  return 0;
}
