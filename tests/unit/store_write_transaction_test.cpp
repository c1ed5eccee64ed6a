// WriteTransaction: BEGIN IMMEDIATE, commit, rollback on scope exit, and store_busy when another
// connection holds the write lock.

#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <string>

#include <SQLiteCpp/Database.h>

#include "core/error.hpp"
#include "core/store/store.hpp"

namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "growth-tx-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

int posts(growth::Store& s) { return s.db().execAndGet("SELECT count(*) FROM posts").getInt(); }

void insert_post(growth::Store& s, const std::string& id) {
    s.db().exec("INSERT INTO posts (id, text, created_at, updated_at) VALUES ('" + id +
                "', 't', 0, 0)");
}

}  // namespace

TEST_CASE("write transaction: committed writes stay") {
    TempDir dir;
    growth::Store store(dir.path / "growth.db");
    {
        growth::WriteTransaction tx(store);
        insert_post(store, "a");
        tx.commit();
    }
    CHECK(posts(store) == 1);
}

TEST_CASE("write transaction: leaving the scope without commit rolls back") {
    TempDir dir;
    growth::Store store(dir.path / "growth.db");
    {
        growth::WriteTransaction tx(store);
        insert_post(store, "a");
    }
    CHECK(posts(store) == 0);
}

TEST_CASE("write transaction: an exception inside rolls back every write") {
    TempDir dir;
    growth::Store store(dir.path / "growth.db");
    try {
        growth::WriteTransaction tx(store);
        insert_post(store, "a");
        insert_post(store, "a");  // duplicate primary key throws
        tx.commit();
    } catch (const std::exception&) {
    }
    CHECK(posts(store) == 0);
}

TEST_CASE("write transaction: it takes the write lock at BEGIN, not at the first write") {
    TempDir dir;
    growth::Store store(dir.path / "growth.db");
    growth::WriteTransaction tx(store);
    SQLite::Database other((dir.path / "growth.db").string(), SQLite::OPEN_READWRITE);
    other.setBusyTimeout(0);
    CHECK_THROWS_AS(other.exec("BEGIN IMMEDIATE"), SQLite::Exception);
}

TEST_CASE("write transaction: a lock held elsewhere is store_busy naming the file") {
    TempDir dir;
    const fs::path p = dir.path / "growth.db";
    growth::Store store(p);
    SQLite::Database other(p.string(), SQLite::OPEN_READWRITE);
    other.exec("BEGIN IMMEDIATE");
    SQLite::Database mine(p.string(), SQLite::OPEN_READWRITE);
    mine.setBusyTimeout(0);
    try {
        growth::WriteTransaction tx(mine);
        FAIL("began while another connection held the write lock");
    } catch (const growth::Error& e) {
        CHECK(e.kind() == "store_busy");
        CHECK(std::string(e.what()) == p.string() + ": database is locked");
    }
    other.exec("ROLLBACK");
}

TEST_CASE("store: opening while another connection holds the write lock is a store_error") {
    TempDir dir;
    const fs::path p = dir.path / "growth.db";
    {
        SQLite::Database old(p.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        old.exec("CREATE TABLE t (x)");
    }
    SQLite::Database other(p.string(), SQLite::OPEN_READWRITE);
    other.exec("BEGIN EXCLUSIVE");  // rollback-journal mode: even readers must wait
    try {
        growth::Store store(p);  // waits the busy timeout, then gives up
        FAIL("opened while another connection held an exclusive lock");
    } catch (const growth::Error& e) {
        CHECK(e.kind() == "store_error");
        CHECK(std::string(e.what()) == p.string() + ": database is locked");
    }
    other.exec("ROLLBACK");
}
