#include "core/store/sqlite_error.hpp"

#include <sqlite3.h>

namespace growth {

Error store_error_from(const SQLite::Exception& e, const std::string& label) {
    const int primary = e.getErrorCode() & 0xff;
    const bool busy = primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
    return Error(busy ? "store_busy" : "store_error", label + ": " + e.what());
}

}  // namespace growth
