// Migration 2: what the publishing pipeline must remember about a part's attempts to resume it
// safely (core/publish/publisher.hpp, DRIVING CONTRACT §2 and §4).

#include "core/store/schema.hpp"

namespace growth::schema {

const std::string_view migration_0002 = R"sql(
-- 1 when the last attempt may have reached the platform with an unknown result (the publisher's
-- Failure::verify_on_retry): the next attempt must check before re-sending.
ALTER TABLE parts ADD COLUMN verify_on_retry INTEGER NOT NULL DEFAULT 0
    CHECK (verify_on_retry IN (0, 1));
-- When the first request of this part was sent (Mastodon forgets idempotency keys after an hour).
ALTER TABLE parts ADD COLUMN first_attempt_at INTEGER;
)sql";

}  // namespace growth::schema
