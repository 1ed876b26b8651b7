#pragma once
// The receiver's record of accepted key shares (contract KS-010..KS-015, KS-022, ENV-004):
// what one local user keeps of its latest share per sender (scope 1) and per group id
// (scope 2): timestamps and lifetimes, no keys. Checks are split from commits: validate()
// is const, accept() applies what validate() returned, so a share that fails any check
// changes no state (KS-015).
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "spmc/clock.hpp"
#include "spmc/key_share.hpp"
#include "spmc/profile.hpp"
#include "spmc/result.hpp"
#include "spmc/wire_traits.hpp"

namespace spmc::keyshare {

inline constexpr std::size_t kMaxBookEntries = 100000;  // per map: contacts, groups
// STO-008: the book's store layout; version 1 kept each share's master key and seeds.
inline constexpr std::uint16_t kBookVersion = 2;

// KS-022: what the book keeps of an accepted share: what the later checks need (the
// replay bound KS-010, the lifetime KS-012/KS-014, the scope and the sender), never the
// master key or the seed numbers, so the book alone re-derives no message key. The chains
// are derived from the share by the phone when it accepts it (KS-015 commit).
// Store form: string16 sender_id; u8 scope; u64 timestamp_ms; u8 lifetime_kind;
// u64 lifetime_ms; if scope = 2, string16 group_id.
struct BookEntry {
  std::string sender_id;                // who sent the accepted share (the organiser for a group)
  std::optional<std::string> group_id;  // scope 2: the group the share is for
  TimeMs timestamp_ms = 0;              // the replay bound (KS-010)
  Lifetime lifetime;

  Scope scope() const { return group_id ? Scope::kGroup : Scope::kPairwise; }
  // What the book keeps of `share`, sent by `sender_id`.
  static BookEntry of(const KeySharePlain& share, std::string_view sender_id);

  bool operator==(const BookEntry&) const = default;
  static auto fields(auto& m) {
    using ScopeTag = wire::Presence<std::uint8_t, static_cast<std::uint8_t>(Scope::kPairwise),
                                    static_cast<std::uint8_t>(Scope::kGroup), "book entry scope">;
    return wire::fields<wire::Id, ScopeTag, wire::U64, wire::Struct<Lifetime>,
                        wire::Optional<wire::Id>>(m.sender_id, m.group_id, m.timestamp_ms,
                                                  m.lifetime, m.group_id);
  }
};

// A share that passed every check, ready for KeyShareBook::accept.
struct Accepted {
  BookEntry entry;
};

class KeyShareBook {
 public:
  using Entries = std::map<std::string, BookEntry, std::less<>>;

  explicit KeyShareBook(std::string own_user_id);

  // KS-010 replay, KS-011 stale_timestamp, KS-013 expired; a group share must list this
  // user (not_member) and a new sender or group must fit the book (queue_full).
  Result<Accepted> validate(const KeySharePlain& share, std::string_view sender_id, TimeMs now,
                            const Limits& limits) const;
  // Commits a validated share, replacing the sender's (or group's) previous one.
  void accept(Accepted accepted);

  // KS-012/KS-014/ENV-004 for a message under the key share named by key_timestamp:
  // no_session (none held, or a newer one not yet received), expired (replaced, or a
  // duration key whose lifetime ended by sent_ms), stale_timestamp (sent_ms too far ahead).
  Status check_message_time(std::string_view sender_id, TimeMs key_timestamp, TimeMs sent_ms,
                            TimeMs now, const Limits& limits) const;
  Status check_group_message_time(std::string_view group_id, TimeMs key_timestamp, TimeMs sent_ms,
                                  TimeMs now, const Limits& limits) const;

  const BookEntry* pairwise(std::string_view sender_id) const;
  const BookEntry* group(std::string_view group_id) const;

  const std::string& own_user_id() const { return m_own_user_id; }
  const Entries& pairwise_entries() const { return m_pairwise; }
  const Entries& group_entries() const { return m_groups; }
  bool operator==(const KeyShareBook&) const = default;

 private:
  friend Result<KeyShareBook> decode_book(ByteView in);

  std::string m_own_user_id;
  Entries m_pairwise;  // key: sender id
  Entries m_groups;    // key: group id
};

// Store form (STO-008): u16 version = 2; string16 own_user_id; u32 count, count x BookEntry
// for pairwise entries, ascending by sender; the same for group entries, ascending by group
// id. Version 1 (which held the keys) is bad_version.
Bytes encode(const KeyShareBook& book);
Result<KeyShareBook> decode_book(ByteView in);

}  // namespace spmc::keyshare
