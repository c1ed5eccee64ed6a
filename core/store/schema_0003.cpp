// Migration 3: row counters kept by triggers, so daemon.status reads a dozen rows instead of
// scanning every part (issue 7, defect 7). Each trigger runs inside the statement that changed the
// row, hence in the same transaction: the counters are exact whenever a transaction commits.
//
// Rows of `counters`: 'posts', 'targets', and 'parts.<state>' for every part state of migration 1's
// CHECK (core/store/part_state.hpp). The total number of parts is the sum of the 'parts.' rows.
// Foreign-key cascades (deleting a post deletes its targets and parts) fire these triggers too.
// A later migration that rebuilds one of these tables must recreate its triggers and recount.

#include "core/store/schema.hpp"

namespace growth::schema {

const std::string_view migration_0003 = R"sql(
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    n     INTEGER NOT NULL
) WITHOUT ROWID;

-- Backfill from the rows already there (a database upgraded from version 2 keeps its history).
INSERT INTO counters (name, n) VALUES
    ('posts', (SELECT count(*) FROM posts)),
    ('targets', (SELECT count(*) FROM targets));
WITH states (state) AS (VALUES ('draft'), ('scheduled'), ('due'), ('prepared'), ('sending'),
                               ('published'), ('retry_wait'), ('failed'), ('unknown'),
                               ('canceled'), ('missed'), ('needs_auth'))
INSERT INTO counters (name, n)
    SELECT 'parts.' || states.state, (SELECT count(*) FROM parts WHERE parts.state = states.state)
    FROM states;

CREATE TRIGGER posts_counted_insert AFTER INSERT ON posts BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'posts';
END;
CREATE TRIGGER posts_counted_delete AFTER DELETE ON posts BEGIN
    UPDATE counters SET n = n - 1 WHERE name = 'posts';
END;
CREATE TRIGGER targets_counted_insert AFTER INSERT ON targets BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'targets';
END;
CREATE TRIGGER targets_counted_delete AFTER DELETE ON targets BEGIN
    UPDATE counters SET n = n - 1 WHERE name = 'targets';
END;
CREATE TRIGGER parts_counted_insert AFTER INSERT ON parts BEGIN
    UPDATE counters SET n = n + 1 WHERE name = 'parts.' || NEW.state;
END;
CREATE TRIGGER parts_counted_delete AFTER DELETE ON parts BEGIN
    UPDATE counters SET n = n - 1 WHERE name = 'parts.' || OLD.state;
END;
CREATE TRIGGER parts_counted_state AFTER UPDATE OF state ON parts
    WHEN OLD.state IS NOT NEW.state BEGIN
    UPDATE counters SET n = n - 1 WHERE name = 'parts.' || OLD.state;
    UPDATE counters SET n = n + 1 WHERE name = 'parts.' || NEW.state;
END;
)sql";

}  // namespace growth::schema
