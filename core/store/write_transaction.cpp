#include <sqlite3.h>

#include <SQLiteCpp/Exception.h>

#include "core/store/sqlite_error.hpp"
#include "core/store/store.hpp"

namespace growth {

WriteTransaction::WriteTransaction(SQLite::Database& db) : db_(db) {
    try {
        db_.exec("BEGIN IMMEDIATE");
    } catch (const SQLite::Exception& e) {
        throw store_error_from(e, db_.getFilename());
    }
}

WriteTransaction::~WriteTransaction() {
    // A failed COMMIT may already have rolled back; only roll back what is still open.
    if (done_ || sqlite3_get_autocommit(db_.getHandle()) != 0) return;
    try {
        db_.exec("ROLLBACK");
    } catch (...) {
        // Nothing more can be done in a destructor; SQLite rolls back on close anyway.
    }
}

void WriteTransaction::commit() {
    try {
        db_.exec("COMMIT");
    } catch (const SQLite::Exception& e) {
        throw store_error_from(e, db_.getFilename());
    }
    done_ = true;
}

}  // namespace growth
