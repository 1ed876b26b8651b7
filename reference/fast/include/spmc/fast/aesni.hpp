#pragma once
// The AES-NI and VAES fast paths behind crypto::AesBlockCipher and the batch ratchet
// (spmc_fastcrypto; only the crypto facade's implementation and ratchet::SendBatch include
// this header, never protocol code). Chosen at run time: available() asks the CPU, so the
// library builds for any x86-64 (and any other target, where available() is false and
// Crypto++ does all the work). No SIMD type appears here: callers pass bytes. Equality with
// Crypto++ is proven by tests/prop/ratchet_batch_prop.cpp.
#include <array>
#include <cstddef>
#include <cstdint>

#include "spmc/bytes.hpp"

namespace spmc::fast::aesni {

// Round keys in the byte order aesenc takes them (FIPS-197 order), 11 or 15 of them.
struct Schedule {
  alignas(16) std::array<std::uint8_t, 15 * 16> round_keys{};
  int rounds = 0;  // 10 (AES-128) or 14 (AES-256)
};

inline constexpr std::size_t kLanes = 8;  // enough independent blocks to hide aesenc latency

// Whether this CPU has AES-NI (cached after the first call).
bool available();
// Whether the key size has a fast path (16 or 32 bytes; AES-192 stays on Crypto++).
bool supports_key_size(std::size_t key_size);
// Requires available() and supports_key_size(key.size()).
void expand(ByteView key, Schedule& out);
// first = E(in), second = E(first) (RAT-002's two dependent encryptions).
void encrypt_twice(const Schedule& key, const Block& in, Block& first, Block& second);
void encrypt(const Schedule& key, const Block& in, Block& out);
// RAT-002 on four slots under one key, in place: keys[i] = E(slots[i]), then
// slots[i] = E(keys[i]) XOR slots[i]; the four chains interleaved.
void step_four(const Schedule& key, Block* slots, Block* keys);
// encrypt_twice for n <= kLanes independent (key, block) lanes of equal rounds, interleaved.
void encrypt_twice_lanes(const Schedule* const* keys, std::size_t n, const Block* in, Block* first,
                         Block* second);

// The wide path: VAES on 512-bit registers, four lanes per register, up to eight registers
// in flight (enough to hide vaesenc latency). Chosen at run time like available().
inline constexpr std::size_t kWideLanes = 32;
// Whether this CPU (and OS) has VAES with AVX-512F (cached after the first call).
bool wide_available();
// RAT-002 in place on n <= kWideLanes lanes of equal rounds: mk[i] = E(*slot[i]), then
// *slot[i] = E(mk[i]) XOR *slot[i]. Nothing but registers and the packed round keys holds
// the intermediate values. Requires wide_available(); no slot may be listed twice.
void step_wide(const Schedule* const* keys, std::size_t n, Block* const* slots, Block* const* mk);

// The persistent wide layout (ratchet::SendBatch owns it, so no call repacks anything): lanes
// in groups of four. Group g's round keys are rounds + 1 registers of kRegisterBytes at
// round_keys + g * (rounds + 1) * kRegisterBytes (lane i of the group in bytes 16i..16i+15 of
// each, FIPS-197 order as Schedule holds them); its current slots are one register at
// slots + g * slot_stride. Both 64-byte aligned.
inline constexpr std::size_t kRegisterBytes = 64;
// Where lane l's message key goes: mk_base + mk_offset[l] (16 bytes, any alignment). Byte
// offsets, not indices: no multiply per key on the hot path.
struct PackedOut {
  std::uint8_t* mk_base = nullptr;
  const std::size_t* mk_offset = nullptr;
};
// RAT-002 in place on the first `lanes` lanes (ceil(lanes / 4) groups; the padding lanes of the
// last group are computed but their keys not written): mk = E(slot), slot = E(mk) XOR slot.
// Requires wide_available(); rounds is 10 or 14.
void step_packed(int rounds, std::size_t lanes, const std::uint8_t* round_keys, std::uint8_t* slots,
                 std::size_t slot_stride, const PackedOut& out);

}  // namespace spmc::fast::aesni
