#pragma once
// Turning SQLiteCpp's exceptions into growth::Error with a stable kind (internal to core/store).

#include <string>

#include <SQLiteCpp/Exception.h>

#include "core/error.hpp"
#include "core/store/store.hpp"

namespace growth {

/// Error("store_busy") for SQLITE_BUSY/SQLITE_LOCKED (another connection holds the lock past the
/// busy timeout), Error("store_error") otherwise; the message is "<label>: <sqlite message>".
Error store_error_from(const SQLite::Exception& e, const std::string& label);

/// Runs `f()`, turning a SQLite::Exception into store_error_from(e, the store's file name).
template <typename F>
auto guarded(Store& store, F&& f) {
    try {
        return f();
    } catch (const SQLite::Exception& e) {
        throw store_error_from(e, store.db().getFilename());
    }
}

}  // namespace growth
