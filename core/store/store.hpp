#pragma once
// The growth database (growth.db): opening, pragmas, migrations and small queries over it.
// SQLite is used from one thread only (the daemon's loop thread); a Store is not thread-safe.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace growth {

/// A statement from Store::statement(): compiled once per store (the counter triggers are compiled
/// into every write to the tables, so compiling is what costs), reset with its bindings cleared
/// when this handle goes. Use it like a SQLite::Statement through -> and *.
class CachedStatement {
public:
    SQLite::Statement& operator*() const noexcept { return *statement_; }
    SQLite::Statement* operator->() const noexcept { return statement_; }
    ~CachedStatement();
    CachedStatement(const CachedStatement&) = delete;
    CachedStatement& operator=(const CachedStatement&) = delete;

private:
    friend class Store;
    CachedStatement(SQLite::Statement* statement, bool* in_use, std::unique_ptr<SQLite::Statement> owned) noexcept
        : statement_(statement), in_use_(in_use), owned_(std::move(owned)) {}
    SQLite::Statement* statement_;
    bool* in_use_;                               ///< the cache entry's flag (null when owned)
    std::unique_ptr<SQLite::Statement> owned_;   ///< a one-off copy while the cached one is in use
};

/// An open growth.db with WAL, synchronous=FULL, foreign_keys=ON and a busy timeout in effect and
/// every migration applied. Move-only.
class Store {
public:
    /// Opens or creates the database at db_path (parent dir must exist), applies WAL/synchronous=FULL/
    /// foreign_keys/busy timeout and pending migrations. Throws Error("store_too_new", ...) when the
    /// file's user_version is newer than this binary (file left untouched), Error("store_error", ...) otherwise.
    explicit Store(const std::filesystem::path& db_path);

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    /// The schema version (PRAGMA user_version) of the open database. Throws Error("store_error").
    int user_version() const;

    /// Row counts for `growthctl status`. parts_by_state holds every part state of the state machine
    /// (all_part_states in core/store/part_state.hpp), zero when no part is in it.
    struct Counts { std::int64_t posts = 0, targets = 0, parts = 0;
                    std::map<std::string, std::int64_t> parts_by_state; };

    /// Counts posts, targets and parts from the counters table (migration 3), in constant time.
    /// Throws Error("store_error").
    Counts counts() const;

    /// The underlying connection, for the queries of later issues. Write through WriteTransaction.
    SQLite::Database& db();

    /// `sql` prepared on this connection, kept for later calls (a statement already in use, as in
    /// a nested call, is prepared afresh for this one). Throws SQLite::Exception.
    CachedStatement statement(const std::string& sql);

    /// The path this store was opened at.
    const std::filesystem::path& path() const noexcept;

    /// The newest schema version this binary knows (the number of built-in migrations).
    static int latest_version() noexcept;

    /// Busy timeout applied to every connection, in milliseconds.
    static constexpr int busy_timeout_ms = 5000;

private:
    // The constructor's body: checks, opens, configures and migrates db_.
    void open();

    std::filesystem::path path_;
    std::unique_ptr<SQLite::Database> db_;
    struct Cached {
        std::unique_ptr<SQLite::Statement> statement;
        bool in_use = false;
    };
    /// Destroyed before db_ (declared after it): every statement is finalized before the close.
    std::unordered_map<std::string, Cached> statements_;
};

/// RAII write transaction: BEGIN IMMEDIATE on construction (takes the write lock up front so a
/// writer never fails half-way with SQLITE_BUSY), ROLLBACK on destruction unless commit() ran.
/// Not nestable.
class WriteTransaction {
public:
    /// Begins the transaction. Throws Error("store_busy") when another connection holds the write
    /// lock past the busy timeout, Error("store_error") otherwise.
    explicit WriteTransaction(SQLite::Database& db);
    /// Same, on the store's connection.
    explicit WriteTransaction(Store& store) : WriteTransaction(store.db()) {}

    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;

    /// Rolls back if commit() was not called; never throws.
    ~WriteTransaction();

    /// Commits. Throws Error("store_busy") or Error("store_error"); the transaction is then rolled
    /// back by the destructor.
    void commit();

private:
    SQLite::Database& db_;
    bool done_ = false;
};

}  // namespace growth
