#pragma once
// A member that holds key material (RAT-010): wiped when destroyed, when assigned over and
// when moved from, so a struct holding secrets keeps `= default` special members instead of
// hand-written wiping ones. It is the value itself (it derives from T), so code reads and
// passes it as a T; it is never owned through a T pointer. T is trivially copyable (a Block,
// an array of them, a key schedule) or Bytes.
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
  // Wiping the moved-from source is the point: a trivially copyable T is copied, not emptied.
  Secret(Secret&& other) noexcept : T(std::move(other)) {
    other.wipe();  // NOLINT(bugprone-use-after-move): wipes the bytes the move left behind
  }
  Secret& operator=(const Secret& other) {
    if (this != &other) {
      wipe();
      T::operator=(other);
    }
    return *this;
  }
  Secret& operator=(Secret&& other) noexcept {
    if (this != &other) {
      wipe();
      T::operator=(std::move(other));
      other.wipe();  // NOLINT(bugprone-use-after-move): wipes the bytes the move left behind
    }
    return *this;
  }
  Secret& operator=(const T& value) {
    *this = Secret(value);
    return *this;
  }
  Secret& operator=(T&& value) noexcept {
    *this = Secret(std::move(value));
    return *this;
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
};

}  // namespace spmc
