#include "args.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <utility>

namespace spmc::cli {

namespace {

Error bad(std::string reason) { return make_error(ErrorCode::kBadValue, std::move(reason)); }

std::string range_text(std::uint64_t lo, std::uint64_t hi) {
  return "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
}

// The value as it may be printed on one line: control bytes and non-ASCII as \xNN, so a
// newline in an argument cannot split the error message.
std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      std::array<char, 5> hex{};
      std::snprintf(hex.data(), hex.size(), "\\x%02x", byte);
      out += hex.data();
    }
  }
  return out;
}

// Why `text` is not a plain decimal number, or "" when it is one (digits only, no leading 0).
std::string syntax_problem(std::string_view text) {
  if (text.empty()) {
    return "is empty";
  }
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (text.front() == '-') {
    return "is negative";
  }
  if (text.front() == '+') {
    return "has a '+' sign (write the digits alone)";
  }
  if (text.size() > 1 && text[0] == '0' && std::string_view("xXbBoO").find(text[1]) != text.npos) {
    return "is not decimal (no 0x, 0b or 0o prefix)";
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (std::isspace(static_cast<unsigned char>(text[i])) != 0) {
      return "has whitespace at position " + std::to_string(i + 1);
    }
    if (!is_digit(text[i])) {
      return "has '" + printable(text.substr(i, 1)) + "' at position " + std::to_string(i + 1) +
             " (only the digits 0-9)";
    }
  }
  if (text.size() > 1 && text.front() == '0') {
    return "has a leading zero (octal to some tools, decimal to others: write it without)";
  }
  return "";
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    out += (out.empty() ? "" : ", ") + n;
  }
  return out;
}

[[noreturn]] void reject(const std::string& option, std::string_view value,
                         const std::string& reason, const std::string& expected) {
  throw CLI::ValidationError(
      option, "invalid value '" + printable(value) + "': " + reason + "; expected " + expected);
}

}  // namespace

Result<std::uint64_t> parse_u64(std::string_view text, std::uint64_t lo, std::uint64_t hi) {
  if (std::string problem = syntax_problem(text); !problem.empty()) {
    return bad(std::move(problem));
  }
  std::uint64_t value = 0;
  for (const char c : text) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (kU64Max - digit) / 10) {
      return bad("is larger than 2^64 - 1 = " + std::to_string(kU64Max));
    }
    value = value * 10 + digit;
  }
  if (value < lo || value > hi) {
    return bad("is outside " + range_text(lo, hi));
  }
  return value;
}

Result<SeedRange> parse_seed_range(std::string_view text) {
  const auto dots = text.find("..");
  if (dots == std::string_view::npos) {
    return bad("has no '..' between the first and the last seed");
  }
  auto first = parse_u64(text.substr(0, dots), 0, kU64Max);
  if (!first.ok()) {
    return bad("the first seed " + first.error().detail);
  }
  auto last = parse_u64(text.substr(dots + 2), 0, kU64Max);
  if (!last.ok()) {
    return bad("the last seed " + last.error().detail);
  }
  if (*first > *last) {
    return bad("the first seed " + std::to_string(*first) + " is above the last " +
               std::to_string(*last));
  }
  return SeedRange{*first, *last};
}

Result<std::uint64_t> parse_duration_us(std::string_view text) {
  std::uint64_t scale = 1;
  std::size_t decimals = 0;
  if (text.ends_with("us")) {
    text.remove_suffix(2);
  } else if (text.ends_with("ms")) {
    text.remove_suffix(2);
    scale = 1000;
    decimals = 3;
  } else if (text.ends_with("s")) {
    text.remove_suffix(1);
    scale = 1'000'000;
    decimals = 6;
  }
  const std::size_t dot = text.find('.');
  auto whole = parse_u64(text.substr(0, dot), 0, kU64Max);
  if (!whole.ok()) {
    return bad(whole.error().detail);
  }
  std::uint64_t fraction = 0;
  if (dot != std::string_view::npos) {
    const std::string_view digits = text.substr(dot + 1);
    if (digits.empty() || digits.size() > decimals ||
        digits.find_first_not_of("0123456789") != std::string_view::npos) {
      return bad(decimals == 0
                     ? "has a fraction of a microsecond"
                     : "needs 1 to " + std::to_string(decimals) + " digits after the point");
    }
    for (std::size_t i = 0; i < decimals; ++i) {
      fraction =
          fraction * 10 + (i < digits.size() ? static_cast<std::uint64_t>(digits[i] - '0') : 0);
    }
  }
  if (*whole > (kU64Max - fraction) / scale) {
    return bad("is too large");
  }
  return *whole * scale + fraction;
}

