// The field-list framework (wire.hpp) on test-only messages: a message is one declaration of
// its fields plus one registration line, and encode, decode, size and dispatch all follow.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "spmc/wire_traits.hpp"

namespace spmc {
namespace {

// Two messages of a test protocol. Each is its whole declaration: type code, trace name and
// fields, in wire order with their bounds.
struct Ping {
  static constexpr std::uint8_t kType = 7;
  static constexpr std::string_view kName = "ping";
  std::uint32_t number = 0;
  std::string from;
  static auto fields(auto& m) { return wire::fields<wire::U32, wire::Id>(m.number, m.from); }
};
struct Pong {
  static constexpr std::uint8_t kType = 9;
  static constexpr std::string_view kName = "pong";
  std::optional<std::array<std::uint8_t, 2>> echo;
  Bytes note;
  static auto fields(auto& m) {
    using Flag = wire::Presence<std::uint8_t, 0, 1, "pong flags">;
    return wire::fields<Flag, wire::Optional<wire::Raw>, wire::Bytes16<0, 4>>(m.echo, m.echo,
                                                                              m.note);
  }
};

// The registration line. A second alternative with a code already taken does not compile:
// Registry's static_assert "two alternatives share a type code" refuses it, so that case has
// no runtime test.
using TestBodies = wire::Registry<std::variant<Ping, Pong>, "test type">;

Bytes hex(std::string_view text) {
  Bytes out;
  EXPECT_TRUE(from_hex(text, out)) << text;
  return out;
}

// The error a decode gave, or nothing when it succeeded.
template <typename T>
std::optional<ErrorCode> error_of(const Result<T>& r) {
  return r.ok() ? std::nullopt : std::optional<ErrorCode>(r.error().code);
}

Bytes encode_message(const std::variant<Ping, Pong>& body) {
  codec::Writer w(1 + TestBodies::size(body));
  w.u8(TestBodies::code(body));
  TestBodies::write(w, body);
  return w.take();
}

Result<std::variant<Ping, Pong>> decode_message(ByteView in) {
  codec::Reader r(in);
  SPMC_TRY(const std::uint8_t code, r.u8());
  SPMC_TRY(auto body, TestBodies::read(code, r));
  SPMC_TRY_STATUS(r.expect_end());
  return body;
}

// Proves: WIRE-001, WIRE-003, WIRE-006, WIRE-007
TEST(Wire, OneDeclarationGivesEncodeDecodeSizeAndDispatch) {
  const Ping ping{0x01020304, "al"};
  EXPECT_EQ(to_hex(wire::encode(ping)), "010203040002616c");
  EXPECT_EQ(wire::size(ping), wire::encode(ping).size());

  const Bytes bytes = encode_message(ping);
  EXPECT_EQ(to_hex(bytes), "07010203040002616c");
  const auto decoded = decode_message(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.error().detail;
  ASSERT_TRUE(std::holds_alternative<Ping>(*decoded));
  EXPECT_EQ(std::get<Ping>(*decoded).number, 0x01020304U);
  EXPECT_EQ(std::get<Ping>(*decoded).from, "al");
  EXPECT_EQ(TestBodies::name(*decoded), "ping");

  const Pong pong{std::array<std::uint8_t, 2>{0xaa, 0xbb}, Bytes{0x01}};
  EXPECT_EQ(to_hex(encode_message(pong)), "0901aabb000101");
  const auto back = decode_message(encode_message(pong));
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_EQ(std::get<Pong>(*back).echo, pong.echo);
  EXPECT_EQ(TestBodies::name(*back), "pong");
  EXPECT_EQ(to_hex(encode_message(Pong{})), "09000000");
}

// Proves: WIRE-003, WIRE-005, WIRE-006, WIRE-007
TEST(Wire, DecodingRefusesWithTypedErrors) {
  const auto code_of = [](std::string_view text) { return error_of(decode_message(hex(text))); };
  EXPECT_EQ(code_of("08"), ErrorCode::kBadValue);               // no such type code
  EXPECT_EQ(code_of("07010203"), ErrorCode::kTruncated);        // inside the u32
  EXPECT_EQ(code_of("07010203040000"), ErrorCode::kBadLength);  // empty id
  EXPECT_EQ(code_of("07010203040002616c00"), ErrorCode::kTrailingBytes);
  EXPECT_EQ(code_of("0902"), ErrorCode::kBadValue);         // undefined flag
  EXPECT_EQ(code_of("0901aa"), ErrorCode::kTruncated);      // flagged echo missing
  EXPECT_EQ(code_of("0900000500"), ErrorCode::kBadLength);  // note above its bound
}

// A counted list read one element at a time, with a rule on the count and one per element,
// and a field sized by an earlier one.
struct Roster {
  std::uint8_t key_size = 0;
  Bytes key;
  std::vector<std::string> names;
  static std::size_t key_length(const Roster& m) { return m.key_size; }
  static Status admit(const Roster&, std::uint8_t n) {
    return n >= 1 ? ok_status() : make_error(ErrorCode::kBadLength, "empty roster");
  }
  static Status add(const Roster&, std::vector<std::string>& names, std::string&& name) {
    if (!names.empty() && !(names.back() < name)) {
      return make_error(ErrorCode::kBadValue, "names not ascending");
    }
    names.push_back(std::move(name));
    return ok_status();
  }
  static auto fields(auto& m) {
    using Names = wire::Seq<std::uint8_t, wire::Id, admit, add>;
    return wire::fields<wire::U8, wire::Sized<key_length>, Names>(m.key_size, wire::with(m, m.key),
                                                                  wire::with(m, m.names));
  }
};

// Proves: WIRE-002, WIRE-008, WIRE-009
TEST(Wire, ListsAndSizedFieldsReportErrorsInEncodingOrder) {
  const Roster roster{2, Bytes{0xaa, 0xbb}, {"a", "b"}};
  const Bytes bytes = wire::encode(roster);
  EXPECT_EQ(to_hex(bytes), "02aabb02000161000162");
  const auto back = wire::decode<Roster>(bytes);
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_EQ(back->names, roster.names);
  EXPECT_EQ(back->key, roster.key);

  const auto code_of = [](std::string_view text) {
    return error_of(wire::decode<Roster>(hex(text)));
  };
  EXPECT_EQ(code_of("02aa"), ErrorCode::kTruncated);  // key shorter than its size
  EXPECT_EQ(code_of("00"
                    "00"),
            ErrorCode::kBadLength);  // count refused
  EXPECT_EQ(code_of("00"
                    "03"
                    "000161000162"),
            ErrorCode::kTruncated);  // a third name missing
  EXPECT_EQ(code_of("00"
                    "03"
                    "000162000161"),
            ErrorCode::kBadValue);  // order, before the end
}

// Presence bits for several optionals, a value that must match the decoder's context, a magic.
struct Stored {
  std::uint8_t expected = 0;  // not on the wire: what the decoder knows
  std::optional<std::uint16_t> a;
  std::optional<std::uint16_t> b;
  static std::uint8_t tag(const Stored& m) { return m.expected; }
  static auto fields(auto& m) {
    using Magic = wire::Magic<"ST", "not a stored record">;
    using Tag = wire::Match<wire::U8, tag, "stored tag">;
    using Present = wire::PresenceBits<"stored fields">;
    using Value = wire::Optional<wire::U16>;
    return wire::fields<Magic, Tag, Present, Value, Value>(wire::fixed, m,
                                                           wire::optionals(m.a, m.b), m.a, m.b);
  }
};

// Proves: WIRE-004, WIRE-005
TEST(Wire, PresenceBitsMatchAndMagic) {
  Stored s;
  s.expected = 3;
  s.b = 0x0102;
  EXPECT_EQ(to_hex(wire::encode(s)),
            "5354"
            "03"
            "02"
            "0102");
  // Decoding starts from what the decoder knows (the expected tag).
  const auto read = [](std::string_view text, Stored& out) {
    out.expected = 3;
    const Bytes in = hex(text);
    codec::Reader r(in);
    return wire::read(r, out);
  };
  Stored good;
  ASSERT_TRUE(read("535403020102", good).ok());
  EXPECT_FALSE(good.a.has_value());
  EXPECT_EQ(good.b, std::optional<std::uint16_t>(0x0102));
  Stored bad;
  EXPECT_EQ(read("545403020102", bad).code(), ErrorCode::kBadValue);  // magic
  EXPECT_EQ(read("535404020102", bad).code(), ErrorCode::kBadValue);  // tag
  EXPECT_EQ(read("535403040102", bad).code(), ErrorCode::kBadValue);  // undefined bit
}

}  // namespace
}  // namespace spmc
