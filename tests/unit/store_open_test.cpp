// Store: opening a new or existing growth.db, the connection settings, and the files it refuses
// (a newer schema, left byte-for-byte untouched; something that is not a database).

#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include "core/error.hpp"
#include "core/store/store.hpp"

namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "growth-store-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The Error a Store on `p` throws; fails the test when it opens.
growth::Error open_error(const fs::path& p) {
    try {
        growth::Store store(p);
    } catch (const growth::Error& e) {
        return e;
    }
    FAIL("the store opened");
    return growth::Error("", "");
}

std::string too_new(const fs::path& p, int found) {
    return p.string() + ": database schema version " + std::to_string(found) +
           " is newer than this growth supports (version " +
           std::to_string(growth::Store::latest_version()) +
           "); upgrade growth to open it (the file was not changed)";
}

}  // namespace

TEST_CASE("store: a new database is created at the latest schema version") {
    TempDir dir;
    growth::Store store(dir.path / "growth.db");
    CHECK(store.user_version() == growth::Store::latest_version());
    CHECK(growth::Store::latest_version() >= 1);
    CHECK(store.path() == dir.path / "growth.db");
    for (const char* table : {"posts", "targets", "parts", "accounts"}) {
        CAPTURE(table);
        CHECK(store.db().tableExists(table));
    }
}

TEST_CASE("store: a new database and its WAL are readable by the owner only") {
    TempDir dir;
    growth::Store store(dir.path / "growth.db");
    store.db().exec("INSERT INTO posts (id, text, created_at, updated_at) VALUES ('p', 't', 0, 0)");
    for (const char* name : {"growth.db", "growth.db-wal", "growth.db-shm"}) {
        CAPTURE(name);
        CHECK(fs::status(dir.path / name).permissions() ==
              (fs::perms::owner_read | fs::perms::owner_write));
    }
}

TEST_CASE("store: an empty file is taken as a new database") {
    TempDir dir;
    std::ofstream(dir.path / "growth.db").close();
    growth::Store store(dir.path / "growth.db");
    CHECK(store.user_version() == growth::Store::latest_version());
}

TEST_CASE("store: WAL, synchronous=FULL, foreign keys and the busy timeout are in effect") {
    TempDir dir;
    growth::Store store(dir.path / "growth.db");
    auto& db = store.db();
    CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
    CHECK(db.execAndGet("PRAGMA synchronous").getInt() == 2);  // FULL
    CHECK(db.execAndGet("PRAGMA foreign_keys").getInt() == 1);
    CHECK(db.execAndGet("PRAGMA busy_timeout").getInt() == growth::Store::busy_timeout_ms);
}

TEST_CASE("store: reopening a current database keeps its data and version") {
    TempDir dir;
    {
        growth::Store store(dir.path / "growth.db");
        store.db().exec(
            "INSERT INTO posts (id, text, created_at, updated_at) VALUES ('p1', 'hello', 1, 1)");
    }
    growth::Store again(dir.path / "growth.db");
    CHECK(again.user_version() == growth::Store::latest_version());
    CHECK(again.counts().posts == 1);
}

TEST_CASE("store: a database with a newer schema is refused and left byte-for-byte untouched") {
    TempDir dir;
    const fs::path p = dir.path / "growth.db";
    {
        SQLite::Database future(p.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        future.exec("CREATE TABLE from_the_future (x); INSERT INTO from_the_future VALUES (42);");
        future.exec("PRAGMA user_version = " + std::to_string(growth::Store::latest_version() + 1));
    }
    const std::string before = read_file(p);
    REQUIRE(before.size() > 100);

    const growth::Error e = open_error(p);
    CHECK(e.kind() == "store_too_new");
    CHECK(std::string(e.what()) == too_new(p, growth::Store::latest_version() + 1));

    CHECK(read_file(p) == before);  // still rollback-journal mode, same version, same pages
    CHECK_FALSE(fs::exists(dir.path / "growth.db-wal"));
    CHECK_FALSE(fs::exists(dir.path / "growth.db-shm"));
    CHECK_FALSE(fs::exists(dir.path / "growth.db-journal"));
}

TEST_CASE("store: a newer schema still only in the WAL is refused, the main file untouched") {
    TempDir dir;
    const fs::path p = dir.path / "growth.db";
    // A newer growthd that died after migrating: its commit is in growth.db-wal, not yet
    // checkpointed into growth.db, whose header still says version 0. Whoever closes the last
    // connection next would checkpoint it into the main file, so growth must not be that one.
    {
        SQLite::Database newer(p.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        newer.exec("PRAGMA journal_mode = WAL");
        newer.exec("CREATE TABLE t (x)");
        newer.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        REQUIRE(sqlite3_db_config(newer.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr) ==
                SQLITE_OK);
        newer.exec("PRAGMA user_version = 1000");
    }
    REQUIRE(fs::file_size(dir.path / "growth.db-wal") > 0);
    const std::string before = read_file(p);
    const std::string wal_before = read_file(dir.path / "growth.db-wal");

    const growth::Error e = open_error(p);
    CHECK(e.kind() == "store_too_new");
    CHECK(std::string(e.what()) == too_new(p, 1000));
    CHECK(read_file(p) == before);
    CHECK(read_file(dir.path / "growth.db-wal") == wal_before);
}

TEST_CASE("store: a file that is not a database is refused, naming the path, and left alone") {
    TempDir dir;
    const fs::path p = dir.path / "growth.db";
    const std::string text = "this is a shopping list, not a database\n" + std::string(200, 'x');
    std::ofstream(p, std::ios::binary) << text;

    const growth::Error e = open_error(p);
    CHECK(e.kind() == "store_error");
    CHECK(std::string(e.what()) == p.string() + ": not an SQLite database");
    CHECK(read_file(p) == text);
}

TEST_CASE("store: a file shorter than a database header is refused") {
    TempDir dir;
    const fs::path p = dir.path / "growth.db";
    std::ofstream(p, std::ios::binary) << "SQLite format 3";
    const growth::Error e = open_error(p);
    CHECK(e.kind() == "store_error");
    CHECK(std::string(e.what()) == p.string() + ": not an SQLite database");
}

TEST_CASE("store: a directory in place of the file is refused") {
    TempDir dir;
    const growth::Error e = open_error(dir.path);
    CHECK(e.kind() == "store_error");
    CHECK(std::string(e.what()) == dir.path.string() + ": is a directory, not a database file");
}

TEST_CASE("store: a missing parent directory is an error naming the path") {
    TempDir dir;
    const fs::path p = dir.path / "missing" / "growth.db";
    const growth::Error e = open_error(p);
    CHECK(e.kind() == "store_error");
    CHECK(std::string(e.what()) == p.string() + ": cannot create: No such file or directory");
    CHECK_FALSE(fs::exists(dir.path / "missing"));
}

TEST_CASE("store: a negative schema version is refused and left untouched") {
    TempDir dir;
    const fs::path p = dir.path / "growth.db";
    {
        SQLite::Database odd(p.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        odd.exec("CREATE TABLE t (x); PRAGMA user_version = -3");
    }
    const std::string before = read_file(p);
    const growth::Error e = open_error(p);
    CHECK(e.kind() == "store_error");
    CHECK(std::string(e.what()) == p.string() + ": database schema version -3 is not one growth writes");
    CHECK(read_file(p) == before);
}

TEST_CASE("store: a Store can be moved") {
    TempDir dir;
    growth::Store a(dir.path / "growth.db");
    growth::Store b(std::move(a));
    CHECK(b.user_version() == growth::Store::latest_version());
}
