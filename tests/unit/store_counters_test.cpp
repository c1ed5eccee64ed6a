// Migration 3: the counters table that daemon.status reads. Every test compares the counters with
// a full scan of the tables (what counts() did before), after inserts, state changes, deletes,
// cascades, rollbacks, and a migration from version 2 of a database that already holds posts.

#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "core/store/migrations.hpp"
#include "core/store/part_state.hpp"
#include "core/store/store.hpp"

namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "growth-counters-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// The counts by scanning the tables, as Store::counts() did before migration 3.
growth::Store::Counts scanned(SQLite::Database& db) {
    growth::Store::Counts c;
    for (growth::PartState s : growth::all_part_states) c.parts_by_state.emplace(std::string(to_string(s)), 0);
    c.posts = db.execAndGet("SELECT count(*) FROM posts").getInt64();
    c.targets = db.execAndGet("SELECT count(*) FROM targets").getInt64();
    SQLite::Statement q(db, "SELECT state, count(*) FROM parts GROUP BY state");
    while (q.executeStep()) {
        c.parts_by_state[q.getColumn(0).getString()] = q.getColumn(1).getInt64();
        c.parts += q.getColumn(1).getInt64();
    }
    return c;
}

std::string show(const growth::Store::Counts& c) {
    std::string out = "posts=" + std::to_string(c.posts) + " targets=" + std::to_string(c.targets) +
                      " parts=" + std::to_string(c.parts);
    for (const auto& [state, n] : c.parts_by_state) {
        if (n != 0) out += " " + state + "=" + std::to_string(n);
    }
    return out;
}

// The counters agree with a scan, and the scan is what the test expects.
void check_counts(growth::Store& store, const std::string& expected) {
    CHECK(show(scanned(store.db())) == expected);
    CHECK(show(store.counts()) == expected);
}

void add_post(SQLite::Database& db, const std::string& post, int first_target, int targets, int parts,
              const std::string& state = "draft") {
    db.exec("INSERT INTO posts (id, text, created_at, updated_at) VALUES ('" + post + "', 'hi', 0, 0)");
    for (int t = 0; t < targets; ++t) {
        const std::string id = std::to_string(first_target + t);
        db.exec("INSERT INTO targets (id, post_id, account, platform, created_at, updated_at) VALUES (" +
                id + ", '" + post + "', 'a" + id + "', 'mastodon', 0, 0)");
        for (int i = 1; i <= parts; ++i) {
            db.exec("INSERT INTO parts (target_id, idx, text, state, created_at, updated_at) VALUES (" + id +
                    ", " + std::to_string(i) + ", 'text', '" + state + "', 0, 0)");
        }
    }
}

}  // namespace

TEST_CASE("counters: migration 3 adds the counters table and its seven triggers") {
    TempDir dir;
    growth::Store store(dir.path / "growth.db");
    CHECK(store.user_version() == growth::Store::latest_version());
    SQLite::Statement q(store.db(),
                        "SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name");
    std::string triggers;
    while (q.executeStep()) triggers += q.getColumn(0).getString() + " ";
    CHECK(triggers ==
          "parts_counted_delete parts_counted_insert parts_counted_state posts_counted_delete "
          "posts_counted_insert targets_counted_delete targets_counted_insert ");
    // One row per part state plus posts and targets: status reads 14 rows, however large the store.
    CHECK(store.db().execAndGet("SELECT count(*) FROM counters").getInt() ==
          static_cast<int>(growth::all_part_states.size()) + 2);
    check_counts(store, "posts=0 targets=0 parts=0");
}

TEST_CASE("counters: exact across inserts, state changes, other updates and deletes") {
    TempDir dir;
    growth::Store store(dir.path / "growth.db");
    SQLite::Database& db = store.db();
    add_post(db, "p1", 10, 2, 3);
    add_post(db, "p2", 20, 1, 2, "prepared");
    check_counts(store, "posts=2 targets=3 parts=8 draft=6 prepared=2");

    db.exec("UPDATE parts SET state = 'sending' WHERE target_id = 20");
    check_counts(store, "posts=2 targets=3 parts=8 draft=6 sending=2");
    db.exec("UPDATE parts SET state = 'published' WHERE target_id = 20 AND idx = 1");
    check_counts(store, "posts=2 targets=3 parts=8 draft=6 published=1 sending=1");
    // A write that keeps the state, or changes other columns only, changes no count.
    db.exec("UPDATE parts SET state = state, attempts = attempts + 1, remote_id = 'r'");
    check_counts(store, "posts=2 targets=3 parts=8 draft=6 published=1 sending=1");
    // Several rows in one statement, from several states to one.
    db.exec("UPDATE parts SET state = 'canceled' WHERE state IN ('draft', 'sending')");
    check_counts(store, "posts=2 targets=3 parts=8 canceled=7 published=1");

    db.exec("DELETE FROM parts WHERE target_id = 10 AND idx = 3");
    check_counts(store, "posts=2 targets=3 parts=7 canceled=6 published=1");
    // Deleting a target cascades to its parts; deleting a post to its targets and their parts.
    db.exec("DELETE FROM targets WHERE id = 11");
    check_counts(store, "posts=2 targets=2 parts=4 canceled=3 published=1");
    db.exec("DELETE FROM posts WHERE id = 'p2'");
    check_counts(store, "posts=1 targets=1 parts=2 canceled=2");
    db.exec("DELETE FROM posts");
    check_counts(store, "posts=0 targets=0 parts=0");
}

TEST_CASE("counters: a rolled-back transaction leaves the counts as they were") {
    TempDir dir;
    growth::Store store(dir.path / "growth.db");
    add_post(store.db(), "p1", 10, 1, 2);
    {
        growth::WriteTransaction tx(store);
        add_post(store.db(), "p2", 20, 2, 2);
        store.db().exec("UPDATE parts SET state = 'failed' WHERE target_id = 10");
        CHECK(show(store.counts()) == "posts=2 targets=3 parts=6 draft=4 failed=2");
    }  // no commit: rolled back
    check_counts(store, "posts=1 targets=1 parts=2 draft=2");
}

TEST_CASE("counters: a version-2 database with posts is counted when it migrates to 3") {
    TempDir dir;
    const fs::path p = dir.path / "growth.db";
    {
        SQLite::Database old(p.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        growth::migrate(old, growth::builtin_migrations().first(2), p.string());
        REQUIRE(old.execAndGet("PRAGMA user_version").getInt() == 2);
        REQUIRE_FALSE(old.tableExists("counters"));
        add_post(old, "p1", 10, 3, 4, "published");
        add_post(old, "p2", 20, 1, 5, "retry_wait");
        add_post(old, "p3", 30, 0, 0);
        old.exec("UPDATE parts SET state = 'unknown' WHERE target_id = 20 AND idx > 3");
    }
    growth::Store store(p);
    CHECK(store.user_version() == growth::Store::latest_version());
    check_counts(store, "posts=3 targets=4 parts=17 published=12 retry_wait=3 unknown=2");
    // And the triggers keep them from there on.
    store.db().exec("UPDATE parts SET state = 'published' WHERE state = 'unknown'");
    store.db().exec("DELETE FROM posts WHERE id = 'p1'");
    check_counts(store, "posts=2 targets=1 parts=5 published=2 retry_wait=3");
}
