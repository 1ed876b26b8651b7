// SendBatch (ratchet_send_batch.hpp). Sessions are split by suite into two partitions of
// lanes (AES-128: 10 rounds, AES-256: 14), one lane per session. A lane's four slots are kept
// rotated so that every lane's current slot sits at the same position, m_step % 4: a session
// adopted at batch step t with counter c stores slot j at position (j - c + t) mod 4; as t and c
// both advance by one per step, position t mod 4 always holds slot c mod 4 (RAT-002).
// Slots are group-major: group g (lanes 4g..4g+3) has four registers, one per position.
#include "spmc/fast/ratchet_send_batch.hpp"

#include <algorithm>
#include <cstring>

#include "spmc/fast/aesni.hpp"
#include "spmc/secret.hpp"

namespace spmc::ratchet {

namespace {

constexpr std::size_t kRegBytes = fast::aesni::kRegisterBytes;

// One 512-bit register: four lanes' blocks, aligned for aligned vector loads.
struct alignas(64) RegBytes {
  std::array<Block, 4> lane{};
  std::uint8_t* bytes() { return lane.front().data(); }
  const std::uint8_t* bytes() const { return lane.front().data(); }
};
// Holds slots or round keys (RAT-010): each register wipes itself when destroyed or moved
// from, so a vector of them leaves no key behind when it grows or is freed.
using Reg = Secret<RegBytes>;
static_assert(sizeof(Reg) == kRegBytes);
static_assert(alignof(Reg) == kRegBytes);

// Appends `count` zero registers.
void grow(std::vector<Reg>& regs, std::size_t count) {
  if (regs.size() + count > regs.capacity()) {
    regs.reserve(std::max(2 * regs.capacity(), regs.size() + count));
  }
  regs.resize(regs.size() + count);
}

std::size_t position(std::uint32_t slot, std::uint32_t counter, std::uint32_t step) {
  return (slot - counter + step) % 4;  // unsigned wrap-around is mod 2^32, a multiple of 4
}

// The sessions of one suite.
struct Partition {
  int rounds = 0;
  std::vector<std::uint32_t> session;   // lane -> session index
  std::vector<std::size_t> key_offset;  // lane -> byte offset of its MessageKey::key in `out`
  std::vector<Reg> slots;               // group-major: slots[4 * g + position]
  std::vector<Reg> round_keys;          // wide path: group g at [(rounds + 1) * g, ...)
  std::vector<std::unique_ptr<crypto::AesBlockCipher>> ciphers;  // other paths, per lane
  std::vector<const crypto::AesBlockCipher*> cipher_ptrs;
  std::vector<Block*> slot_ptrs;  // scratch of the non-wide step
  std::vector<Block*> key_ptrs;

  Block& slot(std::size_t lane, std::size_t pos) {
    return slots[4 * (lane / 4) + pos].lane[lane % 4];
  }
  const Block& slot(std::size_t lane, std::size_t pos) const {
    return slots[4 * (lane / 4) + pos].lane[lane % 4];
  }
};

}  // namespace

struct SendBatch::Impl {
  BatchPath path = BatchPath::kAuto;
  bool wide = false;
  std::array<Partition, 2> parts;          // [0] AES-128, [1] AES-256
  std::vector<Suite> suites;               // per session
  std::vector<Secret<Bytes>> master_keys;  // per session (to give the chain back)
  // Per session, its counter minus `step` (mod 2^32): all counters advance together, so a
  // step only reads these (counter = base + step) and writes nothing back.
  std::vector<std::uint32_t> counter_base;
  std::vector<std::uint32_t> lane;  // session -> lane in its partition
  std::uint32_t step = 0;           // steps taken, mod 2^32 (only step % 4 matters)
  std::uint32_t max_counter = 0;

  std::uint32_t counter(std::size_t session) const { return counter_base[session] + step; }

  // The session's slots in SendChain order (slot j of its current counter).
  void copy_slots(std::size_t session, std::array<Block, 4>& out) const {
    const Partition& p = part(session);
    for (std::uint32_t j = 0; j < 4; ++j) {
      out[j] = p.slot(lane[session], position(j, counter(session), step));
    }
  }

  static std::size_t part_of(Suite s) { return s == Suite::kAes128 ? 0 : 1; }
  Partition& part(std::size_t session) { return parts[part_of(suites[session])]; }
  const Partition& part(std::size_t session) const { return parts[part_of(suites[session])]; }

  void add_keys(Partition& p, std::size_t l, ByteView key) {
    if (wide) {
      Secret<fast::aesni::Schedule> s;
      fast::aesni::expand(key, s);
      const auto group_regs = static_cast<std::size_t>(p.rounds) + 1;
      for (std::size_t r = 0; r < group_regs; ++r) {
        std::memcpy(p.round_keys[group_regs * (l / 4) + r].lane[l % 4].data(),
                    s.round_keys.data() + 16 * r, 16);
      }
      return;
    }
    const auto aes =
        path == BatchPath::kPortable ? crypto::AesPath::kPortable : crypto::AesPath::kAuto;
    p.ciphers.push_back(std::make_unique<crypto::AesBlockCipher>(key, aes));
    p.cipher_ptrs.push_back(p.ciphers.back().get());
  }

