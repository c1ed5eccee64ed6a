#pragma once
// The SQL text of each built-in migration (one file each, schema_NNNN.cpp).

#include <string_view>

namespace growth::schema {

/// posts, targets, parts and accounts (DESIGN.md §5).
extern const std::string_view migration_0001;
extern const std::string_view migration_0002;
/// The counters table and its triggers, for an O(1) daemon.status.
extern const std::string_view migration_0003;
/// The post list's index (coalesce(due_at, created_at), id).
extern const std::string_view migration_0004;
/// Parts by published_at, for the posting budgets.
extern const std::string_view migration_0005;

}  // namespace growth::schema
