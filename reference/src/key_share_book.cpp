// KS-010..KS-015: accepting key shares, and the lifetime checks messages rely on.
#include "spmc/key_share_book.hpp"

#include <limits>

#include "spmc/codec.hpp"
#include "spmc/wire.hpp"

namespace spmc::keyshare {

namespace {

using wire::kMaxIdLength;
constexpr std::size_t kMaxStoredPlainSize = 1U << 17;  // a 1000-member group share fits

TimeMs add_saturating(TimeMs a, TimeMs b) {
  return a > std::numeric_limits<TimeMs>::max() - b ? std::numeric_limits<TimeMs>::max() : a + b;
}

// The first instant the share's key is no longer valid (KS-012), or never.
bool ended_by(const KeySharePlain& share, TimeMs t) {
  return share.lifetime.kind == LifetimeKind::kDuration &&
         t >= add_saturating(share.timestamp_ms, share.lifetime.duration_ms);
}

Status check_time(const BookEntry* held, std::string_view what, TimeMs key_timestamp,
                  TimeMs sent_ms, TimeMs now, const Limits& limits) {
  if (held == nullptr || key_timestamp > held->share.timestamp_ms) {
    return make_error(ErrorCode::kNoSession, "no key share " + std::to_string(key_timestamp) +
                                                 " held for " + std::string(what));
  }
  if (key_timestamp < held->share.timestamp_ms) {  // KS-012: replaced by a newer share
    return make_error(ErrorCode::kExpired, "key share " + std::to_string(key_timestamp) + " of " +
                                               std::string(what) + " was replaced");
  }
  if (sent_ms > add_saturating(now, limits.max_future_skew_ms)) {  // ENV-004
    return make_error(ErrorCode::kStaleTimestamp, "message sent_ms is in the future");
  }
  if (ended_by(held->share, sent_ms)) {  // KS-014
    return make_error(ErrorCode::kExpired, "key lifetime ended before sent_ms");
  }
  return ok_status();
}

const BookEntry* find(const KeyShareBook::Entries& entries, std::string_view key) {
  const auto it = entries.find(key);
  return it == entries.end() ? nullptr : &it->second;
}

}  // namespace

KeyShareBook::KeyShareBook(std::string own_user_id) : m_own_user_id(std::move(own_user_id)) {
  SPMC_CHECK(!m_own_user_id.empty() && m_own_user_id.size() <= kMaxIdLength);
}

Result<Accepted> KeyShareBook::validate(const KeySharePlain& share, std::string_view sender_id,
                                        TimeMs now, const Limits& limits) const {
  const bool is_group = share.group.has_value();
  if (is_group && !group::sender_index(*share.group, m_own_user_id)) {
    return make_error(ErrorCode::kNotMember, "group key share does not list " + m_own_user_id);
  }
  const Entries& entries = is_group ? m_groups : m_pairwise;
  const BookEntry* held = find(entries, is_group ? share.group->group_id : sender_id);
  if (held != nullptr && share.timestamp_ms <= held->share.timestamp_ms) {  // KS-010
    return make_error(ErrorCode::kReplay,
                      "key share timestamp " + std::to_string(share.timestamp_ms) +
                          " not after the accepted " + std::to_string(held->share.timestamp_ms));
  }
  if (share.timestamp_ms > add_saturating(now, limits.max_future_skew_ms)) {  // KS-011
    return make_error(ErrorCode::kStaleTimestamp, "key share timestamp is in the future");
  }
  if (ended_by(share, now)) {  // KS-013
    return make_error(ErrorCode::kExpired, "key share lifetime already ended");
  }
  if (held == nullptr && entries.size() >= kMaxBookEntries) {
    return make_error(ErrorCode::kQueueFull, "key share book is full");
  }
  return Accepted{BookEntry{std::string(sender_id), share}};
}

void KeyShareBook::accept(Accepted accepted) {
  BookEntry& entry = accepted.entry;
  const bool is_group = entry.share.group.has_value();
  Entries& entries = is_group ? m_groups : m_pairwise;
  std::string key = is_group ? entry.share.group->group_id : entry.sender_id;
  const BookEntry* held = find(entries, key);
  // Accepting out of order (a stale Accepted) would lower the replay bound.
  SPMC_CHECK(held == nullptr || entry.share.timestamp_ms > held->share.timestamp_ms);
  entries.insert_or_assign(std::move(key), std::move(entry));
}

Status KeyShareBook::check_message_time(std::string_view sender_id, TimeMs key_timestamp,
                                        TimeMs sent_ms, TimeMs now, const Limits& limits) const {
  return check_time(pairwise(sender_id), sender_id, key_timestamp, sent_ms, now, limits);
}

Status KeyShareBook::check_group_message_time(std::string_view group_id, TimeMs key_timestamp,
                                              TimeMs sent_ms, TimeMs now,
                                              const Limits& limits) const {
  return check_time(group(group_id), group_id, key_timestamp, sent_ms, now, limits);
}

const BookEntry* KeyShareBook::pairwise(std::string_view sender_id) const {
  return find(m_pairwise, sender_id);
}

const BookEntry* KeyShareBook::group(std::string_view group_id) const {
  return find(m_groups, group_id);
}

namespace {

void write_entries(codec::Writer& w, const KeyShareBook::Entries& entries) {
  w.u32(static_cast<std::uint32_t>(entries.size()));
  for (const auto& [key, entry] : entries) {
    w.string16(entry.sender_id);
    w.bytes32(encode(entry.share));
  }
}

// Reads one map; entries must be in strictly ascending key order (canonical form).
Status read_entries(codec::Reader& r, bool groups, const std::string& own_user_id,
                    KeyShareBook::Entries& out) {
  SPMC_TRY(std::uint32_t count, r.u32());
  if (count > kMaxBookEntries) {
    return make_error(ErrorCode::kBadLength, "book entry count " + std::to_string(count));
  }
  for (std::uint32_t i = 0; i < count; ++i) {
    BookEntry entry;
    SPMC_TRY(entry.sender_id, r.string16(1, kMaxIdLength));
    SPMC_TRY(Bytes plain, r.bytes32(1, kMaxStoredPlainSize));
    SPMC_TRY(entry.share, decode_plain(plain));
    secure_wipe(plain);
    if (entry.share.group.has_value() != groups) {
      return make_error(ErrorCode::kBadValue, "book entry of the wrong scope");
    }
    if (groups && !group::sender_index(*entry.share.group, own_user_id)) {
      return make_error(ErrorCode::kBadValue, "book holds a group share not listing its owner");
    }
    std::string key = groups ? entry.share.group->group_id : entry.sender_id;
    if (!out.empty() && !(out.rbegin()->first < key)) {
      return make_error(ErrorCode::kBadValue, "book entries not in ascending order");
    }
    out.emplace_hint(out.end(), std::move(key), std::move(entry));
  }
  return ok_status();
}

}  // namespace

Bytes encode(const KeyShareBook& book) {
  codec::Writer w;
  w.u16(kVersion);
  w.string16(book.own_user_id());
  write_entries(w, book.pairwise_entries());
  write_entries(w, book.group_entries());
  return w.take();
}

Result<KeyShareBook> decode_book(ByteView in) {
  codec::Reader r(in);
  SPMC_TRY(std::uint16_t version, r.u16());
  if (version != kVersion) {
    return make_error(ErrorCode::kBadVersion, "key share book version " + std::to_string(version));
  }
  SPMC_TRY(std::string own, r.string16(1, kMaxIdLength));
  KeyShareBook book(own);
  SPMC_TRY_STATUS(read_entries(r, false, own, book.m_pairwise));
  SPMC_TRY_STATUS(read_entries(r, true, own, book.m_groups));
  SPMC_TRY_STATUS(r.expect_end());
  return book;
}

}  // namespace spmc::keyshare