  void step_part(Partition& p, std::span<MessageKey> out) {
    const std::size_t lanes = p.session.size();
    if (lanes == 0) {
      return;
    }
    const std::size_t pos = step % 4;
    if (wide) {
      const fast::aesni::PackedOut o{out.front().key.data(), p.key_offset.data()};
      fast::aesni::step_packed(p.rounds, lanes, p.round_keys.front().bytes(), p.slots[pos].bytes(),
                               4 * kRegBytes, o);
      return;
    }
    p.slot_ptrs.resize(lanes);
    p.key_ptrs.resize(lanes);
    for (std::size_t l = 0; l < lanes; ++l) {
      p.slot_ptrs[l] = &p.slot(l, pos);
      p.key_ptrs[l] = &out[p.session[l]].key;
    }
    crypto::aes_ratchet_step_many(p.cipher_ptrs, p.slot_ptrs, p.key_ptrs, false);
  }
};

SendBatch::SendBatch(BatchPath path) : m_impl(std::make_unique<Impl>()) {
  m_impl->path = path;
  m_impl->wide = path == BatchPath::kAuto && fast::aesni::wide_available();
  m_impl->parts[0].rounds = 10;
  m_impl->parts[1].rounds = 14;
}

SendBatch::SendBatch(std::vector<SendChain> chains, BatchPath path) : SendBatch(path) {
  m_impl->master_keys.reserve(chains.size());
  for (SendChain& c : chains) {
    add(std::move(c));
  }
}

SendBatch::~SendBatch() = default;
SendBatch::SendBatch(SendBatch&&) noexcept = default;
SendBatch& SendBatch::operator=(SendBatch&&) noexcept = default;

std::size_t SendBatch::add(SendChain&& chain) {
  SPMC_CHECK(m_impl != nullptr);
  Impl& im = *m_impl;
  const std::size_t i = im.suites.size();
  SPMC_CHECK(i < 0xffffffffU);
  // Adopted, not copied: the chain is left wiped and its key schedule freed (wiped).
  SendChain::State state = std::move(chain).take_state();
  im.suites.push_back(state.suite);
  im.counter_base.push_back(state.next - im.step);
  im.max_counter = std::max(im.max_counter, state.next);
  Partition& p = im.part(i);
  const std::size_t l = p.session.size();
  im.lane.push_back(static_cast<std::uint32_t>(l));
  p.session.push_back(static_cast<std::uint32_t>(i));
  p.key_offset.push_back(i * sizeof(MessageKey));  // from out[0].key to out[i].key
  if (l % 4 == 0) {
    grow(p.slots, 4);
    if (im.wide) {
      grow(p.round_keys, static_cast<std::size_t>(p.rounds) + 1);
    }
  }
  for (std::uint32_t j = 0; j < 4; ++j) {
    p.slot(l, position(j, state.next, im.step)) = state.slots[j];
  }
  im.add_keys(p, l, state.master_key);
  im.master_keys.push_back(std::move(state.master_key));
  return i;
}

Status SendBatch::step_all(std::span<MessageKey> out) {
  SPMC_CHECK(m_impl != nullptr && out.size() == size());
  Impl& im = *m_impl;
  if (out.empty()) {
    return ok_status();
  }
  // RAT-003: the counter kCounterLimit is never used; all sessions move together or none.
  if (im.max_counter >= kCounterLimit) {
    return make_error(ErrorCode::kBadState,
                      "a send counter is exhausted: a new key share is needed");
  }
  // RAT-002, RAT-010: each current slot is overwritten in place.
  for (Partition& p : im.parts) {
    im.step_part(p, out);
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].counter = im.counter_base[i] + im.step;
  }
  ++im.step;
  ++im.max_counter;
  return ok_status();
}

std::size_t SendBatch::size() const { return m_impl ? m_impl->suites.size() : 0; }

bool SendBatch::wide() const { return m_impl && m_impl->wide; }

Suite SendBatch::suite(std::size_t session) const {
  SPMC_CHECK(session < size());
  return m_impl->suites[session];
}

std::uint32_t SendBatch::next_counter(std::size_t session) const {
  SPMC_CHECK(session < size());
  return m_impl->counter(session);
}

std::array<Block, 4> SendBatch::slots(std::size_t session) const {
  SPMC_CHECK(session < size());
  std::array<Block, 4> out{};
  m_impl->copy_slots(session, out);
  return out;
}

std::vector<SendChain> SendBatch::release() {
  std::vector<SendChain> out;
  if (!m_impl) {
    return out;
  }
  out.reserve(size());
  for (std::size_t i = 0; i < size(); ++i) {
    SendChain::State state{
        m_impl->suites[i], std::move(m_impl->master_keys[i]), {}, m_impl->counter(i)};
    m_impl->copy_slots(i, state.slots);
    out.emplace_back(std::move(state));
  }
  *this = SendBatch(m_impl->path);  // the old state wipes itself as Impl is destroyed
  return out;
}

}  // namespace spmc::ratchet
