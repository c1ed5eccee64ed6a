#pragma once
// Schema migrations keyed on PRAGMA user_version. The list is history: a released migration is
// never edited, a change is a new migration appended at the end.

#include <span>
#include <string>
#include <string_view>

#include <SQLiteCpp/Database.h>

namespace growth {

/// One schema step: running `sql` on a database at version-1 yields version `version`.
struct Migration {
    int version;            ///< 1, 2, 3 ... in order, no gaps
    std::string_view name;  ///< for error messages, e.g. "posts, targets, parts, accounts"
    std::string_view sql;   ///< one or more statements
};

/// The built-in migrations, oldest first; their count is the schema version this binary writes.
std::span<const Migration> builtin_migrations() noexcept;

/// Applies every migration newer than the database's user_version, each in its own BEGIN IMMEDIATE
/// transaction that also sets user_version and runs PRAGMA foreign_key_check, so a failure leaves
/// the database at the last completed version. Call with foreign_keys=OFF (SQLite's procedure for
/// table rebuilds); it is not changed here. `label` (the path) prefixes error messages.
/// Throws Error("store_too_new") when user_version is newer than the list, Error("store_busy") when
/// the write lock cannot be had, Error("store_error") when a migration fails or the list has gaps.
void migrate(SQLite::Database& db, std::span<const Migration> migrations, const std::string& label);

/// The message of the store_too_new error for a file at `found` when this binary knows `latest`.
std::string too_new_message(const std::string& label, long long found, int latest);

/// The message of the store_error for a file at a negative schema version `found`.
std::string unknown_version_message(const std::string& label, long long found);

}  // namespace growth
