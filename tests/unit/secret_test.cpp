// spmc::Secret wipes what it held when moved from, assigned over or destroyed (RAT-010),
// and a struct of Secret members stays movable with `= default` special members.
#include "spmc/secret.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <new>
#include <type_traits>

namespace spmc {
namespace {

bool all_zero(ByteView bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

Block filled(std::uint8_t v) {
  Block b{};
  b.fill(v);
  return b;
}

TEST(Secret, MovedFromBlockIsZero) {
  Secret<Block> a(filled(7));
  const Secret<Block> b(std::move(a));
  EXPECT_TRUE(all_zero(a));  // NOLINT(bugprone-use-after-move): the property under test
  EXPECT_EQ(static_cast<const Block&>(b), filled(7));
}

TEST(Secret, MoveAssignedFromBytesIsZeroAndTargetHoldsTheValue) {
  Secret<Bytes> a(Bytes(32, 0xab));
  Secret<Bytes> b(Bytes(32, 0x11));
  b = std::move(a);
  EXPECT_TRUE(all_zero(a));  // NOLINT(bugprone-use-after-move): the property under test
  EXPECT_EQ(static_cast<const Bytes&>(b), Bytes(32, 0xab));
}

TEST(Secret, DestructionWipesTheStorage) {
  // The storage outlives the object, so reading it after the destructor is well defined.
  alignas(Secret<Block>) std::array<std::uint8_t, sizeof(Secret<Block>)> storage{};
  auto* s = new (storage.data()) Secret<Block>(filled(9));
  EXPECT_FALSE(all_zero(storage));
  s->~Secret<Block>();
  EXPECT_TRUE(all_zero(storage));
}

struct Holder {
  Secret<Bytes> key;
  Secret<std::array<Block, 4>> slots{};
};

TEST(Secret, StructsOfSecretsStayMovableWithDefaultMembers) {
  static_assert(std::is_nothrow_move_constructible_v<Holder>);
  static_assert(std::is_nothrow_move_assignable_v<Holder>);
  Holder a{Bytes(16, 1), std::array<Block, 4>{filled(2), filled(3), filled(4), filled(5)}};
  Holder b = std::move(a);
  EXPECT_EQ(static_cast<const Bytes&>(b.key), Bytes(16, 1));
  EXPECT_EQ(b.slots[3], filled(5));
  EXPECT_TRUE(all_zero(std::span(a.slots.front().data(), sizeof(Block) * 4)));  // NOLINT
}

}  // namespace
}  // namespace spmc
