#pragma once
// Field lists (spec/wire.md, WIRE-001..WIRE-006). A wire struct declares its fields once:
//
//   struct Ack {
//     static constexpr std::uint8_t kType = 9;   // only for alternatives of a message variant
//     std::uint64_t message_id;
//     static auto fields(auto& m) { return wire::fields<wire::U64>(m.message_id); }
//   };
//
// and encode, decode and the encoded size all walk that one list, so the writer and the
// reader cannot drift apart. A trait (U64, Id, Bytes16<1, 512>, ...) names the encoding of
// one field and carries its bounds; decoding checks them, encoding trusts the caller as
// codec::FieldWriter does. Registry<Variant> derives a message variant's type table and its
// decode dispatch from the alternatives' kType codes, checked unique at compile time. The
// traits of the stored formats (optionals, counted lists, maps, nested encodings) are in
// wire_traits.hpp.
#include <algorithm>
#include <array>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "spmc/bytes.hpp"
#include "spmc/codec.hpp"
#include "spmc/result.hpp"

namespace spmc::wire {

// The one bound on every user id and group id on the wire: string16 of 1..64 bytes.
inline constexpr std::size_t kMaxIdLength = 64;

// "<what><infix><n>", the detail of a field's error. Built out of line (wire.cpp) so that
// the traits' success paths below stay small enough for the compiler to inline: a field list
// must decode as fast as the hand-written reads it replaced (bench BM_ReceiveMessage).
[[gnu::cold]] Error field_error(ErrorCode code, std::string_view what, std::string_view infix,
                                std::uint64_t n);
[[gnu::cold]] Error field_error(ErrorCode code, std::string_view detail);

// A string literal as a template argument: the noun an error detail names ("payload kind").
template <std::size_t N>
struct Name {
  constexpr Name(const char (&s)[N]) { std::copy_n(s, N, text); }  // NOLINT(implicit)
  constexpr std::string_view view() const { return {text, N - 1}; }
  char text[N]{};
};

// Big-endian fixed-width integers.
template <std::unsigned_integral T>
struct Int {
  static constexpr std::size_t kMinSize = sizeof(T);
  template <typename W>
  [[gnu::always_inline]] static void write(W& w, T v) {
    if constexpr (sizeof(T) == 1) {
      w.u8(v);
    } else if constexpr (sizeof(T) == 2) {
      w.u16(v);
    } else if constexpr (sizeof(T) == 4) {
      w.u32(v);
    } else {
      w.u64(v);
    }
  }
  [[gnu::always_inline]] static Status read(codec::Reader& r, T& v) {
    if constexpr (sizeof(T) == 1) {
      SPMC_TRY(v, r.u8());
    } else if constexpr (sizeof(T) == 2) {
      SPMC_TRY(v, r.u16());
    } else if constexpr (sizeof(T) == 4) {
      SPMC_TRY(v, r.u32());
    } else {
      SPMC_TRY(v, r.u64());
    }
    return ok_status();
  }
  static std::size_t size(T) { return sizeof(T); }
};
using U8 = Int<std::uint8_t>;
using U16 = Int<std::uint16_t>;
using U32 = Int<std::uint32_t>;
using U64 = Int<std::uint64_t>;

// An enum sent as its underlying integer; a value outside [Lo, Hi] is kBadValue "<What> v".
template <typename E, E Lo, E Hi, Name What>
struct Enum {
  using Under = std::underlying_type_t<E>;
  static constexpr std::size_t kMinSize = sizeof(Under);
  template <typename W>
  [[gnu::always_inline]] static void write(W& w, E v) {
    Int<Under>::write(w, static_cast<Under>(v));
  }
  [[gnu::always_inline]] static Status read(codec::Reader& r, E& v) {
    Under u = 0;
    SPMC_TRY_STATUS(Int<Under>::read(r, u));
    if (u < static_cast<Under>(Lo) || u > static_cast<Under>(Hi)) {
      return field_error(ErrorCode::kBadValue, What.view(), " ", u);
    }
    v = static_cast<E>(u);
    return ok_status();
  }
  static std::size_t size(E) { return sizeof(Under); }
};

// A constant the struct does not store (a format version): written as V, read back as
// kBadVersion "<What> version v" unless equal. Its member is the marker `wire::fixed`.
struct Fixed {};
inline constexpr Fixed fixed{};
template <std::unsigned_integral T, T V, Name What>
struct Version {
  static constexpr std::size_t kMinSize = sizeof(T);
  template <typename W>
  [[gnu::always_inline]] static void write(W& w, Fixed) {
    Int<T>::write(w, V);
  }
  [[gnu::always_inline]] static Status read(codec::Reader& r, Fixed) {
    T v = 0;
    SPMC_TRY_STATUS(Int<T>::read(r, v));
    if (v != V) {
      return field_error(ErrorCode::kBadVersion, What.view(), " version ", v);
    }
    return ok_status();
  }
  static std::size_t size(Fixed) { return sizeof(T); }
};

// Byte strings with a u16 or u32 length prefix in [Min, Max] (kBadLength otherwise),
// into Bytes, std::string, or a std::array of exactly Min == Max bytes.
template <std::unsigned_integral Len, std::size_t Min, std::size_t Max>
struct Prefixed {
  static_assert(Min <= Max && Max <= std::numeric_limits<Len>::max());
  static constexpr std::size_t kMinSize = sizeof(Len) + Min;
  template <typename W, typename V>
  [[gnu::always_inline]] static void write(W& w, const V& v) {
    const ByteView view(reinterpret_cast<const std::uint8_t*>(v.data()), v.size());
    if constexpr (sizeof(Len) == 2) {
      w.bytes16(view);
    } else {
      w.bytes32(view);
    }
  }
  [[gnu::always_inline]] static Status read(codec::Reader& r, std::string& v) {
    static_assert(sizeof(Len) == 2, "strings are string16");
    SPMC_TRY(v, r.string16(Min, Max));
    return ok_status();
  }
  [[gnu::always_inline]] static Status read(codec::Reader& r, Bytes& v) {
    if constexpr (sizeof(Len) == 2) {
      SPMC_TRY(v, r.bytes16(Min, Max));
    } else {
      SPMC_TRY(v, r.bytes32(Min, Max));
    }
    return ok_status();
  }
  template <std::size_t N>
  static Status read(codec::Reader& r, std::array<std::uint8_t, N>& v) {
    static_assert(Min == N && Max == N, "a fixed array is a fixed length");
    Bytes b;
    SPMC_TRY_STATUS(read(r, b));
    std::copy(b.begin(), b.end(), v.begin());
    return ok_status();
  }
  template <typename V>
  static std::size_t size(const V& v) {
    return sizeof(Len) + v.size();
  }
};
template <std::size_t Min, std::size_t Max>
using Bytes16 = Prefixed<std::uint16_t, Min, Max>;
template <std::size_t Min, std::size_t Max>
using Bytes32 = Prefixed<std::uint32_t, Min, Max>;
template <std::size_t Min, std::size_t Max>
using Str16 = Prefixed<std::uint16_t, Min, Max>;
using Id = Str16<1, kMaxIdLength>;

// A fixed-size array of bytes with no prefix (a signature, a seed number), or a fixed array
// of those (the four seed numbers), read element by element as a hand-written reader would.
struct Raw {
  template <typename W, std::size_t N>
  [[gnu::always_inline]] static void write(W& w, const std::array<std::uint8_t, N>& v) {
    w.raw(v);
  }
  template <typename W, typename E, std::size_t N>
  static void write(W& w, const std::array<E, N>& v) {
    for (const E& e : v) {
      write(w, e);
    }
  }
  template <std::size_t N>
  static Status read(codec::Reader& r, std::array<std::uint8_t, N>& v) {
    SPMC_TRY(const Bytes b, r.raw(N));
    std::copy(b.begin(), b.end(), v.begin());
    return ok_status();
  }
  template <typename E, std::size_t N>
  static Status read(codec::Reader& r, std::array<E, N>& v) {
    for (E& e : v) {
      SPMC_TRY_STATUS(read(r, e));
    }
    return ok_status();
  }
  template <typename T, std::size_t N>
  static std::size_t size(const std::array<T, N>&) {
    return sizeof(std::array<T, N>);
  }
};

// A count of type Count, then that many Elem. A count above Max, or one the remaining
// input cannot hold, is kBadLength "<What> length n" (checked before any allocation).
template <std::unsigned_integral Count, typename Elem, std::size_t Max, Name What>
struct List {
  template <typename W, typename V>
  static void write(W& w, const std::vector<V>& v) {
    Int<Count>::write(w, static_cast<Count>(v.size()));
    for (const V& e : v) {
      Elem::write(w, e);
    }
  }
  template <typename V>
  static Status read(codec::Reader& r, std::vector<V>& v) {
    Count n = 0;
    SPMC_TRY_STATUS(Int<Count>::read(r, n));
    if (n > Max || n * std::uint64_t{Elem::kMinSize} > r.remaining()) {
      return field_error(ErrorCode::kBadLength, What.view(), " length ", n);
    }
    v.resize(n);
    for (V& e : v) {
      SPMC_TRY_STATUS(Elem::read(r, e));
    }
    return ok_status();
  }
  template <typename V>
  static std::size_t size(const std::vector<V>& v) {
    std::size_t n = sizeof(Count);
    for (const V& e : v) {
      n += Elem::size(e);
    }
    return n;
  }
};

// A rule over the fields read so far, checked at its place in the list (so a bad value is
// reported before a later field runs out of input, as a hand-written reader would). Its
// member is the whole struct; it writes nothing.
template <auto Rule>
struct Check {
  template <typename W, typename S>
  static void write(W&, const S&) {}
  template <typename S>
  [[gnu::always_inline]] static Status read(codec::Reader&, const S& whole) {
    return Rule(whole);
  }
  template <typename S>
  static std::size_t size(const S&) {
    return 0;
  }
};

// A member present on the wire only when Present(whole) holds, a predicate over earlier
// fields (or, for a std::optional member, over the member itself when writing). Its member
// is wire::when<Present>(m, m.member).
template <auto Present, typename S, typename M>
struct When {
  S& whole;
  M& member;
};
template <auto Present, typename S, typename M>
When<Present, S, M> when(S& whole, M& member) {
  return {whole, member};
}
template <typename Inner>
struct If {
  template <typename W, auto P, typename S, typename M>
  static void write(W& w, const When<P, S, M>& f) {
    if (P(f.whole)) {
      Inner::write(w, value(f.member));
    }
  }
  template <auto P, typename S, typename M>
  static Status read(codec::Reader& r, const When<P, S, M>& f) {
    if (!P(f.whole)) {
      return ok_status();
    }
    if constexpr (requires { f.member.emplace(); }) {
      return Inner::read(r, f.member.emplace());
    } else {
      return Inner::read(r, f.member);
    }
  }
  template <auto P, typename S, typename M>
  static std::size_t size(const When<P, S, M>& f) {
    return P(f.whole) ? Inner::size(value(f.member)) : 0;
  }