Result<Shard> parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    return bad("has no '/' between K and N");
  }
  auto count = parse_u64(text.substr(slash + 1), 1, kU64Max);
  if (!count.ok()) {
    return bad("N " + count.error().detail);
  }
  auto index = parse_u64(text.substr(0, slash), 1, *count);
  if (!index.ok()) {
    return bad("K " + index.error().detail);
  }
  return Shard{*index, *count};
}

Result<BrokerAddress> parse_broker_address(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return bad("is not HOST:PORT");
  }
  if (colon == 0) {
    return bad("has no host before ':'");
  }
  auto port = parse_u64(text.substr(colon + 1), 1, 65535);
  if (!port.ok()) {
    return bad("port " + port.error().detail);
  }
  return BrokerAddress{std::string(text.substr(0, colon)), static_cast<std::uint16_t>(*port)};
}

Result<std::uint64_t> parse_scrypt_cost(std::string_view text) {
  auto n = parse_u64(text, 2, 1U << 20);
  if (n.ok() && (*n & (*n - 1)) != 0) {
    return bad("is not a power of two");
  }
  return n;
}

Result<Conversation> parse_conversation(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos) {
    return bad("needs exactly one ':' between the two ends");
  }
  if (colon == 0 || colon + 1 == text.size()) {
    return bad("an end is empty");
  }
  return Conversation{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

std::string closest_name(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 0;
  for (const std::string& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d <= std::max<std::size_t>(1, c.size() / 3) && (best.empty() || d < best_distance)) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string unknown_choice(std::string_view noun, std::string_view value,
                           const std::vector<std::string>& choices) {
  if (std::find(choices.begin(), choices.end(), value) != choices.end()) {
    return "";
  }
  const std::string near = closest_name(value, choices);
  return "unknown " + std::string(noun) + " '" + printable(value) + "' (" +
         (near.empty() ? "" : "did you mean '" + near + "'? ") + "one of: " + joined(choices) + ")";
}

std::string unknown_subcommand(CLI::App& app, const std::vector<std::string>& args) {
  CLI::App* current = &app;
  std::string noun = "command";
  for (const std::string& arg : args) {
    if (arg == "--") {
      return "";
    }
    if (!arg.empty() && arg.front() == '-') {
      continue;
    }
    const auto subcommands = current->get_subcommands([](CLI::App*) { return true; });
    if (subcommands.empty()) {
      return "";
    }
    std::vector<std::string> names;
    names.reserve(subcommands.size());
    CLI::App* next = nullptr;
    for (CLI::App* sub : subcommands) {
      if (!sub->get_group().empty()) {  // a hidden command (spmc docs) is not suggested
        names.push_back(sub->get_name());
      }
      next = sub->get_name() == arg ? sub : next;
    }
    if (next == nullptr) {
      return unknown_choice(noun, arg, names);
    }
    noun = next->get_name() + " command";
    current = next;
  }
  return "";
}

namespace {

// Every text-valued option goes through here: `parse` gives a Result, and a failure ends
// command-line parsing with the option, the value and the reason.
template <typename T, typename Parse>
CLI::Option* add_parsed_option(CLI::App& cmd, const std::string& name, T& out, Parse parse,
                               std::string expected, const std::string& description) {
  return cmd.add_option_function<std::string>(
      name,
      [&out, name, parse = std::move(parse),
       expected = std::move(expected)](const std::string& text) {
        auto value = parse(text);
        if (!value.ok()) {
          reject(name, text, value.error().detail, expected);
        }
        out = static_cast<T>(*value);
      },
      description);
}

template <typename T>
CLI::Option* add_integer_option(CLI::App& cmd, const std::string& name, T& out, std::uint64_t lo,
                                std::uint64_t hi, const std::string& description) {
  const auto parse = [lo, hi](std::string_view text) { return parse_u64(text, lo, hi); };
  return add_parsed_option(cmd, name, out, parse, "a decimal integer in " + range_text(lo, hi),
                           description)
      ->type_name("UINT")
      ->default_str(std::to_string(out));
}

}  // namespace

CLI::Option* add_u64_option(CLI::App& cmd, const std::string& name, std::uint64_t& out,
                            std::uint64_t lo, std::uint64_t hi, const std::string& description) {
  return add_integer_option(cmd, name, out, lo, hi, description);
}

CLI::Option* add_u32_option(CLI::App& cmd, const std::string& name, std::uint32_t& out,
                            std::uint32_t lo, std::uint32_t hi, const std::string& description) {
  return add_integer_option(cmd, name, out, lo, hi, description);
}

CLI::Option* add_seed_range_option(CLI::App& cmd, const std::string& name, SeedRange& out,
                                   const std::string& description) {
  return add_parsed_option(cmd, name, out, parse_seed_range, "A..B with 0 <= A <= B < 2^64",
                           description)
      ->type_name("A..B")
      ->default_str(std::to_string(out.first) + ".." + std::to_string(out.last));
}

CLI::Option* add_duration_option(CLI::App& cmd, const std::string& name,
                                 std::optional<std::uint64_t>& out,
                                 const std::string& description) {
  return add_parsed_option(cmd, name, out, parse_duration_us,
                           "a time such as 12.5s, 300ms or 1500us", description)
      ->type_name("TIME");
}

CLI::Option* add_conversation_option(CLI::App& cmd, const std::string& name,
                                     std::optional<Conversation>& out,
                                     const std::string& description) {
  return add_parsed_option(cmd, name, out, parse_conversation, "A:B, two phone indexes or user ids",
                           description)
      ->type_name("A:B");
}

CLI::Option* add_shard_option(CLI::App& cmd, const std::string& name, Shard& out,
                              const std::string& description) {
  return add_parsed_option(cmd, name, out, parse_shard, "K/N with 1 <= K <= N", description)
      ->type_name("K/N")
      ->default_str(std::to_string(out.index) + "/" + std::to_string(out.count));
}

CLI::Option* add_scrypt_cost_option(CLI::App& cmd, const std::string& name, std::uint64_t& out,
                                    const std::string& description) {
  return add_parsed_option(cmd, name, out, parse_scrypt_cost, "a power of two in [2, 1048576]",
                           description)
      ->type_name("N")
      ->default_str(std::to_string(out));
}

namespace {

// CLI11 runs a validator on each value before storing it, and reports its message prefixed
// with the option's name.
CLI::Validator choice_validator(std::string_view noun, std::vector<std::string> choices) {
  const std::string shown = "{" + joined(choices) + "}";
  return CLI::Validator(
      [noun = std::string(noun), choices = std::move(choices)](const std::string& value) {
        return unknown_choice(noun, value, choices);
      },
      shown);
}

}  // namespace

CLI::Option* add_choice_option(CLI::App& cmd, const std::string& name, std::string& out,
                               std::string_view noun, std::vector<std::string> choices,
                               const std::string& description) {
  return cmd.add_option(name, out, description)
      ->check(choice_validator(noun, std::move(choices)))
      ->capture_default_str();
}

CLI::Option* add_choice_option(CLI::App& cmd, const std::string& name,
                               std::vector<std::string>& out, std::string_view noun,
                               std::vector<std::string> choices, const std::string& description) {
  return cmd.add_option(name, out, description)->check(choice_validator(noun, std::move(choices)));
}

}  // namespace spmc::cli
