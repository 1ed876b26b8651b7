#pragma once
// The receiver's record of accepted key shares (contract KS-010..KS-015, ENV-004): one
// local user's latest share per sender (scope 1) and per group id (scope 2). Checks are
// split from commits: validate() is const, accept() applies what validate() returned, so
// a share that fails any check changes no state (KS-015).
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "spmc/clock.hpp"
#include "spmc/key_share.hpp"
#include "spmc/profile.hpp"
#include "spmc/result.hpp"
#include "spmc/wire_traits.hpp"

namespace spmc::keyshare {

inline constexpr std::size_t kMaxBookEntries = 100000;        // per map: contacts, groups
inline constexpr std::size_t kMaxStoredPlainSize = 1U << 17;  // a 1000-member group share fits

// Store form: string16 sender_id; bytes32 KeySharePlain.
struct BookEntry {
  std::string sender_id;  // who sent the accepted share (the organiser for a group)
  KeySharePlain share;    // its timestamp is the replay bound (KS-010)

  bool operator==(const BookEntry&) const = default;
  static auto fields(auto& m) {
    using Share = wire::Nested<KeySharePlain, 1, kMaxStoredPlainSize>;
    return wire::fields<wire::Id, Share>(m.sender_id, m.share);
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

// Store form: u16 version; string16 own_user_id; u32 count, count x (string16 sender_id;
// bytes32 KeySharePlain) for pairwise entries, ascending by sender; the same for group
// entries, ascending by group id (taken from each share's group part).
Bytes encode(const KeyShareBook& book);
Result<KeyShareBook> decode_book(ByteView in);

}  // namespace spmc::keyshare
