// Migration 5: parts by the instant they were published, so an account's posting budget
// (core/pipeline/budget.hpp) reads the last window's parts, never the whole history.

#include "core/store/schema.hpp"

namespace growth::schema {

const std::string_view migration_0005 = R"sql(
CREATE INDEX parts_by_published_at ON parts (published_at) WHERE published_at IS NOT NULL;
)sql";

}  // namespace growth::schema
