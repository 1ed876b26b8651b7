// KS-010..KS-015, KS-022: accepting key shares, and the lifetime checks messages rely on.
#include "spmc/key_share_book.hpp"

#include <limits>

#include "spmc/codec.hpp"
#include "spmc/wire_traits.hpp"

namespace spmc::keyshare {

namespace {

using wire::kMaxIdLength;

TimeMs add_saturating(TimeMs a, TimeMs b) {
  return a > std::numeric_limits<TimeMs>::max() - b ? std::numeric_limits<TimeMs>::max() : a + b;
}

// Whether a key of this timestamp and lifetime is no longer valid at t (KS-012).
bool ended_by(TimeMs timestamp_ms, const Lifetime& lifetime, TimeMs t) {
  return lifetime.kind == LifetimeKind::kDuration &&
         t >= add_saturating(timestamp_ms, lifetime.duration_ms);
}

Status check_time(const BookEntry* held, std::string_view what, TimeMs key_timestamp,
                  TimeMs sent_ms, TimeMs now, const Limits& limits) {
  if (held == nullptr || key_timestamp > held->timestamp_ms) {
    return make_error(ErrorCode::kNoSession, "no key share " + std::to_string(key_timestamp) +
                                                 " held for " + std::string(what));
  }
  if (key_timestamp < held->timestamp_ms) {  // KS-012: replaced by a newer share
    return make_error(ErrorCode::kExpired, "key share " + std::to_string(key_timestamp) + " of " +
                                               std::string(what) + " was replaced");
  }
  if (sent_ms > add_saturating(now, limits.max_future_skew_ms)) {  // ENV-004
    return make_error(ErrorCode::kStaleTimestamp, "message sent_ms is in the future");
  }
  if (ended_by(held->timestamp_ms, held->lifetime, sent_ms)) {  // KS-014
    return make_error(ErrorCode::kExpired, "key lifetime ended before sent_ms");
  }
  return ok_status();
}

const BookEntry* find(const KeyShareBook::Entries& entries, std::string_view key) {
  const auto it = entries.find(key);
  return it == entries.end() ? nullptr : &it->second;
}

}  // namespace

BookEntry BookEntry::of(const KeySharePlain& share, std::string_view sender_id) {
  BookEntry entry{std::string(sender_id), std::nullopt, share.timestamp_ms, share.lifetime};
  if (share.group) {
    entry.group_id = share.group->group_id;
  }
  return entry;
}

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
  if (held != nullptr && share.timestamp_ms <= held->timestamp_ms) {  // KS-010
    return make_error(ErrorCode::kReplay,
                      "key share timestamp " + std::to_string(share.timestamp_ms) +
                          " not after the accepted " + std::to_string(held->timestamp_ms));
  }
  if (share.timestamp_ms > add_saturating(now, limits.max_future_skew_ms)) {  // KS-011
    return make_error(ErrorCode::kStaleTimestamp, "key share timestamp is in the future");
  }
  if (ended_by(share.timestamp_ms, share.lifetime, now)) {  // KS-013
    return make_error(ErrorCode::kExpired, "key share lifetime already ended");
  }
  if (held == nullptr && entries.size() >= kMaxBookEntries) {
    return make_error(ErrorCode::kQueueFull, "key share book is full");
  }
  return Accepted{BookEntry::of(share, sender_id)};
}

void KeyShareBook::accept(Accepted accepted) {
  BookEntry& entry = accepted.entry;
  const bool is_group = entry.group_id.has_value();
  Entries& entries = is_group ? m_groups : m_pairwise;
  std::string key = is_group ? *entry.group_id : entry.sender_id;
  const BookEntry* held = find(entries, key);
  // Accepting out of order (a stale Accepted) would lower the replay bound.
  SPMC_CHECK(held == nullptr || entry.timestamp_ms > held->timestamp_ms);
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

// The store form (key_share_book.hpp): each map is a count then its entries, in strictly
// ascending key order (canonical form), each entry in the map of its scope.
struct BookForm {
  std::string own_user_id;
  KeyShareBook::Entries pairwise;
  KeyShareBook::Entries groups;

  static Status admit(const BookForm&, std::uint32_t count) {
    if (count > kMaxBookEntries) {
      return make_error(ErrorCode::kBadLength, "book entry count " + std::to_string(count));
    }
    return ok_status();
  }
  template <bool Groups>
  static Status add(const BookForm&, KeyShareBook::Entries& out, BookEntry&& entry) {
    if (entry.group_id.has_value() != Groups) {
      return make_error(ErrorCode::kBadValue, "book entry of the wrong scope");
    }
    std::string key = Groups ? *entry.group_id : entry.sender_id;
    if (!out.empty() && !(out.rbegin()->first < key)) {
      return make_error(ErrorCode::kBadValue, "book entries not in ascending order");
    }
    out.emplace_hint(out.end(), std::move(key), std::move(entry));
    return ok_status();
  }
  static auto fields(auto& m) {
    using Ver = wire::Version<std::uint16_t, kBookVersion, "key share book">;
    using Entry = wire::Values<wire::Struct<BookEntry>>;
    using Pairwise = wire::Seq<std::uint32_t, Entry, admit, add<false>>;
    using Groups = wire::Seq<std::uint32_t, Entry, admit, add<true>>;
    return wire::fields<Ver, wire::Id, Pairwise, Groups>(
        wire::fixed, m.own_user_id, wire::with(m, m.pairwise), wire::with(m, m.groups));
  }
};

}  // namespace

Bytes encode(const KeyShareBook& book) {
  const BookForm form{book.own_user_id(), book.pairwise_entries(), book.group_entries()};
  return wire::encode(form);
}

Result<KeyShareBook> decode_book(ByteView in) {
  SPMC_TRY(BookForm form, wire::decode<BookForm>(in));
  KeyShareBook book(form.own_user_id);
  book.m_pairwise = std::move(form.pairwise);
  book.m_groups = std::move(form.groups);
  return book;
}

}  // namespace spmc::keyshare
