#pragma once
// The one place the command line turns text into numbers and names. Every numeric option is
// a plain decimal integer in the option's own range: no sign, no whitespace, no leading zero,
// no hex or octal, no trailing text, so two different spellings never run one world (CLI11's
// own conversion reads "010" as octal 8 and "-1" as 2^64-1). A bad value ends parsing with a
// CLI::ValidationError naming the option, the value and the reason (exit 2 in main.cpp).
#include <CLI/CLI.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "spmc/result.hpp"

namespace spmc::cli {

inline constexpr std::uint64_t kU64Max = std::numeric_limits<std::uint64_t>::max();

// A decimal integer in [lo, hi]; the error's detail is the reason alone ("is negative").
Result<std::uint64_t> parse_u64(std::string_view text, std::uint64_t lo, std::uint64_t hi);

// "A..B", both ends included, A <= B.
struct SeedRange {
  std::uint64_t first = 1;
  std::uint64_t last = 100;
};
Result<SeedRange> parse_seed_range(std::string_view text);

// "K/N": the K-th of N shards, 1 <= K <= N.
struct Shard {
  std::uint64_t index = 1;
  std::uint64_t count = 1;
};
Result<Shard> parse_shard(std::string_view text);

// A virtual time or span in microseconds: a decimal number and a unit, "12.5s", "300ms",
// "1500us"; a bare integer is microseconds, the trace's own unit ("t"). At most six decimals
// with s and three with ms, so every spelling is an exact number of microseconds.
Result<std::uint64_t> parse_duration_us(std::string_view text);

// "A:B": the two ends of a conversation, each a phone index or a user id (spmc chart
// --conversation, spmc sim --report-conversation).
using Conversation = std::pair<std::string, std::string>;
Result<Conversation> parse_conversation(std::string_view text);

// "HOST:PORT" (spmc server --broker, spmc live --broker): a non-empty host and a decimal port in
// [1, 65535] after the last ':'.
struct BrokerAddress {
  std::string host;
  std::uint16_t port = 0;
};
Result<BrokerAddress> parse_broker_address(std::string_view text);

// scrypt's cost N (SU-001): a power of two in [2, 2^20].
Result<std::uint64_t> parse_scrypt_cost(std::string_view text);

// The closest of `candidates` to `word` by edit distance, or "" when none is near enough to
// be a likely typo (more than a third of the word's letters differ).
std::string closest_name(std::string_view word, const std::vector<std::string>& candidates);

// "unknown <noun> '<value>' (did you mean '<x>'? one of: a, b, c)", or "" when `value` is one
// of `choices`.
std::string unknown_choice(std::string_view noun, std::string_view value,
                           const std::vector<std::string>& choices);

// Why the command words in `args` (argv without the program name) do not name a subcommand
// of `app` ("unknown command 'simm' (did you mean 'sim'? one of: ...)"), or "" when they do.
// Only the words before the first subcommand without subcommands are looked at, so only
// apps whose options are all flags may have subcommands.
std::string unknown_subcommand(CLI::App& app, const std::vector<std::string>& args);

// The registration helpers: the option's value is checked when it is parsed, before any
// command runs, and its default is shown in --help.
CLI::Option* add_u64_option(CLI::App& cmd, const std::string& name, std::uint64_t& out,
                            std::uint64_t lo, std::uint64_t hi, const std::string& description);
CLI::Option* add_u32_option(CLI::App& cmd, const std::string& name, std::uint32_t& out,
                            std::uint32_t lo, std::uint32_t hi, const std::string& description);
CLI::Option* add_seed_range_option(CLI::App& cmd, const std::string& name, SeedRange& out,
                                   const std::string& description);
CLI::Option* add_shard_option(CLI::App& cmd, const std::string& name, Shard& out,
                              const std::string& description);
CLI::Option* add_duration_option(CLI::App& cmd, const std::string& name,
                                 std::optional<std::uint64_t>& out, const std::string& description);
CLI::Option* add_scrypt_cost_option(CLI::App& cmd, const std::string& name, std::uint64_t& out,
                                    const std::string& description);
CLI::Option* add_conversation_option(CLI::App& cmd, const std::string& name,
                                     std::optional<Conversation>& out,
                                     const std::string& description);
// An option with a fixed set of values (repeatable when `out` is a vector); an unknown value
// lists the valid ones. `noun` names one value in the message ("bug", "profile").
CLI::Option* add_choice_option(CLI::App& cmd, const std::string& name, std::string& out,
                               std::string_view noun, std::vector<std::string> choices,
                               const std::string& description);
CLI::Option* add_choice_option(CLI::App& cmd, const std::string& name,
                               std::vector<std::string>& out, std::string_view noun,
                               std::vector<std::string> choices, const std::string& description);

}  // namespace spmc::cli
