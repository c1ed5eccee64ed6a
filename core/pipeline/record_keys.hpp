#pragma once
// Bluesky record keys (TIDs) that are unique per account: one monotonic source per account,
// the keys already stored for its parts, instead of one clock per post (two posts in the same
// millisecond, or a clock that went back, would otherwise get the same key).

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <string>

#include "core/pipeline/records.hpp"

namespace growth::pipeline {

/// The next record key for account `account_id`: a TID whose time is `now` or, when the account
/// already has a key at or after it, one microsecond after the newest one stored (keys stored
/// this way grow with the target id, so the newest is in the account's latest target that has
/// keys). `clock_id` fills the TID's 10 low bits. Call inside the transaction that stores the
/// key, so the next call sees it. Throws SQLite::Exception.
std::string next_record_key(SQLite::Database& db, std::int64_t account_id, Millis now,
                            std::uint16_t clock_id);

}  // namespace growth::pipeline
