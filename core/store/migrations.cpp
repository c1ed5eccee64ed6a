#include "core/store/migrations.hpp"

#include <array>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "core/error.hpp"
#include "core/store/schema.hpp"
#include "core/store/store.hpp"
#include "core/store/sqlite_error.hpp"

namespace growth {

namespace {

long long read_user_version(SQLite::Database& db) {
    return db.execAndGet("PRAGMA user_version").getInt64();
}

// A migration that broke a foreign key (say, a table rebuild that lost rows) must not commit.
void check_foreign_keys(SQLite::Database& db, const Migration& m, const std::string& label) {
    SQLite::Statement q(db, "PRAGMA foreign_key_check");
    if (q.executeStep()) {
        throw Error("store_error",
                    fmt::format("{}: migration {} ({}) failed: it leaves a row of table {} "
                                "referring to a missing row of {}",
                                label, m.version, m.name, q.getColumn(0).getString(),
                                q.getColumn(2).getString()));
    }
}

void apply(SQLite::Database& db, const Migration& m, const std::string& label) {
    WriteTransaction tx(db);
    // Another process may have migrated while we waited for the write lock.
    if (read_user_version(db) >= m.version) return;
    try {
        db.exec(std::string(m.sql));
        check_foreign_keys(db, m, label);
        db.exec(fmt::format("PRAGMA user_version = {}", m.version));
    } catch (const SQLite::Exception& e) {
        throw Error("store_error", fmt::format("{}: migration {} ({}) failed: {}", label, m.version,
                                               m.name, e.what()));
    }
    tx.commit();
}

}  // namespace

std::span<const Migration> builtin_migrations() noexcept {
    // Function-local, so it is built after the SQL texts of the other translation units.
    static const std::array builtin = {
        Migration{1, "posts, targets, parts, accounts", schema::migration_0001},
        Migration{2, "part resume facts", schema::migration_0002},
        Migration{3, "row counters", schema::migration_0003},
        Migration{4, "post list order", schema::migration_0004},
        Migration{5, "parts by publish time", schema::migration_0005},
    };
    return builtin;
}

std::string too_new_message(const std::string& label, long long found, int latest) {
    return fmt::format(
        "{}: database schema version {} is newer than this growth supports (version {}); "
        "upgrade growth to open it (the file was not changed)",
        label, found, latest);
}

std::string unknown_version_message(const std::string& label, long long found) {
    return fmt::format("{}: database schema version {} is not one growth writes", label, found);
}

void migrate(SQLite::Database& db, std::span<const Migration> migrations, const std::string& label) {
    for (std::size_t i = 0; i < migrations.size(); ++i) {
        if (migrations[i].version != static_cast<int>(i) + 1) {
            throw Error("store_error",
                        fmt::format("{}: internal error: migration #{} has version {}, expected {}",
                                    label, i + 1, migrations[i].version, i + 1));
        }
    }
    const int latest = static_cast<int>(migrations.size());
    long long current = 0;
    try {
        current = read_user_version(db);
    } catch (const SQLite::Exception& e) {
        throw store_error_from(e, label);
    }
    if (current > latest) throw Error("store_too_new", too_new_message(label, current, latest));
    if (current < 0) {
        throw Error("store_error", unknown_version_message(label, current));
    }
    for (const Migration& m : migrations) {
        if (m.version > current) apply(db, m, label);
    }
}

}  // namespace growth
