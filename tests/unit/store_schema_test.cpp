// Migration 1's schema: the constraints that keep the state machine and the post -> target -> part
// tree consistent, and Store::counts().

#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <string>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include "core/store/part_state.hpp"
#include "core/store/store.hpp"
#include "store_test_support.hpp"

namespace fs = std::filesystem;

namespace {

using growth::test::TempStore;

// One post with one target (account "me" on Mastodon) and no parts.
void add_post_and_target(SQLite::Database& db) {
    db.exec("INSERT INTO accounts (id, name, platform, created_at, updated_at)"
            " VALUES (1, 'me', 'mastodon', 0, 0)");
    db.exec("INSERT INTO posts (id, text, created_at, updated_at) VALUES ('p1', 'hi', 0, 0)");
    db.exec("INSERT INTO targets (id, post_id, account_id, account, platform, created_at, updated_at)"
            " VALUES (10, 'p1', 1, 'me', 'mastodon', 0, 0)");
}

void add_part(SQLite::Database& db, int idx, const std::string& state) {
    SQLite::Statement ins(db, "INSERT INTO parts (target_id, idx, text, state, created_at, updated_at)"
                              " VALUES (10, ?, 'text', ?, 0, 0)");
    ins.bind(1, idx);
    ins.bind(2, state);
    ins.exec();
}

// The SQLite error message of `sql`, or "" when it succeeds.
std::string sql_error(SQLite::Database& db, const std::string& sql) {
    try {
        db.exec(sql);
    } catch (const SQLite::Exception& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("schema: every state of the part state machine is accepted") {
    TempStore t;
    add_post_and_target(t.db());
    int idx = 1;
    for (growth::PartState s : growth::all_part_states) {
        CAPTURE(growth::to_string(s));
        CHECK_NOTHROW(add_part(t.db(), idx++, std::string(growth::to_string(s))));
    }
}

TEST_CASE("schema: a part state outside the state machine is rejected by the CHECK") {
    TempStore t;
    add_post_and_target(t.db());
    CHECK(sql_error(t.db(), "INSERT INTO parts (target_id, idx, text, state, created_at, updated_at)"
                            " VALUES (10, 1, 'x', 'sent', 0, 0)")
              .starts_with("CHECK constraint failed: state IN"));
    CHECK(t.db().execAndGet("SELECT count(*) FROM parts").getInt() == 0);
}

TEST_CASE("schema: an update to an invalid state is rejected") {
    TempStore t;
    add_post_and_target(t.db());
    add_part(t.db(), 1, "draft");
    CHECK(sql_error(t.db(), "UPDATE parts SET state = 'PUBLISHED'").starts_with(
        "CHECK constraint failed: state IN"));
    CHECK(t.db().execAndGet("SELECT state FROM parts").getString() == "draft");
}

TEST_CASE("schema: post and target states accept 'partial', parts do not") {
    TempStore t;
    add_post_and_target(t.db());
    CHECK(sql_error(t.db(), "UPDATE posts SET state = 'partial'") == "");
    CHECK(sql_error(t.db(), "UPDATE targets SET state = 'partial'") == "");
    CHECK(sql_error(t.db(), "UPDATE posts SET state = 'bogus'").starts_with("CHECK constraint failed"));
    CHECK(sql_error(t.db(), "INSERT INTO parts (target_id, idx, text, state, created_at, updated_at)"
                            " VALUES (10, 1, 'x', 'partial', 0, 0)")
              .starts_with("CHECK constraint failed"));
}

TEST_CASE("schema: an unknown platform is rejected") {
    TempStore t;
    CHECK(sql_error(t.db(), "INSERT INTO accounts (name, platform, created_at, updated_at)"
                            " VALUES ('a', 'myspace', 0, 0)")
              .starts_with("CHECK constraint failed: platform IN"));
}

TEST_CASE("schema: account names are unique") {
    TempStore t;
    add_post_and_target(t.db());
    CHECK(sql_error(t.db(), "INSERT INTO accounts (name, platform, created_at, updated_at)"
                            " VALUES ('me', 'x', 0, 0)") ==
          "UNIQUE constraint failed: accounts.name");
}

TEST_CASE("schema: settings and options must be JSON objects") {
    TempStore t;
    CHECK(sql_error(t.db(), "INSERT INTO accounts (name, platform, settings, created_at, updated_at)"
                            " VALUES ('a', 'x', '[1]', 0, 0)")
              .starts_with("CHECK constraint failed: json_valid(settings)"));
    CHECK(sql_error(t.db(), "INSERT INTO posts (id, text, options, created_at, updated_at)"
                            " VALUES ('p', 't', '{nope', 0, 0)")
              .starts_with("CHECK constraint failed: json_valid(options)"));
}

TEST_CASE("schema: a part index is 1-based and unique within its target") {
    TempStore t;
    add_post_and_target(t.db());
    CHECK_THROWS_AS(add_part(t.db(), 0, "draft"), SQLite::Exception);
    add_part(t.db(), 1, "draft");
    CHECK_THROWS_WITH(add_part(t.db(), 1, "draft"), "UNIQUE constraint failed: parts.target_id, parts.idx");
}

TEST_CASE("schema: an idempotency key is never used by two parts") {
    TempStore t;
    add_post_and_target(t.db());
    add_part(t.db(), 1, "prepared");
    add_part(t.db(), 2, "draft");
    add_part(t.db(), 3, "draft");
    t.db().exec("UPDATE parts SET idempotency_key = 'k1' WHERE idx = 1");
    CHECK(sql_error(t.db(), "UPDATE parts SET idempotency_key = 'k1' WHERE idx = 2") ==
          "UNIQUE constraint failed: parts.idempotency_key");
    // Parts not yet prepared have none, and that is not a clash.
    CHECK(t.db().execAndGet("SELECT count(*) FROM parts WHERE idempotency_key IS NULL").getInt() == 2);
}

TEST_CASE("schema: a target needs an existing post, a part an existing target") {
    TempStore t;
    CHECK(sql_error(t.db(), "INSERT INTO targets (post_id, account, platform, created_at, updated_at)"
                            " VALUES ('nope', 'me', 'x', 0, 0)") ==
          "FOREIGN KEY constraint failed");
    CHECK(sql_error(t.db(), "INSERT INTO parts (target_id, idx, text, created_at, updated_at)"
                            " VALUES (999, 1, 'x', 0, 0)") ==
          "FOREIGN KEY constraint failed");
}

TEST_CASE("schema: deleting a post deletes its targets and their parts") {
    TempStore t;
    add_post_and_target(t.db());
    add_part(t.db(), 1, "published");
    add_part(t.db(), 2, "draft");
    t.db().exec("DELETE FROM posts WHERE id = 'p1'");
    CHECK(t.db().execAndGet("SELECT count(*) FROM targets").getInt() == 0);
    CHECK(t.db().execAndGet("SELECT count(*) FROM parts").getInt() == 0);
}

TEST_CASE("schema: removing an account keeps its targets' history, unlinked") {
    TempStore t;
    add_post_and_target(t.db());
    add_part(t.db(), 1, "published");
    t.db().exec("DELETE FROM accounts WHERE name = 'me'");
    CHECK(t.db().execAndGet("SELECT account_id IS NULL FROM targets WHERE id = 10").getInt() == 1);
    CHECK(t.db().execAndGet("SELECT account || '@' || platform FROM targets").getString() ==
          "me@mastodon");
    CHECK(t.db().execAndGet("SELECT count(*) FROM parts").getInt() == 1);
}

TEST_CASE("schema: the scheduler's lookups use indices") {
    TempStore t;
    auto plan = [&](const std::string& sql) {
        SQLite::Statement q(t.db(), "EXPLAIN QUERY PLAN " + sql);
        std::string out;
        while (q.executeStep()) out += q.getColumn(3).getString() + "\n";
        return out;
    };
    CHECK(plan("SELECT min(next_attempt_at) FROM parts WHERE state = 'retry_wait'")
              .find("parts_by_state_next_attempt") != std::string::npos);
    CHECK(plan("SELECT id FROM posts WHERE state = 'scheduled' ORDER BY due_at LIMIT 1")
              .find("posts_by_state_due") != std::string::npos);
}

TEST_CASE("counts: an empty store counts zero, with every part state listed") {
    TempStore t;
    const growth::Store::Counts c = t.store->counts();
    CHECK(c.posts == 0);
    CHECK(c.targets == 0);
    CHECK(c.parts == 0);
    CHECK(c.parts_by_state.size() == growth::all_part_states.size());
    for (const auto& entry : c.parts_by_state) {
        CAPTURE(entry.first);
        CHECK(growth::parse_part_state(entry.first).has_value());
        CHECK(entry.second == 0);
    }
}

TEST_CASE("counts: posts, targets and parts by state are counted") {
    TempStore t;
    add_post_and_target(t.db());
    add_part(t.db(), 1, "published");
    add_part(t.db(), 2, "published");
    add_part(t.db(), 3, "retry_wait");
    const growth::Store::Counts c = t.store->counts();
    CHECK(c.posts == 1);
    CHECK(c.targets == 1);
    CHECK(c.parts == 3);
    CHECK(c.parts_by_state.at("published") == 2);
    CHECK(c.parts_by_state.at("retry_wait") == 1);
    CHECK(c.parts_by_state.at("draft") == 0);
}

TEST_CASE("part states: spellings round-trip") {
    for (growth::PartState s : growth::all_part_states) {
        CHECK(growth::parse_part_state(growth::to_string(s)) == s);
    }
    CHECK_FALSE(growth::parse_part_state("sent").has_value());
}

TEST_CASE("schema: the tables have exactly the documented columns") {
    // Golden lists: a released migration never changes, so neither may these.
    TempStore t;
    auto columns = [&](const std::string& table) {
        SQLite::Statement q(t.db(), "SELECT name FROM pragma_table_info(?) ORDER BY cid");
        q.bind(1, table);
        std::string out;
        while (q.executeStep()) {
            if (!out.empty()) out += ' ';
            out += q.getColumn(0).getString();
        }
        return out;
    };
    CHECK(columns("accounts") == "id name platform api_base settings created_at updated_at");
    CHECK(columns("posts") == "id text state due_at tz options created_at updated_at");
    CHECK(columns("targets") ==
          "id post_id account_id account platform state options created_at updated_at");
    CHECK(columns("parts") ==
          "id target_id idx text state idempotency_key record_key container_id remote_id remote_cid "
          "remote_url reply_parent_id reply_parent_cid reply_root_id reply_root_cid attempts "
          "next_attempt_at last_error_kind last_error last_attempt_at published_at created_at "
          "updated_at verify_on_retry first_attempt_at");
}
