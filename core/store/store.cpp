#include "core/store/store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "core/error.hpp"
#include "core/store/file_header.hpp"
#include "core/store/migrations.hpp"
#include "core/store/part_state.hpp"
#include "core/store/sqlite_error.hpp"

namespace growth {

namespace {

// Versions this binary cannot open: newer than it knows, or negative (never written by growth).
void refuse_unknown_version(long long v, const std::string& label, int latest) {
    if (v > latest) throw Error("store_too_new", too_new_message(label, v, latest));
    if (v < 0) throw Error("store_error", unknown_version_message(label, v));
}

// A WAL file may hold committed transactions not yet in the main file, so the header alone is not
// the last word. A read-only connection neither checkpoints nor rewrites the main file.
void refuse_if_wal_holds_newer(const std::filesystem::path& path, const std::string& label,
                               int latest) {
    std::filesystem::path wal = path;
    wal += "-wal";
    std::error_code ec;
    const auto size = std::filesystem::file_size(wal, ec);
    if (ec || size == 0) return;
    SQLite::Database ro(path.string(), SQLite::OPEN_READONLY);
    ro.setBusyTimeout(Store::busy_timeout_ms);
    refuse_unknown_version(ro.execAndGet("PRAGMA user_version").getInt64(), label, latest);
}

// Posts and drafts are private: create the file 0600 ourselves (SQLite would use 0644 less the
// umask), and SQLite gives its -wal and -shm files the database file's mode.
void create_private_if_missing(const std::filesystem::path& path, const std::string& label) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
        ::close(fd);
        return;
    }
    if (errno == EEXIST) return;
    throw Error("store_error",
                label + ": cannot create: " + std::generic_category().message(errno));
}

std::string pragma_text(SQLite::Database& db, const char* sql) {
    return db.execAndGet(sql).getString();
}

}  // namespace

int Store::latest_version() noexcept { return static_cast<int>(builtin_migrations().size()); }

Store::Store(const std::filesystem::path& db_path) : path_(db_path) {
    try {
        open();
    } catch (const Error& e) {
        // The constructor's contract has two kinds; a lock held past the busy timeout while
        // opening is a store_error (the message still says "database is locked").
        if (e.kind() == "store_busy") throw Error("store_error", e.what());
        throw;
    }
}

void Store::open() {
    const std::string label = path_.string();
    const int latest = latest_version();

    // 1. Judge the file before SQLite touches it: not a database, or too new, means hands off.
    if (const auto v = read_header_user_version(path_)) refuse_unknown_version(*v, label, latest);
    create_private_if_missing(path_, label);
    try {
        refuse_if_wal_holds_newer(path_, label, latest);

        // 2. Open, and look again before anything is written (journal_mode=WAL writes the header).
        db_ = std::make_unique<SQLite::Database>(path_.string(),
                                                 SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        // Changes nothing on disk, and lets the reads below wait out another writer's lock.
        db_->setBusyTimeout(busy_timeout_ms);
        try {
            refuse_unknown_version(db_->execAndGet("PRAGMA user_version").getInt64(), label, latest);
        } catch (const Error&) {
            db_.reset();
            throw;
        }

        // 3. Connection settings (the journal mode is persistent: this is the first write).
        if (const std::string mode = pragma_text(*db_, "PRAGMA journal_mode = WAL"); mode != "wal") {
            throw Error("store_error",
                        fmt::format("{}: cannot switch to WAL journal mode (got {})", label, mode));
        }
        db_->exec("PRAGMA synchronous = FULL");
        // Off while migrating, as SQLite's table-rebuild procedure requires; each migration runs
        // PRAGMA foreign_key_check before it commits.
        db_->exec("PRAGMA foreign_keys = OFF");
    } catch (const SQLite::Exception& e) {
        throw store_error_from(e, label);
    }

    // 4. Migrations (they throw growth::Error themselves).
    migrate(*db_, builtin_migrations(), label);

    try {
        db_->exec("PRAGMA foreign_keys = ON");
        if (db_->execAndGet("PRAGMA foreign_keys").getInt() != 1) {
            throw Error("store_error", label + ": cannot enable foreign keys");
        }
    } catch (const SQLite::Exception& e) {
        throw store_error_from(e, label);
    }
}

Store::Store(Store&&) noexcept = default;

Store& Store::operator=(Store&& other) noexcept {
    // The statements go before the connection they were prepared on.
    statements_.clear();
    path_ = std::move(other.path_);
    db_ = std::move(other.db_);
    statements_ = std::move(other.statements_);
    return *this;
}

Store::~Store() = default;

CachedStatement::~CachedStatement() {
    if (owned_) return;
    statement_->tryReset();
    try {
        statement_->clearBindings();
    } catch (...) {
        // sqlite3_clear_bindings cannot fail on a valid statement.
    }
    *in_use_ = false;
}

CachedStatement Store::statement(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
        it = statements_.emplace(sql, Cached{std::make_unique<SQLite::Statement>(*db_, sql), false}).first;
    }
    if (it->second.in_use) {
        auto owned = std::make_unique<SQLite::Statement>(*db_, sql);
        SQLite::Statement* s = owned.get();
        return CachedStatement(s, nullptr, std::move(owned));
    }
    it->second.in_use = true;
    return CachedStatement(it->second.statement.get(), &it->second.in_use, nullptr);
}

int Store::user_version() const {
    try {
        return db_->execAndGet("PRAGMA user_version").getInt();
    } catch (const SQLite::Exception& e) {
        throw store_error_from(e, path_.string());
    }
}

Store::Counts Store::counts() const {
    Counts c;
    for (PartState s : all_part_states) c.parts_by_state.emplace(std::string(to_string(s)), 0);
    try {
        // Migration 3's triggers keep these rows exact: a dozen rows, however long the history.
        SQLite::Statement q(*db_, "SELECT name, n FROM counters");
        while (q.executeStep()) {
            const std::string name = q.getColumn(0).getString();
            const std::int64_t n = q.getColumn(1).getInt64();
            if (name == "posts") {
                c.posts = n;
            } else if (name == "targets") {
                c.targets = n;
            } else if (name.starts_with("parts.")) {
                c.parts_by_state[name.substr(6)] = n;
                c.parts += n;
            }
        }
    } catch (const SQLite::Exception& e) {
        throw store_error_from(e, path_.string());
    }
    return c;
}

SQLite::Database& Store::db() { return *db_; }

const std::filesystem::path& Store::path() const noexcept { return path_; }

}  // namespace growth
