#pragma once
// A member that holds key material (RAT-010): wiped when destroyed and when moved from, and
// its old value never left behind when assigned over, so a struct holding secrets keeps
// `= default` special members instead of hand-written wiping ones. It is the value itself (it
// derives from T), so code reads and passes it as a T; it is never owned through a T pointer.
// T is trivially copyable (a Block, an array of them, a key schedule) or Bytes.
#include <memory>
#include <span>
#include <type_traits>
#include <utility>

#include "spmc/bytes.hpp"

namespace spmc {

template <typename T>
concept Wipeable = std::is_trivially_copyable_v<T> || std::is_same_v<T, Bytes>;

template <Wipeable T>
class Secret : public T {
 public:
  Secret() = default;
  Secret(const T& value) : T(value) {}                 // NOLINT(google-explicit-constructor)
  Secret(T&& value) noexcept : T(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  ~Secret() { wipe(); }
  Secret(const Secret& other) : T(other) {}
  // NOLINTNEXTLINE(bugprone-use-after-move): what the move left behind is wiped
  Secret(Secret&& other) noexcept : T(std::move(other)) { other.wipe(); }
  Secret& operator=(const Secret& other) {
    if (this != &other) {
      wipe_before_assign();
      T::operator=(other);
    }
    return *this;
  }
  Secret& operator=(Secret&& other) noexcept {
    if (this != &other) {
      wipe_before_assign();
      T::operator=(std::move(other));
      other.wipe();  // NOLINT(bugprone-use-after-move): what the move left behind is wiped
    }
    return *this;
  }
  Secret& operator=(const T& value) {
    if constexpr (kOverwrittenInPlace) {
      T::operator=(value);
      return *this;
    } else {
      *this = Secret(value);  // value may be part of *this
      return *this;
    }
  }
  Secret& operator=(T&& value) noexcept {
    if constexpr (kOverwrittenInPlace) {
      T::operator=(value);
      return *this;
    } else {
      *this = Secret(std::move(value));
      return *this;
    }
  }

  // Zeroes the bytes held (a Bytes keeps its size).
  void wipe() {
    if constexpr (std::is_same_v<T, Bytes>) {
      secure_wipe(std::span<std::uint8_t>(this->data(), this->size()));
    } else {
      T& self = *this;
      secure_wipe(std::span(reinterpret_cast<std::uint8_t*>(std::addressof(self)), sizeof(T)));
    }
  }

 private:
  // A trivially copyable T is overwritten in place, every byte, by its own assignment, so the
  // old value needs no wipe first (the ratchet assigns slots on its hot path); a Bytes may
  // keep or free its old buffer, so that is wiped before it is assigned over.
  static constexpr bool kOverwrittenInPlace = std::is_trivially_copyable_v<T>;
  void wipe_before_assign() {
    if constexpr (!kOverwrittenInPlace) {
      wipe();
    }
  }
};

}  // namespace spmc