 private:
  template <typename M>
  static const auto& value(const M& m) {
    if constexpr (requires { m.value(); }) {
      return *m;
    } else {
      return m;
    }
  }
};

// One (trait, member) pair of a field list. Ref is a reference to the member, or the
// marker `Fixed` held by value.
template <typename Trait, typename Ref>
struct Field {
  Ref ref;
};

// The field list: traits as template arguments, members as arguments, in wire order.
template <typename... Traits, typename... Refs>
constexpr auto fields(Refs&&... refs) {
  static_assert(sizeof...(Traits) == sizeof...(Refs), "one trait per field");
  return std::tuple<Field<Traits, Refs>...>{Field<Traits, Refs>{std::forward<Refs>(refs)}...};
}

// How the functions below reach a field list: a class whose fields are private keeps its
// list private too and befriends wire::Access (a stored state must not hand out its members).
struct Access {
  template <typename T>
  static auto fields(T& m) -> decltype(std::remove_const_t<T>::fields(m)) {
    return std::remove_const_t<T>::fields(m);
  }
};

template <typename T>
concept Fielded = requires(T& m, const T& c) {
  Access::fields(m);
  Access::fields(c);
};

// Encode and decode are forced inline into their caller, down to the codec's byte reads and
// writes (every trait's read and write is too). The writer or reader is then the caller's
// local, so the compiler keeps its cursor in a register instead of reloading it after every
// byte stored (see codec::SpanWriter), and each field's Status folds away on the success
// path. Left to the compiler, a field list inlined piecemeal and decoding plus re-encoding an
// envelope's header cost a tenth more per message received than the hand-written code it
// replaced (bench BM_ReceiveMessage, ReceiveMessage/64).
template <typename W, typename List, std::size_t... I>
[[gnu::always_inline]] inline void write_list(W& w, const List& list, std::index_sequence<I...>) {
  (write_field(w, std::get<I>(list)), ...);
}
template <typename W, Fielded T>
[[gnu::always_inline]] inline void write(W& w, const T& m) {
  const auto list = Access::fields(m);
  write_list(w, list, std::make_index_sequence<std::tuple_size_v<decltype(list)>>{});
}
// One field of a list: true if it read, else its error is moved to `status`.
template <typename F>
[[gnu::always_inline]] inline bool read_one(codec::Reader& r, F& f, Status& status) {
  Status one = read_field(r, f);
  if (one.ok()) [[likely]] {
    return true;
  }
  status = std::move(one);
  return false;
}
template <typename List, std::size_t... I>
[[gnu::always_inline]] inline Status read_list(codec::Reader& r, List& list,
                                               std::index_sequence<I...>) {
  Status status = ok_status();
  // Left to right, stopping at the first error: && short-circuits the fold.
  static_cast<void>((read_one(r, std::get<I>(list), status) && ...));
  return status;
}
template <Fielded T>
[[gnu::always_inline]] inline Status read(codec::Reader& r, T& m) {
  auto list = Access::fields(m);
  return read_list(r, list, std::make_index_sequence<std::tuple_size_v<decltype(list)>>{});
}
template <Fielded T>
std::size_t size(const T& m) {
  return std::apply([](const auto&... f) { return (std::size_t{0} + ... + size_field(f)); },
                    Access::fields(m));
}

// A nested struct with its own field list.
template <Fielded T>
struct Struct {
  template <typename W>
  [[gnu::always_inline]] static void write(W& w, const T& v) {
    wire::write(w, v);
  }
  [[gnu::always_inline]] static Status read(codec::Reader& r, T& v) { return wire::read(r, v); }
  static std::size_t size(const T& v) { return wire::size(v); }
};

template <typename W, typename Trait, typename Ref>
[[gnu::always_inline]] inline void write_field(W& w, const Field<Trait, Ref>& f) {
  Trait::write(w, f.ref);
}
template <typename Trait, typename Ref>
[[gnu::always_inline]] inline Status read_field(codec::Reader& r, Field<Trait, Ref>& f) {
  return Trait::read(r, f.ref);
}
template <typename Trait, typename Ref>
std::size_t size_field(const Field<Trait, Ref>& f) {
  return Trait::size(f.ref);
}

// The first N fields of m (the bytes a trailing signature covers).
template <std::size_t N, typename W, Fielded T>
void write_first(W& w, const T& m) {
  const auto list = Access::fields(m);
  [&]<std::size_t... I>(std::index_sequence<I...>) { (write_field(w, std::get<I>(list)), ...); }
  (std::make_index_sequence<N>{});
}

// One allocation of exactly the encoded size.
template <Fielded T>
Bytes encode(const T& m) {
  codec::Writer w(size(m));
  write(w, m);
  return w.take();
}
// The whole input is one T: trailing bytes are kTrailingBytes.
template <Fielded T>
Result<T> decode(ByteView in) {
  codec::Reader r(in);
  T m{};
  SPMC_TRY_STATUS(read(r, m));
  SPMC_TRY_STATUS(r.expect_end());
  return m;
}

template <typename T>
concept Registered = Fielded<T> && requires {
  { T::kType } -> std::convertible_to<std::uint8_t>;
  { T::kName } -> std::convertible_to<std::string_view>;
};

// The type table and dispatch of a message variant, derived from its alternatives: each
// declares kType (its u8 code on the wire) and kName (its name in traces). An unknown
// code is kBadValue "<What> code".
template <typename Variant, Name What>
struct Registry;
template <Name What, typename... Ts>
struct Registry<std::variant<Ts...>, What> {
  using Variant = std::variant<Ts...>;
  static_assert((Registered<Ts> && ...), "every alternative declares kType, kName and fields");
  static constexpr std::array<std::uint8_t, sizeof...(Ts)> kCodes{Ts::kType...};
  static constexpr bool unique() {
    for (std::size_t i = 0; i < kCodes.size(); ++i) {
      for (std::size_t j = i + 1; j < kCodes.size(); ++j) {
        if (kCodes[i] == kCodes[j]) {
          return false;
        }
      }
    }
    return true;
  }
  static_assert(unique(), "two alternatives share a type code");

  static std::uint8_t code(const Variant& v) { return kCodes[v.index()]; }
  static std::string_view name(const Variant& v) {
    static constexpr std::string_view kNames[] = {Ts::kName...};
    return kNames[v.index()];
  }
  template <typename W>
  static void write(W& w, const Variant& v) {
    std::visit([&w](const auto& m) { wire::write(w, m); }, v);
  }
  static std::size_t size(const Variant& v) {
    return std::visit([](const auto& m) { return wire::size(m); }, v);
  }
  // The body of the alternative whose code is `code`.
  static Result<Variant> read(std::uint8_t code, codec::Reader& r) {
    using ReadFn = Result<Variant> (*)(codec::Reader&);
    static constexpr ReadFn kReaders[] = {&read_as<Ts>...};
    for (std::size_t i = 0; i < kCodes.size(); ++i) {
      if (kCodes[i] == code) {
        return kReaders[i](r);
      }
    }
    return field_error(ErrorCode::kBadValue, What.view(), " ", code);
  }

 private:
  template <typename T>
  static Result<Variant> read_as(codec::Reader& r) {
    T m{};
    SPMC_TRY_STATUS(wire::read(r, m));
    return Variant{std::move(m)};
  }
};

}  // namespace spmc::wire
