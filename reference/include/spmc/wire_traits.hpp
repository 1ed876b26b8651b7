#pragma once
// Field traits beyond the plain ones of wire.hpp, for the stored and end-to-end formats:
// optional members and the tags that announce them, a length or a count another field
// fixes, counted lists judged element by element, maps, an encoding nested in another, and
// values the decoder checks against what it already knows. Each says why it exists.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "spmc/wire.hpp"

namespace spmc::wire {

// A constant byte string that opens a file (its magic): a mismatch is kBadValue `Detail`.
template <Name Text, Name Detail>
struct Magic {
  static constexpr std::size_t kMinSize = Text.view().size();
  template <typename W>
  static void write(W& w, Fixed) {
    const std::string_view text = Text.view();
    w.raw(ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  }
  static Status read(codec::Reader& r, Fixed) {
    SPMC_TRY(const Bytes b, r.raw(kMinSize));
    if (!std::equal(b.begin(), b.end(), Text.view().begin())) {
      return field_error(ErrorCode::kBadValue, Detail.view());
    }
    return ok_status();
  }
  static std::size_t size(Fixed) { return kMinSize; }
};

// A value whose wire form Parse(Under) -> Result<T> validates with its own error (a cipher
// suite is unknown_suite, not bad_value).
template <std::unsigned_integral Under, auto Parse>
struct Parsed {
  static constexpr std::size_t kMinSize = sizeof(Under);
  template <typename W, typename T>
  static void write(W& w, T v) {
    Int<Under>::write(w, static_cast<Under>(v));
  }
  template <typename T>
  static Status read(codec::Reader& r, T& v) {
    Under u = 0;
    SPMC_TRY_STATUS(Int<Under>::read(r, u));
    SPMC_TRY(v, Parse(u));
    return ok_status();
  }
  template <typename T>
  static std::size_t size(T) {
    return sizeof(Under);
  }
};

// An enum read as its underlying integer with no range check, for a format that judges it
// together with later fields: a Check after them does (so the error order stays the format's).
struct Unchecked {
  template <typename W, typename E>
  static void write(W& w, E v) {
    Int<std::underlying_type_t<E>>::write(w, static_cast<std::underlying_type_t<E>>(v));
  }
  template <typename E>
  static Status read(codec::Reader& r, E& v) {
    std::underlying_type_t<E> u = 0;
    SPMC_TRY_STATUS(Int<std::underlying_type_t<E>>::read(r, u));
    v = static_cast<E>(u);
    return ok_status();
  }
  template <typename E>
  static std::size_t size(E) {
    return sizeof(E);
  }
};

// A bool sent as a u8 0 or 1; anything else is kBadValue "<What> v".
template <Name What>
struct Bool {
  template <typename W>
  static void write(W& w, bool v) {
    w.u8(v ? 1 : 0);
  }
  static Status read(codec::Reader& r, bool& v) {
    SPMC_TRY(const std::uint8_t u, r.u8());
    if (u > 1) {
      return field_error(ErrorCode::kBadValue, What.view(), " ", u);
    }
    v = u == 1;
    return ok_status();
  }
  static std::size_t size(bool) { return 1; }
};

// A tag of type T saying whether an optional member is present: Absent or Present, anything
// else kBadValue "<What> v". Reading Present engages the optional, so a later Optional<...>
// field reads it; the member here is that optional.
template <std::unsigned_integral T, T Absent, T Present, Name What>
struct Presence {
  static constexpr std::size_t kMinSize = sizeof(T);
  template <typename W, typename O>
  static void write(W& w, const std::optional<O>& o) {
    Int<T>::write(w, o ? Present : Absent);
  }
  template <typename O>
  static Status read(codec::Reader& r, std::optional<O>& o) {
    T v = 0;
    SPMC_TRY_STATUS(Int<T>::read(r, v));
    if (v != Absent && v != Present) {
      return field_error(ErrorCode::kBadValue, What.view(), " ", v);
    }
    if (v == Present) {
      o.emplace();
    }
    return ok_status();
  }
  template <typename O>
  static std::size_t size(const std::optional<O>&) {
    return sizeof(T);
  }
};

// One u8 whose bit i says whether the i-th of several optional members is present (each then
// read by an Optional<...> field); a bit past them is kBadValue "<What> v". The member is
// wire::optionals(m.a, m.b, ...).
template <typename... Opt>
struct Optionals {
  std::tuple<Opt&...> members;
};
template <typename... Opt>
Optionals<Opt...> optionals(Opt&... members) {
  return {{members...}};
}
template <Name What>
struct PresenceBits {
  template <typename W, typename... Opt>
  static void write(W& w, const Optionals<Opt...>& f) {
    unsigned bits = 0;
    unsigned bit = 1;
    std::apply([&](const auto&... o) { ((bits |= (o ? bit : 0U), bit <<= 1), ...); }, f.members);
    w.u8(static_cast<std::uint8_t>(bits));
  }
  template <typename... Opt>
  static Status read(codec::Reader& r, const Optionals<Opt...>& f) {
    static_assert(sizeof...(Opt) < 8, "one u8 of bits");
    SPMC_TRY(const std::uint8_t bits, r.u8());
    if ((bits >> sizeof...(Opt)) != 0) {
      return field_error(ErrorCode::kBadValue, What.view(), " ", bits);
    }
    unsigned bit = 1;
    std::apply(
        [&](auto&... o) { (((bits & bit) != 0 ? void(o.emplace()) : void(), bit <<= 1), ...); },
        f.members);
    return ok_status();
  }
  template <typename... Opt>
  static std::size_t size(const Optionals<Opt...>&) {
    return 1;
  }
};

// An optional member on the wire exactly when engaged: an earlier Presence or PresenceBits
// field (or the caller, from the length of the input) decided that before it is read.
template <typename Inner>
struct Optional {
  template <typename W, typename O>
  static void write(W& w, const std::optional<O>& o) {
    if (o) {
      Inner::write(w, *o);
    }
  }
  template <typename O>
  static Status read(codec::Reader& r, std::optional<O>& o) {
    return o ? Inner::read(r, *o) : ok_status();
  }
  template <typename O>
  static std::size_t size(const std::optional<O>& o) {
    return o ? Inner::size(*o) : 0;
  }
};

// A member whose trait needs the whole struct too (a length an earlier field fixes, a rule
// over earlier fields): wire::with(m, m.member).
template <typename S, typename M>
struct With {
  S& whole;
  M& member;
};
template <typename S, typename M>
With<S, M> with(S& whole, M& member) {
  return {whole, member};
}

// Raw bytes, no prefix, of the length Length(whole) an earlier field fixes (a master key
// sized by its suite). Encoding trusts the caller, as FieldWriter does.
template <auto Length>
struct Sized {
  template <typename W, typename S, typename M>
  static void write(W& w, const With<S, M>& f) {
    w.raw(f.member);
  }
  template <typename S, typename M>
  static Status read(codec::Reader& r, const With<S, M>& f) {
    SPMC_TRY(f.member, r.raw(Length(f.whole)));
    return ok_status();
  }
  template <typename S, typename M>
  static std::size_t size(const With<S, M>& f) {
    return f.member.size();
  }
};

// A count of type Count, then that many Elem, one at a time into a container (no room made
// ahead of the bytes that back it, and each element judged as it arrives, so errors come in
// the order a hand-written reader gives them). Admit(whole, n) may refuse the count;
// Add(whole, container, element) may refuse an element (a duplicate, an order rule) and
// otherwise stores it. The member is wire::with(m, m.container).
template <typename F>
struct ElementOf;
template <typename S, typename C, typename E>
struct ElementOf<Status (*)(const S&, C&, E&&)> {
  using type = E;
};
template <std::unsigned_integral Count, typename Elem, auto Admit, auto Add>
struct Seq {
  template <typename W, typename S, typename C>
  static void write(W& w, const With<S, C>& f) {
    Int<Count>::write(w, static_cast<Count>(f.member.size()));
    for (const auto& e : f.member) {
      Elem::write(w, e);
    }
  }
  template <typename S, typename C>
  static Status read(codec::Reader& r, const With<S, C>& f) {
    Count n = 0;
    SPMC_TRY_STATUS(Int<Count>::read(r, n));
    SPMC_TRY_STATUS(Admit(f.whole, n));
    for (Count i = 0; i < n; ++i) {
      typename ElementOf<decltype(Add)>::type e{};
      SPMC_TRY_STATUS(Elem::read(r, e));
      SPMC_TRY_STATUS(Add(f.whole, f.member, std::move(e)));
    }
    return ok_status();
  }
  template <typename S, typename C>
  static std::size_t size(const With<S, C>& f) {
    std::size_t n = sizeof(Count);
    for (const auto& e : f.member) {
      n += Elem::size(e);
    }
    return n;
  }
};

// A std::set: a count of type Count, then its elements in ascending order. Reading requires
// them strictly ascending, so a set has exactly one encoding and a duplicate is refused
// (kBadValue "<What> order"); a count above Max, or one the remaining input cannot hold, is
// kBadLength "<What> length n" before anything is stored (a stored account's contact list).
template <std::unsigned_integral Count, typename Elem, std::size_t Max, Name What>
struct SortedSet {
  template <typename W, typename Set>
  static void write(W& w, const Set& v) {
    Int<Count>::write(w, static_cast<Count>(v.size()));
    for (const auto& e : v) {
      Elem::write(w, e);
    }
  }
  template <typename Set>
  static Status read(codec::Reader& r, Set& v) {
    Count n = 0;
    SPMC_TRY_STATUS(Int<Count>::read(r, n));
    if (n > Max || n * std::uint64_t{Elem::kMinSize} > r.remaining()) {
      return field_error(ErrorCode::kBadLength, What.view(), " length ", n);
    }
    for (Count i = 0; i < n; ++i) {
      typename Set::value_type e{};
      SPMC_TRY_STATUS(Elem::read(r, e));
      if (!v.empty() && !(*v.rbegin() < e)) {
        return field_error(ErrorCode::kBadValue, What.view(), " order ", i);
      }
      v.insert(v.end(), std::move(e));
    }
    return ok_status();
  }
  template <typename Set>
  static std::size_t size(const Set& v) {
    std::size_t n = sizeof(Count);
    for (const auto& e : v) {
      n += Elem::size(e);
    }
    return n;
  }
};

// The elements of a map whose key Add derives from each value: only the value is sent.
template <typename Inner>
struct Values {
  template <typename W, typename K, typename V>
  static void write(W& w, const std::pair<K, V>& e) {
    Inner::write(w, e.second);
  }
  template <typename V>
  static Status read(codec::Reader& r, V& v) {
    return Inner::read(r, v);
  }
  template <typename K, typename V>
  static std::size_t size(const std::pair<K, V>& e) {
    return Inner::size(e.second);
  }
};

// A map entry sent as its key then its value.
template <typename KeyTrait, typename ValueTrait>
struct Pair {
  template <typename W, typename K, typename V>
  static void write(W& w, const std::pair<K, V>& e) {
    KeyTrait::write(w, e.first);
    ValueTrait::write(w, e.second);
  }
  template <typename K, typename V>
  static Status read(codec::Reader& r, std::pair<K, V>& e) {
    SPMC_TRY_STATUS(KeyTrait::read(r, e.first));
    return ValueTrait::read(r, e.second);
  }
  template <typename K, typename V>
  static std::size_t size(const std::pair<K, V>& e) {
    return KeyTrait::size(e.first) + ValueTrait::size(e.second);
  }
};

// A value checked against what the decoder already knows (the profile a state must name):
// Expected(whole) is written, and a different value read is kBadValue "<What> v". The member
// is the whole struct.
template <typename Trait, auto Expected, Name What>
struct Match {
  template <typename W, typename S>
  static void write(W& w, const S& whole) {
    Trait::write(w, Expected(whole));
  }
  template <typename S>
  static Status read(codec::Reader& r, const S& whole) {
    auto v = Expected(whole);
    SPMC_TRY_STATUS(Trait::read(r, v));
    if (v != Expected(whole)) {
      return field_error(ErrorCode::kBadValue, What.view(), " ", +v);
    }
    return ok_status();
  }
  template <typename S>
  static std::size_t size(const S& whole) {
    return Trait::size(Expected(whole));
  }
};

// A whole encoding of T inside a u32-prefixed byte string of [Min, Max] bytes (a stored key
// share inside the book): T's own decoder must take all of it. The copy made to encode or
// decode it is wiped (it may hold keys).
template <Fielded T, std::size_t Min, std::size_t Max>
struct Nested {
  template <typename W>
  static void write(W& w, const T& v) {
    Bytes b = wire::encode(v);
    w.bytes32(b);
    secure_wipe(b);
  }
  static Status read(codec::Reader& r, T& v) {
    SPMC_TRY(Bytes b, r.bytes32(Min, Max));
    auto decoded = wire::decode<T>(b);
    secure_wipe(b);
    SPMC_TRY(v, std::move(decoded));
    return ok_status();
  }
  static std::size_t size(const T& v) { return 4 + wire::size(v); }
};

}  // namespace spmc::wire
