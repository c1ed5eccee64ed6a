// Migrations: an old database reaches the latest version keeping its data; each step is one
// transaction, so a failing step leaves the database at the last good version.

#include <doctest/doctest.h>

#include <stdlib.h>

#include <array>
#include <filesystem>
#include <string>

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include "core/error.hpp"
#include "core/store/migrations.hpp"
#include "core/store/store.hpp"

namespace fs = std::filesystem;
using growth::Migration;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "growth-migrate-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// Three steps, as a later growth would have, to exercise the runner on intermediate versions.
constexpr std::array<Migration, 3> three = {{
    {1, "notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);"},
    {2, "note tags", "ALTER TABLE notes ADD COLUMN tag TEXT NOT NULL DEFAULT 'none';"},
    {3, "links", "CREATE TABLE links (note_id INTEGER NOT NULL REFERENCES notes (id));"},
}};

int version_of(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

std::string error_of(SQLite::Database& db, std::span<const Migration> list, const std::string& label,
                     std::string* kind = nullptr) {
    try {
        growth::migrate(db, list, label);
    } catch (const growth::Error& e) {
        if (kind) *kind = e.kind();
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("migrations: the built-in list is numbered 1..N without gaps") {
    const auto list = growth::builtin_migrations();
    REQUIRE(!list.empty());
    for (std::size_t i = 0; i < list.size(); ++i) CHECK(list[i].version == static_cast<int>(i) + 1);
    CHECK(growth::Store::latest_version() == static_cast<int>(list.size()));
}

TEST_CASE("migrations: a version-0 database with other tables migrates and keeps its data") {
    TempDir dir;
    const fs::path p = dir.path / "growth.db";
    {
        SQLite::Database old(p.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        old.exec("CREATE TABLE scratch (k TEXT PRIMARY KEY, v TEXT);"
                 "INSERT INTO scratch VALUES ('kept', 'yes'), ('also', 'this');");
        REQUIRE(version_of(old) == 0);
    }
    growth::Store store(p);
    CHECK(store.user_version() == growth::Store::latest_version());
    CHECK(store.db().execAndGet("SELECT count(*) FROM scratch").getInt() == 2);
    CHECK(store.db().execAndGet("SELECT v FROM scratch WHERE k = 'kept'").getString() == "yes");
    CHECK(store.db().tableExists("parts"));
}

TEST_CASE("migrations: a fresh database runs every step") {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
    growth::migrate(db, three, "mem");
    CHECK(version_of(db) == 3);
    CHECK(db.tableExists("links"));
}

TEST_CASE("migrations: an intermediate version runs only the later steps and keeps data") {
    TempDir dir;
    const fs::path p = dir.path / "x.db";
    SQLite::Database db(p.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    growth::migrate(db, std::span(three).first(1), "x.db");
    REQUIRE(version_of(db) == 1);
    db.exec("INSERT INTO notes (id, body) VALUES (7, 'from version 1')");

    growth::migrate(db, three, "x.db");
    CHECK(version_of(db) == 3);
    CHECK(db.execAndGet("SELECT body || '/' || tag FROM notes WHERE id = 7").getString() ==
          "from version 1/none");
}

TEST_CASE("migrations: running again at the latest version changes nothing") {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
    growth::migrate(db, three, "mem");
    db.exec("INSERT INTO notes (id, body) VALUES (1, 'x')");
    const int changes_before = db.execAndGet("SELECT total_changes()").getInt();
    growth::migrate(db, three, "mem");
    CHECK(version_of(db) == 3);
    CHECK(db.execAndGet("SELECT total_changes()").getInt() == changes_before);
}

TEST_CASE("migrations: a failing step rolls back entirely and stops at the last good version") {
    TempDir dir;
    const fs::path p = dir.path / "x.db";
    SQLite::Database db(p.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    const std::array<Migration, 3> broken = {{
        three[0],
        {2, "half done", "CREATE TABLE half (x); INSERT INTO nowhere VALUES (1);"},
        three[2],
    }};
    std::string kind;
    CHECK(error_of(db, broken, p.string(), &kind) ==
          p.string() + ": migration 2 (half done) failed: no such table: nowhere");
    CHECK(kind == "store_error");
    CHECK(version_of(db) == 1);
    CHECK(db.tableExists("notes"));
    CHECK_FALSE(db.tableExists("half"));
    CHECK_FALSE(db.tableExists("links"));
    CHECK(sqlite3_get_autocommit(db.getHandle()) != 0);  // no transaction left open
}

TEST_CASE("migrations: a step that leaves a dangling foreign key does not commit") {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
    const std::array<Migration, 2> orphaning = {{
        three[0],
        {2, "orphan",
         "CREATE TABLE refs (note_id INTEGER REFERENCES notes (id)); INSERT INTO refs VALUES (99);"},
    }};
    CHECK(error_of(db, orphaning, "mem") ==
          "mem: migration 2 (orphan) failed: it leaves a row of table refs referring to a missing "
          "row of notes");
    CHECK(version_of(db) == 1);
    CHECK_FALSE(db.tableExists("refs"));
}

TEST_CASE("migrations: a database newer than the list is refused") {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = 4");
    std::string kind;
    CHECK(error_of(db, three, "mem", &kind) ==
          "mem: database schema version 4 is newer than this growth supports (version 3); upgrade "
          "growth to open it (the file was not changed)");
    CHECK(kind == "store_too_new");
}

TEST_CASE("migrations: a list with a gap is refused before anything runs") {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
    const std::array<Migration, 2> gap = {{three[0], three[2]}};
    CHECK(error_of(db, gap, "mem") ==
          "mem: internal error: migration #2 has version 3, expected 2");
    CHECK(version_of(db) == 0);
    CHECK_FALSE(db.tableExists("notes"));
}
