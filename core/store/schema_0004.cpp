// Migration 4: the post list's order (newest due first; a post published at once is "due" when it
// was recorded), so `growthctl list` pages by cursor down one index instead of sorting the history.

#include "core/store/schema.hpp"

namespace growth::schema {

const std::string_view migration_0004 = R"sql(
CREATE INDEX posts_by_when ON posts (coalesce(due_at, created_at), id);
)sql";

}  // namespace growth::schema
