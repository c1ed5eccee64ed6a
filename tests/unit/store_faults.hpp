#pragma once
// Real SQLite faults on a test's growth.db, for the paths that must survive a failed commit:
//  - fail_next(n): the next n write transactions that change a part fail (a temporary trigger
//    raises inside the transaction, which is then rolled back as any failed commit is);
//  - hold_write_lock(): a second connection holds the write lock (BEGIN IMMEDIATE), so the
//    store's BEGIN IMMEDIATE fails with SQLITE_BUSY after a (shortened) busy timeout;
//  - fill_disk(): every change to a part needs a new page while max_page_count forbids one, so
//    SQLite answers SQLITE_FULL ("database or disk is full") as on a full disk.

#include <doctest/doctest.h>

#include <sqlite3.h>

#include <SQLiteCpp/Database.h>

#include <memory>
#include <string>

#include "core/store/store.hpp"

namespace growth::test {

class StoreFaults {
public:
    /// Installs the (inactive) faults on `store`'s connection and shortens its busy timeout to
    /// `busy_ms` so a held lock fails fast.
    explicit StoreFaults(Store& store, int busy_ms = 20) : store_(store) {
        auto* db = store_.db().getHandle();
        REQUIRE(sqlite3_create_function_v2(db, "growth_test_fault", 0, SQLITE_UTF8, this, &fault_fn, nullptr,
                                           nullptr, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_create_function_v2(db, "growth_test_full", 0, SQLITE_UTF8, this, &full_fn, nullptr,
                                           nullptr, nullptr) == SQLITE_OK);
        store_.db().exec("CREATE TABLE IF NOT EXISTS growth_test_filler (b BLOB)");
        store_.db().exec(
            "CREATE TEMP TRIGGER growth_test_fault BEFORE UPDATE ON main.parts WHEN growth_test_fault() "
            "BEGIN SELECT RAISE(ABORT, 'injected fault'); END");
        store_.db().exec(
            "CREATE TEMP TRIGGER growth_test_full AFTER UPDATE ON main.parts WHEN growth_test_full() "
            "BEGIN INSERT INTO growth_test_filler VALUES (zeroblob(8192)); END");
        store_.db().setBusyTimeout(busy_ms);
    }

    ~StoreFaults() {
        release_write_lock();
        try {
            free_disk();
            store_.db().exec("DROP TRIGGER IF EXISTS temp.growth_test_fault");
            store_.db().exec("DROP TRIGGER IF EXISTS temp.growth_test_full");
        } catch (...) {
        }
    }

    StoreFaults(const StoreFaults&) = delete;
    StoreFaults& operator=(const StoreFaults&) = delete;

    /// The next `n` transactions that update a part fail (store_error "...: injected fault").
    void fail_next(int n) { fail_next_ = n; }
    int failures_left() const { return fail_next_; }

    /// A second connection takes the write lock and keeps it until release_write_lock().
    void hold_write_lock() {
        other_ = std::make_unique<SQLite::Database>(store_.path().string(), SQLite::OPEN_READWRITE);
        other_->exec("BEGIN IMMEDIATE");
    }
    void release_write_lock() {
        if (!other_) return;
        try {
            other_->exec("ROLLBACK");
        } catch (...) {
        }
        other_.reset();
    }

    /// Changes to parts need pages the database may not grow to (SQLITE_FULL) until free_disk().
    void fill_disk() {
        const auto pages = store_.db().execAndGet("PRAGMA page_count").getInt64();
        store_.db().exec("PRAGMA max_page_count = " + std::to_string(pages));
        full_ = true;
    }
    void free_disk() {
        if (!full_) return;
        store_.db().exec("PRAGMA max_page_count = 1073741823");
        full_ = false;
    }

private:
    static void fault_fn(sqlite3_context* ctx, int, sqlite3_value**) {
        auto* self = static_cast<StoreFaults*>(sqlite3_user_data(ctx));
        // Counted outside the transaction, which the failure rolls back.
        const bool fire = self->fail_next_ > 0;
        if (fire) --self->fail_next_;
        sqlite3_result_int(ctx, fire ? 1 : 0);
    }
    static void full_fn(sqlite3_context* ctx, int, sqlite3_value**) {
        sqlite3_result_int(ctx, static_cast<StoreFaults*>(sqlite3_user_data(ctx))->full_ ? 1 : 0);
    }

    Store& store_;
    std::unique_ptr<SQLite::Database> other_;
    int fail_next_ = 0;
    bool full_ = false;
};

}  // namespace growth::test
