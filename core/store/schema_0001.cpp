// Migration 1: the tables of DESIGN.md §5. Later issues extend them (ALTER TABLE ADD COLUMN, new
// tables, new indices) in new migrations; this text never changes once released.
//
// Conventions: every *_at column is a UTC instant in milliseconds since 1970-01-01 (INTEGER, so
// the scheduler compares and indexes them cheaply); *_json / options / settings columns hold a
// JSON object. States are spelled as in core/store/part_state.hpp. Secrets are never stored here
// (they live in vault.db).

#include "core/store/schema.hpp"

namespace growth::schema {

const std::string_view migration_0001 = R"sql(
CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    platform    TEXT NOT NULL CHECK (platform IN
                    ('x', 'linkedin', 'facebook', 'instagram', 'threads', 'mastodon', 'bluesky')),
    api_base    TEXT,                 -- NULL: the platform's default base URL
    settings    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings) AND json_type(settings) = 'object'),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX accounts_by_platform ON accounts (platform);

CREATE TABLE posts (
    id          TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),  -- short, time-sortable
    text        TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'draft' CHECK (state IN
                    ('draft', 'scheduled', 'due', 'prepared', 'sending', 'published', 'retry_wait',
                     'failed', 'unknown', 'canceled', 'missed', 'needs_auth', 'partial')),
    due_at      INTEGER,              -- NULL: publish now
    tz          TEXT,                 -- IANA zone the time was written in, for display and recurrence
    options     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options) AND json_type(options) = 'object'),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
-- The scheduler's next-due lookup: WHERE state = 'scheduled' ORDER BY due_at.
CREATE INDEX posts_by_state_due ON posts (state, due_at);

CREATE TABLE targets (
    id          INTEGER PRIMARY KEY,
    post_id     TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    -- The account, while it exists. Removing an account keeps the history: account_id becomes
    -- NULL and the name and platform it had stay below.
    account_id  INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    account     TEXT NOT NULL,
    platform    TEXT NOT NULL CHECK (platform IN
                    ('x', 'linkedin', 'facebook', 'instagram', 'threads', 'mastodon', 'bluesky')),
    state       TEXT NOT NULL DEFAULT 'draft' CHECK (state IN
                    ('draft', 'scheduled', 'due', 'prepared', 'sending', 'published', 'retry_wait',
                     'failed', 'unknown', 'canceled', 'missed', 'needs_auth', 'partial')),
    options     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options) AND json_type(options) = 'object'),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (post_id, account)
);
CREATE INDEX targets_by_account ON targets (account_id);
CREATE INDEX targets_by_state ON targets (state);

CREATE TABLE parts (
    id               INTEGER PRIMARY KEY,
    target_id        INTEGER NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
    idx              INTEGER NOT NULL CHECK (idx >= 1),   -- 1-based position in the thread
    text             TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'draft' CHECK (state IN
                         ('draft', 'scheduled', 'due', 'prepared', 'sending', 'published', 'retry_wait',
                          'failed', 'unknown', 'canceled', 'missed', 'needs_auth')),
    -- Fixed when the part becomes 'prepared', before a byte goes on the wire, so a re-send after
    -- a crash is recognised by the platform (Mastodon Idempotency-Key, Bluesky record key).
    idempotency_key  TEXT,
    record_key       TEXT,
    -- Instagram and Threads publish in two steps: the media container made first is kept, so
    -- after a crash the same container is published instead of a second one being made.
    container_id     TEXT,
    -- What the platform answered; committed the moment it is known.
    remote_id        TEXT,            -- status id, tweet id, at:// URI, ...
    remote_cid       TEXT,            -- Bluesky: the record's CID (needed to reply to it)
    remote_url       TEXT,            -- public URL of the part
    -- What this part was sent replying to (part idx-1, and the thread's root), recorded when it is
    -- prepared so recovery knows exactly what went out.
    reply_parent_id  TEXT,
    reply_parent_cid TEXT,
    reply_root_id    TEXT,
    reply_root_cid   TEXT,
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  INTEGER,         -- set in 'retry_wait': not before this instant
    last_error_kind  TEXT,            -- stable symbolic kind, e.g. 'rate_limited'
    last_error       TEXT,            -- the human message
    last_attempt_at  INTEGER,
    published_at     INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (target_id, idx)
);
-- The scheduler's retry lookup (WHERE state = 'retry_wait' ORDER BY next_attempt_at), crash
-- recovery (WHERE state IN ('prepared', 'sending')) and status counts.
CREATE INDEX parts_by_state_next_attempt ON parts (state, next_attempt_at);
CREATE UNIQUE INDEX parts_by_idempotency_key ON parts (idempotency_key)
    WHERE idempotency_key IS NOT NULL;
)sql";

}  // namespace growth::schema
