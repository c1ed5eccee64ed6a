#pragma once
// Reading an SQLite file's 100-byte header directly, so a database this binary must refuse is
// judged before SQLite opens (and could touch) it.

#include <cstdint>
#include <filesystem>
#include <optional>

namespace growth {

/// The schema version (user_version, header offset 60) of the SQLite database at `path`, or
/// nullopt when there is no file or it is empty (SQLite then creates a new database).
/// Throws Error("store_error", "<path>: ...") when the file is a directory, unreadable, or not an
/// SQLite 3 database.
std::optional<std::int32_t> read_header_user_version(const std::filesystem::path& path);

}  // namespace growth
